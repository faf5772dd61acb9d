import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import type { Submission } from '../../shared/observation.js';
import type { MonthStatus, UploadStatus, UploadView } from '../../shared/portal/contract.js';
import { monthsOf, returnOf, statusWithoutReport, verdictOf, VERDICT_WINDOW_MS } from '../../shared/portal/statuses.js';
import { decide, type MonthRecord } from '../../shared/review/review.js';
import { portalUploadKey } from '../../shared/s3-keys.js';
import { submission, submittedMonth } from '../fixtures.js';

const UPLOAD_A = '019ad000-0000-7000-8000-00000000000a';
const UPLOAD_B = '019ad000-0000-7000-8000-00000000000b';

function report(status: 'accepted' | 'rejected', codes: string[], uploadedAt: string): ImportReport {
  return {
    status,
    errors: codes.map((code) => ({ sheet: null, cell: null, code, message: code })),
    source: { uploadedAt },
  } as unknown as ImportReport;
}

function upload(uploadId: string, period: string, status: UploadStatus, requestedAt: string): UploadView {
  return { uploadId, department: 'science', fileName: `${uploadId}.xlsx`, size: 1000, period, user: 'science-clerk', requestedAt, status, report: null, annotatedUrl: null };
}

describe('the verdict of an upload', () => {
  it.each<[string, ImportReport | null, UploadStatus | null]>([
    ['no report yet', null, null],
    ['an accepted report', report('accepted', [], '2026-11-05T01:00:00Z'), 'accepted'],
    ['a rejected report', report('rejected', ['value.not_a_number'], '2026-11-05T01:00:00Z'), 'rejected'],
    ['a report that the check failed on our side', report('rejected', ['file.check_failed'], '2026-11-05T01:00:00Z'), 'failed'],
  ])('%s', (_, given, expected) => {
    expect(verdictOf(given)).toBe(expected);
  });
});

describe('an upload without a report', () => {
  const expiresAt = '2026-11-05T01:10:00.000Z';
  const at = (ms: number) => new Date(Date.parse(expiresAt) + ms);
  it.each<[string, Date, boolean, UploadStatus | null]>([
    ['is processing while its form may still be sent', at(-1), false, 'processing'],
    ['was never sent when its form expired and no object came', at(1), false, null],
    ['is processing when the object came and the import may still answer', at(VERDICT_WINDOW_MS), true, 'processing'],
    ['has failed when the object came and no report did in time', at(VERDICT_WINDOW_MS + 1), true, 'failed'],
  ])('%s', (_, now, arrived, expected) => {
    expect(statusWithoutReport(expiresAt, now, arrived)).toBe(expected);
  });
});

describe('the months of a department', () => {
  const now = new Date('2025-11-20T04:00:00Z');
  const accepted = (period: string, uploadedAt: string, firstUploadedAt = uploadedAt): Submission => ({ ...submission('science', period), uploadedAt, firstUploadedAt });
  const months = (submissions: Submission[], uploads: UploadView[]) => monthsOf({ year: 2025, dueDay: 10, now, months: submissions.map((s) => submittedMonth(s)), uploads });
  const statusOf = (submissions: Submission[], uploads: UploadView[], period: string) => months(submissions, uploads).find((m) => m.period === period);

  it('lists every month of the year, January first, each due on the due day of the month after or the next working day', () => {
    const all = months([], []);
    expect(all.map((m) => m.period)).toEqual(Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`));
    // 2025-05-10, 2025-08-10 and 2026-01-10 are weekends.
    const due = ['02-10', '03-10', '04-10', '05-12', '06-10', '07-10', '08-11', '09-10', '10-10', '11-10', '12-10'].map((day) => `2025-${day}`);
    expect(all.map((m) => m.due)).toEqual([...due, '2026-01-12']);
  });

  it('leaves a due date unknown, and lateness unjudged, while the holiday table does not hold its year', () => {
    const year = monthsOf({ year: 2026, dueDay: 10, now: new Date('2027-01-20T00:00:00Z'), months: [], uploads: [] });
    expect(year.map((m) => [m.period, m.due, m.onTime]).slice(-2)).toEqual([
      ['2026-11', '2026-12-10', false],
      ['2026-12', null, null],
    ]);
  });

  it.each<[string, Submission[], UploadView[], MonthStatus, boolean | null]>([
    ['nothing, before the due date', [], [], 'not_received', null],
    ['an upload being checked', [], [upload(UPLOAD_A, '2025-10', 'processing', '2025-11-05T01:00:00Z')], 'processing', null],
    ['only rejected uploads', [], [upload(UPLOAD_A, '2025-10', 'rejected', '2025-11-05T01:00:00Z')], 'rejected', null],
    ['an upload that failed on our side', [], [upload(UPLOAD_A, '2025-10', 'failed', '2025-11-05T01:00:00Z')], 'rejected', null],
    ['an accepted report whose figures are still being committed', [], [upload(UPLOAD_A, '2025-10', 'accepted', '2025-11-05T01:00:00Z')], 'processing', null],
    ['the first accepted workbook, on time', [accepted('2025-10', '2025-11-09T15:59:59Z')], [], 'accepted', true],
    ['the first accepted workbook, a day late in the district', [accepted('2025-10', '2025-11-10T16:00:00Z')], [], 'accepted', false],
    ['a correction after the due date of a month first reported on time', [accepted('2025-10', '2025-11-15T01:00:00Z', '2025-11-03T01:00:00Z')], [], 'corrected', true],
  ])('%s', (_, submissions, uploads, status, onTime) => {
    // The test's month is due 2025-11-10 and it is now the 20th: late is late, but only a figure makes a month on time.
    const month = statusOf(submissions, uploads, '2025-10');
    expect(month?.status).toBe(status);
    expect(month?.onTime).toBe(submissions.length === 0 ? false : onTime);
  });

  it('is not yet late before its due date', () => {
    expect(statusOf([], [], '2025-11')?.onTime).toBeNull();
  });

  it('shows the latest upload, with the portal user of the accepted one', () => {
    const current = { ...accepted('2025-10', '2025-11-06T01:00:00Z'), key: portalUploadKey('science', UPLOAD_A, 'october.xlsx'), uploader: 'AWS:AROA…:api' };
    const views = [upload(UPLOAD_A, '2025-10', 'accepted', '2025-11-06T00:59:00Z')];
    expect(statusOf([current], views, '2025-10')?.latestUpload).toEqual({
      uploadId: UPLOAD_A,
      fileName: 'october.xlsx',
      uploadedAt: '2025-11-06T01:00:00Z',
      user: 'science-clerk',
      status: 'accepted',
    });
    const rejectedLater = [...views, upload(UPLOAD_B, '2025-10', 'rejected', '2025-11-07T01:00:00Z')];
    expect(statusOf([current], rejectedLater, '2025-10')).toMatchObject({ status: 'accepted', latestUpload: { uploadId: UPLOAD_B, status: 'rejected' } });
  });

  it("tells a returned month's sign-off and the head's reason, until it is submitted again", () => {
    const head = { user: 'science-head', email: null, roles: [{ kind: 'head' as const, department: 'science' }] };
    const submitted = submittedMonth(accepted('2025-10', '2025-11-06T01:00:00Z'));
    const returned = decide(submitted, 'return', '  Figures of the wrong month  ', head, now).record;
    const rowOf = (record: MonthRecord) => monthsOf({ year: 2025, dueDay: 10, now, months: [record], uploads: [] }).find((m) => m.period === '2025-10');
    expect(rowOf(submitted)).toMatchObject({ state: 'submitted', returnedReason: null });
    expect(rowOf(returned)).toMatchObject({ status: 'accepted', state: 'returned', returnedReason: 'Figures of the wrong month' });
    expect(returnOf(returned)).toEqual({ reason: 'Figures of the wrong month', by: 'science-head', at: now.toISOString() });
    expect(returnOf(decide(submitted, 'approve', undefined, head, now).record)).toBeNull();
  });

  it('names the S3 principal of a workbook dropped into the bucket directly', () => {
    const dropped = { ...accepted('2025-10', '2025-11-06T01:00:00Z'), uploader: 'AWS:AROAEXAMPLE:clerk' };
    expect(statusOf([dropped], [], '2025-10')?.latestUpload).toMatchObject({ uploadId: null, user: 'AWS:AROAEXAMPLE:clerk', fileName: '2025-10.xlsx' });
  });
});
