import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../cli/local/outbox.js';
import { fillTemplate, sampleWorkbooks } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { uploadKey } from '../../shared/s3-keys.js';
import { localPortalForTests, portalClient } from './portal-client.js';

/** The sign-off's notices through the portal, and the local outbox the portal shows. */
const local = localPortalForTests('review-notices');
const { tokenOf, api } = portalClient(local.portal);
const MONTH = '/api/departments/science/months/2026-11';

const outbox = async () => (await (await fetch(new URL('api/local/outbox', local.portal().url))).json()) as OutboxEntry[];

describe('review notices', () => {
  it("tells the head a month waits, then the clerks it was returned, with the head's reason; the portal lists both", async () => {
    const sample = (await sampleWorkbooks(catalog)).find((w) => w.department === 'science' && w.period === '2026-11');
    if (!sample) throw new Error('no science sample of 2026-11');
    await local.pipeline().upload(uploadKey('science', sample.fileName), sample.bytes);
    const waiting = (await outbox()).filter((e) => e.channel === 'email' && e.subject.includes('待审核'));
    expect(waiting.map((e) => e.to)).toEqual(['science-head@portal.local']);

    const head = await tokenOf('science-head');
    const reason = '特派员人数请核对';
    expect((await api(`${MONTH}/review`, { token: head, method: 'POST', body: { decision: 'return', reason, revision: 1 } })).status).toBe(200);
    await local.pipeline().noticesSettled();
    const returned = (await outbox()).filter((e) => e.subject.includes('已被退回'));
    expect(returned.map((e) => [e.channel, e.to])).toEqual([
      ['webhook', 'webhook robot.local'],
      ['email', 'science-clerk@portal.local'],
    ]);
    expect(returned[1]?.text).toContain(`理由：${reason}`);
  }, 60_000);

  it('tells the head again when the clerk explains a returned month, which submits it again', async () => {
    const sample = (await sampleWorkbooks(catalog)).find((w) => w.department === 'science' && w.period === '2026-10');
    if (!sample) throw new Error('no science sample of 2026-10');
    // Beyond the catalog's plausible 300 commissioners a month: accepted, with a warning to explain.
    await local.pipeline().upload(uploadKey('science', sample.fileName), await fillTemplate(sample.bytes, new Map([['sci.st_commissioners', 400]])));
    const path = '/api/departments/science/months/2026-10';
    const waiting = async () => (await outbox()).filter((e) => e.channel === 'email' && e.subject.includes('待审核') && e.subject.includes('2026-10'));
    expect(await waiting()).toHaveLength(1);
    const [head, clerk] = await Promise.all([tokenOf('science-head'), tokenOf('science-clerk')]);
    expect((await api(`${path}/review`, { token: head, method: 'POST', body: { decision: 'return', reason: '请核对特派员人数', revision: 1 } })).status).toBe(200);
    expect((await api(`${path}/explanations`, { token: clerk, method: 'PUT', body: { 'sci.st_commissioners': '本月新聘 100 名特派员' } })).status).toBe(200);
    await local.pipeline().noticesSettled();
    expect((await waiting()).map((e) => e.to)).toEqual(['science-head@portal.local', 'science-head@portal.local']);
  }, 60_000);

  it('shows the outbox as a page', async () => {
    const page = await (await fetch(new URL('local/outbox', local.portal().url))).text();
    expect(page).toContain('发件箱 Outbox');
    expect(page).toContain('science-clerk@portal.local');
  });
});
