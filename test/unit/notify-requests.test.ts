import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import { importRequests, reviewRequest } from '../../shared/notify/requests.js';
import { decide, explain, locked } from '../../shared/review/review.js';
import { submission, submittedMonth } from '../fixtures.js';

const month = submittedMonth(submission('science', '2026-11'));
/** A month with a warned figure, returned by its head: its clerk's explanation submits it again. */
const warned = submittedMonth(submission('science', '2026-11'), [], [{ indicator: 'sci.rd_intensity', code: 'value.implausible', message: 'high', sheet: 'S', cell: 'E6' }]);
const clerk = { user: 'clerk', email: null, roles: [{ kind: 'clerk' as const, department: 'science' }] };
const returned = decide(warned, 'return', '请核对', { user: 'head', email: null, roles: [{ kind: 'head' as const, department: 'science' }] }, new Date('2026-12-03T02:00:00.000Z')).record;
const head = { user: 'head', email: null, roles: [{ kind: 'head' as const, department: 'science' }] };
const at = new Date('2026-12-04T02:00:00.000Z');
const report = (outcome: ImportReport['outcome']) =>
  ({ department: 'science', outcome, reportKey: 'reports/science/a.json', source: { bucket: 'uploads' }, slices: outcome === null ? [] : [{ period: '2026-11', outcome }] }) as unknown as ImportReport;
const months = { month: async () => month };

describe('what the functions ask the notifier', () => {
  it.each([
    ['committed', ['receipt', 'submitted']],
    [null, ['receipt']],
    ['held', ['receipt']],
    ['superseded', ['receipt']],
    ['duplicate', []],
  ] as const)('an import %s: %j', async (outcome, kinds) => {
    expect((await importRequests(report(outcome), months)).map((r) => r.kind)).toEqual(kinds);
  });

  it("names the month's submission step", async () => {
    const [, submitted] = await importRequests(report('committed'), months);
    expect(submitted).toEqual({ kind: 'submitted', department: 'science', period: '2026-11', revision: 1, at: month.slice.submission.uploadedAt });
  });

  it.each([
    ['a return', decide(month, 'return', '请核对', head, at).record, 'returned'],
    ['an approval', decide(month, 'approve', undefined, head, at).record, 'approved'],
    ['an explanation that submits a returned month again', explain(returned, { 'sci.rd_intensity': '核对无误' }, clerk, at), 'submitted'],
    ['an explanation of a month still submitted', explain(warned, { 'sci.rd_intensity': '核对无误' }, clerk, at), null],
    ['a lock', locked(decide(month, 'approve', undefined, head, at).record, at), null],
  ] as const)('the review step %s asks %s', (_, record, kind) => {
    const request = record && reviewRequest(record);
    expect(request?.kind ?? null).toBe(kind);
    if (kind) expect(request).toMatchObject({ department: 'science', period: '2026-11', revision: 1, at: at.toISOString() });
  });
});
