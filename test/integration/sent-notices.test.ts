import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_RESOURCES, startLocalStores, type LocalStores } from '../../cli/local/stores.js';
import { dynamoSentNotices, STALE_CLAIM_MS } from '../../shared/aws/sent-notices.js';
import { makeDelivery } from '../../shared/notify/deliver.js';
import type { Notice } from '../../shared/notify/notice.js';
import { recordingChannel } from '../memory-sent-notices.js';

let directory: string;
let stores: LocalStores;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'sent-notices-'));
  stores = await startLocalStores(directory);
  documents = DynamoDBDocumentClient.from(stores.dynamo);
});

afterAll(async () => {
  await stores.close();
  rmSync(directory, { recursive: true, force: true });
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const now = new Date('2026-12-03T01:00:00.000Z');
const notice = (event: string): Notice => ({
  event,
  kind: 'receipt',
  department: 'science',
  period: '2026-11',
  to: [
    { channel: 'email', address: 'science-clerk@portal.local' },
    { channel: 'webhook', url: 'https://robot.local/science' },
  ],
  subject: 's',
  text: 't',
  links: [],
});

describe('the record of what was sent, on DynamoDB', () => {
  it('sends once when eight deliveries of one event run at once', async () => {
    const channels = { email: recordingChannel(), webhook: recordingChannel() };
    const deliver = makeDelivery({ channels, sentNotices: dynamoSentNotices(documents, LOCAL_RESOURCES.sentNoticesTable), clock: { now: () => now }, logger: silent });
    const results = await Promise.all(Array.from({ length: 8 }, () => deliver(notice('concurrent'))));
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(2);
    expect(channels.email.sent).toHaveLength(1);
    expect(channels.webhook.sent).toHaveLength(1);
  });

  it('claims once, keeps a send however late a release, and gives a failed claim back', async () => {
    const sentNotices = dynamoSentNotices(documents, LOCAL_RESOURCES.sentNoticesTable);
    expect(await sentNotices.claim('e1', 'r', now)).toBe(true);
    expect(await sentNotices.claim('e1', 'r', now)).toBe(false);
    await sentNotices.release('e1', 'r');
    expect(await sentNotices.claim('e1', 'r', now)).toBe(true);
    await sentNotices.sent('e1', 'r', now);
    await sentNotices.release('e1', 'r');
    expect(await sentNotices.claim('e1', 'r', new Date(now.getTime() + 2 * STALE_CLAIM_MS))).toBe(false);
  });

  it('lets a claim left by a crash be taken again once it is stale', async () => {
    const sentNotices = dynamoSentNotices(documents, LOCAL_RESOURCES.sentNoticesTable);
    await documents.send(new PutCommand({ TableName: LOCAL_RESOURCES.sentNoticesTable, Item: { event: 'e2', recipient: 'r', state: 'claimed', claimedAt: now.toISOString() } }));
    expect(await sentNotices.claim('e2', 'r', new Date(now.getTime() + STALE_CLAIM_MS - 1000))).toBe(false);
    expect(await sentNotices.claim('e2', 'r', new Date(now.getTime() + STALE_CLAIM_MS + 1000))).toBe(true);
  });
});
