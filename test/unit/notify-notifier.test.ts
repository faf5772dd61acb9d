import { describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { localContext } from '../../cli/local/stores.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { exampleContacts, contactsOf } from '../../shared/notify/contacts.js';
import type { Notice, NoticeRequest } from '../../shared/notify/notice.js';
import { noticeBatchHandler } from '../../shared/notify/notice-batch.js';
import { makeNotifier } from '../../shared/notify/notify.js';
import type { AuditEntry } from '../../shared/review/review.js';
import { testCatalog } from '../fixtures.js';
import { MemoryObjects } from '../memory-objects.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const uploadId = '0192f3a0-0000-7000-8000-000000000001';

function setUp(trail: AuditEntry[] = []) {
  const objects = new MemoryObjects();
  const told: Notice[] = [];
  const notify = makeNotifier({
    catalog: testCatalog,
    objects,
    reviews: { trail: async () => trail },
    portalUploads: { get: async (_d, id) => (id === uploadId ? ({ email: 'li.wei@dazu.gov.cn' } as never) : undefined) },
    contacts: contactsOf(exampleContacts(['science', 'education']), ['science', 'education']),
    deliver: async (notice) => {
      told.push(notice);
      return { sent: notice.to.length, skipped: 0 };
    },
    portalUrl: 'https://portal.local/',
    snapshotBucket: 'snapshots',
    dueDay: 10,
    logger: silent,
  });
  return { objects, told, notify };
}

const report = (key: string, overrides: Partial<ImportReport> = {}) =>
  ({
    status: 'rejected',
    department: 'science',
    period: '2026-11',
    errors: [{ sheet: '填报表', cell: 'C7', code: 'value.not_a_number', message: '不是数字 / not a number' }],
    warnings: [],
    source: { bucket: 'uploads', key, sequencer: '0A', uploadedAt: '2026-12-03T01:00:00.000Z' },
    outcome: null,
    counts: { rows: 3, observations: 0, errors: 1, warnings: 0 },
    annotatedKey: 'reports/science/a.annotated.xlsx',
    ...overrides,
  }) as ImportReport;

describe('who is told what', () => {
  it.each([
    // The annotated copy: on the department's page for a portal upload, in the bucket for a direct drop.
    ['a portal upload: the signed-in user', `incoming/science/${uploadId}/a.xlsx`, ['li.wei@dazu.gov.cn'], 'https://portal.local/#/department/science'],
    ["an S3 drop: the department's clerks", 'incoming/science/a.xlsx', ['science-clerk@portal.local', 'https://robot.local/science'], 's3://uploads/reports/science/a.annotated.xlsx'],
  ])('the receipt of %s', async (_, key, to, annotated) => {
    const { objects, told, notify } = setUp();
    await objects.put({ bucket: 'uploads', key: 'reports/science/a.json', body: JSON.stringify(report(key)), contentType: 'application/json' });
    await notify({ kind: 'receipt', bucket: 'uploads', reportKey: 'reports/science/a.json' });
    expect(told.map((n) => n.to.map((r) => (r.channel === 'email' ? r.address : r.url)))).toEqual([to]);
    expect(told[0]?.text).toContain('填报表!C7');
    expect(told[0]?.links.at(-1)?.url).toBe(annotated);
  });

  it('no receipt for the same bytes uploaded again', async () => {
    const { objects, told, notify } = setUp();
    await objects.put({ bucket: 'uploads', key: 'r.json', body: JSON.stringify(report('incoming/science/a.xlsx', { outcome: 'duplicate' })), contentType: 'application/json' });
    expect(await notify({ kind: 'receipt', bucket: 'uploads', reportKey: 'r.json' })).toEqual({ sent: 0, skipped: 0 });
    expect(told).toEqual([]);
  });

  const step = (action: AuditEntry['action'], reason: string | null): AuditEntry => ({ action, at: '2026-12-04T02:00:00.000Z', by: 'head', reason, revision: 1, indicator: null });
  it.each([
    [{ kind: 'submitted', department: 'science', period: '2026-11', revision: 1, at: '2026-12-04T02:00:00.000Z' }, [step('submitted', null)], ['science-head@portal.local'], '待审核'],
    [{ kind: 'returned', department: 'science', period: '2026-11', revision: 1, at: '2026-12-04T02:00:00.000Z' }, [step('returned', '请核对')], ['science-clerk@portal.local', 'https://robot.local/science'], '理由：请核对'],
    [{ kind: 'reminder', department: 'science', period: '2026-11', on: '2026-12-08', workingDays: 2 }, [], ['science-clerk@portal.local', 'https://robot.local/science'], '还有 2 个工作日'],
    [{ kind: 'escalation', department: 'science', period: '2026-11', on: '2026-12-14', workingDays: 2 }, [], ['science-head@portal.local', 'office@portal.local', 'https://robot.local/office'], '已逾期 2 个工作日'],
  ] as [NoticeRequest, AuditEntry[], string[], string][])('%j', async (request, trail, to, words) => {
    const { told, notify } = setUp(trail);
    await notify(request);
    expect(told[0]?.to.map((r) => (r.channel === 'email' ? r.address : r.url))).toEqual(to);
    expect(told[0]?.text).toContain(words);
  });
});

describe('the notice queue batches', () => {
  const event = (...bodies: string[]): SQSEvent => ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body }) as SQSEvent['Records'][number]) });

  it('drops a malformed request and one about nothing the stores hold; returns a failed send for redelivery', async () => {
    const { notify } = setUp();
    const failing = async (request: NoticeRequest) => {
      if (request.kind === 'monthly_report') throw new Error('SES down');
      return notify(request);
    };
    const handle = noticeBatchHandler(async () => failing, silent);
    const response = await handle(
      event('not json', '{"kind":"receipt"}', JSON.stringify({ kind: 'submitted', department: 'science', period: '2026-11', revision: 1, at: '2026-12-04T02:00:00.000Z' }), '{"kind":"monthly_report","period":"2026-11"}'),
      localContext('notify'),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm3' }] });
  });
});
