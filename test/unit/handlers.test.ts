import { GetObjectCommand, PutObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { localContext } from '../../cli/local/stores.js';
import { fillTemplate } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import type { Snapshot } from '../../shared/snapshot/index.js';
import { buildTemplate } from '../../shared/workbook/template.js';

/**
 * The handlers with their AWS clients replaced by aws-sdk-client-mock: what they send to S3 and
 * DynamoDB is asserted, and AWS faults are injected. The real flow runs in test/integration.
 */
const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);

let ingest: typeof import('../../functions/ingest/handler.js').handler;
let snapshot: typeof import('../../functions/snapshot/handler.js').handler;

beforeAll(async () => {
  vi.stubEnv('AWS_REGION', 'ap-east-1');
  vi.stubEnv('OBSERVATIONS_TABLE_NAME', 'observations');
  vi.stubEnv('SNAPSHOT_BUCKET_NAME', 'snapshots');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  ({ handler: ingest } = await import('../../functions/ingest/handler.js'));
  ({ handler: snapshot } = await import('../../functions/snapshot/handler.js'));
});

beforeEach(() => {
  s3.reset();
  dynamo.reset();
  vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00+08:00'), toFake: ['Date'] });
});

afterEach(() => vi.useRealTimers());

function s3Event(key: string): S3Event {
  return {
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        eventTime: '2026-11-30T03:00:00.000Z',
        userIdentity: { principalId: 'AWS:CLERK' },
        s3: { bucket: { name: 'uploads' }, object: { key, sequencer: '0055AED6DCD90281E5', versionId: 'v1', size: 1 } },
      },
    ],
  } as unknown as S3Event;
}

const body = (bytes: Uint8Array) => ({ transformToByteArray: async () => bytes }) as unknown as GetObjectCommandOutput['Body'];

async function scienceWorkbook(): Promise<Uint8Array> {
  return fillTemplate(
    await buildTemplate(catalog, 'science', '2026-11'),
    new Map<string, number | boolean>([
      ['sci.bayu_craftsmen', 30],
      ['sci.tech_contract_turnover', 1.3],
      ['sci.incentive_app_rollout', true],
    ]),
  );
}

function writtenReport(): ImportReport {
  const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
  expect(puts.map((p) => p.Key)).toEqual(['reports/science/科技 11月.xlsx.v1.json']);
  return JSON.parse(String(puts[0]?.Body)) as ImportReport;
}

describe('the ingest handler', () => {
  it('reads the decoded key, stores each figure once and points the month at it, even when DynamoDB leaves items unprocessed', async () => {
    s3.on(GetObjectCommand, { Bucket: 'uploads', Key: 'incoming/science/科技 11月.xlsx', VersionId: 'v1' }).resolves({
      Body: body(await scienceWorkbook()),
    });
    dynamo.on(GetCommand).resolves({});
    // DynamoDB throttles part of the first batch: only those items are sent again.
    dynamo
      .on(BatchWriteCommand)
      .callsFakeOnce((input) => ({ UnprocessedItems: { observations: input.RequestItems.observations.slice(1) } }))
      .resolves({ UnprocessedItems: {} });
    dynamo.on(PutCommand).resolves({});

    const result = await ingest(s3Event('incoming/science/%E7%A7%91%E6%8A%80+11%E6%9C%88.xlsx'), localContext('ingest'));

    expect(result.reports).toEqual([{ reportKey: 'reports/science/科技 11月.xlsx.v1.json', status: 'accepted', outcome: 'committed' }]);
    const batches = dynamo.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.observations ?? []);
    expect(batches.map((b) => b.length)).toEqual([3, 2]);
    const stored = batches.flat().map((r) => r.PutRequest?.Item);
    expect(new Set(stored.map((item) => `${item?.indicator}=${String(item?.value)}`))).toEqual(
      new Set(['sci.bayu_craftsmen=30', 'sci.tech_contract_turnover=1.3', 'sci.incentive_app_rollout=true']),
    );
    expect(stored[0]?.lineage).toMatchObject({ bucket: 'uploads', key: 'incoming/science/科技 11月.xlsx', versionId: 'v1', sheet: '填报 Data' });
    const pointer = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
    expect(pointer?.Item).toMatchObject({ pk: 'department#science', sk: 'submission#2026-11', period: '2026-11', upload: stored[0]?.upload });
    expect(pointer?.ConditionExpression).toBe('attribute_not_exists(#pk)');
    expect(writtenReport()).toMatchObject({ status: 'accepted', outcome: 'committed', counts: { observations: 3, errors: 0 } });
  });

  it('fails the invocation, writing nothing, when the object cannot be read, so that Lambda retries it', async () => {
    s3.on(GetObjectCommand).rejects(new Error('SlowDown'));
    await expect(ingest(s3Event('incoming/science/a.xlsx'), localContext('ingest'))).rejects.toThrow('SlowDown');
    expect(dynamo.calls()).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('does nothing for the test event S3 sends when the notification is set up', async () => {
    const result = await ingest({ Service: 'Amazon S3', Event: 's3:TestEvent' } as unknown as S3Event, localContext('ingest'));
    expect(result.reports).toEqual([]);
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('the snapshot handler', () => {
  it('reports on the month just ended when the schedule sends an empty event', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(GetCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const result = await snapshot({}, localContext('snapshot'));
    expect(result.period).toBe('2026-11');
    const json = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key?.endsWith('.json'))?.args[0].input;
    expect(json?.Bucket).toBe('snapshots');
    const written = JSON.parse(new TextDecoder().decode(json?.Body as Uint8Array)) as Snapshot;
    expect(written.indicators.every((r) => r.status === 'no_data' || r.status === 'no_target')).toBe(true);
    expect(written.departments.every((d) => !d.reported)).toBe(true);
  });

  it('refuses a malformed period before reading anything', async () => {
    await expect(snapshot({ period: '2026-13' }, localContext('snapshot'))).rejects.toThrow('period must be a month written YYYY-MM');
    expect(dynamo.calls()).toHaveLength(0);
  });
});
