import { describe, expect, it } from 'vitest';
import type { Observation, Slice, Submission } from '../../shared/observation.js';
import { principalOf } from '../../shared/roles.js';
import {
  decide,
  explain,
  explanationOf,
  figureWarnings,
  locked,
  monthStateOf,
  REASON_LENGTH,
  restatementsOf,
  ReviewRefusal,
  signOffOf,
  submittedReview,
  unexplainedWarnings,
  withCorrection,
  type FigureWarning,
  type MonthRecord,
  type Review,
} from '../../shared/review/review.js';
import { observation, PERIOD, submission, testCatalog } from '../fixtures.js';

const NOW = new Date('2026-12-03T08:00:00.000Z');
const AT = NOW.toISOString();
const LOCKED_AT = '2026-12-10T00:00:00.000Z';

const clerk = principalOf('clerk-li', null, ['clerk:science']);
const head = principalOf('head-wang', null, ['head:science']);
const otherClerk = principalOf('clerk-zhao', null, ['clerk:education']);
const otherHead = principalOf('head-chen', null, ['head:education']);
const office = principalOf('office-sun', null, ['office']);

const upload: Submission = { ...submission('science', PERIOD, ['sci.platforms', 'sci.rd_intensity']), uploader: 'clerk-li' };
const figure = (indicator: string, value: number, note?: string): Observation => ({
  ...observation(indicator, PERIOD, value),
  ...(note === undefined ? {} : { note }),
});
const slice = (observations: Observation[], from: Partial<Submission> = {}): Slice => ({ submission: { ...upload, ...from }, observations });
const published = slice([figure('sci.platforms', 4), figure('sci.rd_intensity', 2.5)]);

const warningOf = (indicator: string, cell = 'C3'): FigureWarning => ({ indicator, code: 'value.implausible', message: `${indicator} is implausible`, sheet: 'Sheet1', cell });
const platformsWarning = warningOf('sci.platforms');

/** A month as its first upload left it: submitted, with these warnings. */
function submitted(warnings: FigureWarning[] = [platformsWarning], current: Slice = published, revision = 1): MonthRecord {
  return { slice: current, revision, review: submittedReview(undefined, current, warnings, revision) };
}
const withReview = (record: MonthRecord, review: Partial<Review>): MonthRecord => ({ ...record, review: { ...record.review, ...review } });
const submittedEntry = { action: 'submitted', at: upload.uploadedAt, by: 'clerk-li', reason: null, revision: 1, indicator: null } as const;

/** The refusal a step throws, as the API reports it. */
function refusalOf(step: () => unknown): { code: string; en: string } {
  try {
    step();
  } catch (error) {
    if (error instanceof ReviewRefusal) return { code: error.code, en: error.text.en };
    throw error;
  }
  throw new Error('the step was not refused');
}

describe("a month's state and sign-off", () => {
  it.each([
    ['no record', undefined, 'not_received', null],
    ['a submitted month', submitted(), 'submitted', 'provisional'],
    ['a returned month', withReview(submitted(), { state: 'returned' }), 'returned', 'provisional'],
    ['an approved month', withReview(submitted(), { state: 'approved' }), 'approved', 'official'],
    ['an approved month that was published', withReview(submitted(), { state: 'approved', lockedAt: LOCKED_AT }), 'locked', 'official'],
    ['a submitted month that was published', withReview(submitted(), { lockedAt: LOCKED_AT }), 'locked', 'provisional'],
  ] as const)('reads %s as %s', (_case, record, state, signOff) => {
    expect(monthStateOf(record)).toBe(state);
    if (record) expect(signOffOf(record.review)).toBe(signOff);
  });
});

describe('a slice that becomes current', () => {
  it("starts a fresh review whose audit is the upload's own submission", () => {
    expect(submittedReview(undefined, published, [platformsWarning], 1)).toEqual({
      state: 'submitted',
      lockedAt: null,
      warnings: [platformsWarning],
      explanations: {},
      correction: null,
      returnedCorrection: null,
      audit: [submittedEntry],
      restatements: [],
    });
  });

  it('names a direct upload with no uploader after S3', () => {
    const direct = slice(published.observations, { uploader: undefined });
    expect(submittedReview(undefined, direct, [], 1).audit).toEqual([{ ...submittedEntry, by: 'S3' }]);
  });

  it("keeps the earlier review's lock and restatements, and drops its state, explanations and audit", () => {
    const restatement = restatementsOf(published, slice([figure('sci.platforms', 5)]), { approvedAt: AT, approvedBy: 'office-sun', reason: 'typo' })[0];
    const earlier: Review = {
      ...submitted().review,
      state: 'approved',
      lockedAt: LOCKED_AT,
      explanations: { 'sci.platforms': { text: 'a new lab', by: 'clerk-li', at: AT, source: 'portal' } },
      restatements: restatement ? [restatement] : [],
    };
    expect(submittedReview(earlier, published, [], 3)).toEqual({
      state: 'submitted',
      lockedAt: LOCKED_AT,
      warnings: [],
      explanations: {},
      correction: null,
      returnedCorrection: null,
      audit: [{ ...submittedEntry, revision: 3 }],
      restatements: earlier.restatements,
    });
    expect(earlier.restatements).toHaveLength(1);
  });

  it("keeps a locked month's upload as its pending correction, leaving the published figures current", () => {
    const month = withReview(submitted(), { lockedAt: LOCKED_AT });
    const correction = slice([figure('sci.platforms', 5)], { sequencer: '0B', contentSha256: 'sha-2', uploadedAt: '2026-12-15T00:00:00.000Z' });
    expect(withCorrection(month, correction, [platformsWarning])).toEqual({
      slice: published,
      revision: 1,
      review: {
        ...month.review,
        correction: { slice: correction, warnings: [platformsWarning], explanations: {} },
        audit: [...month.review.audit, { action: 'correction_submitted', at: '2026-12-15T00:00:00.000Z', by: 'clerk-li', reason: null, revision: 2, indicator: null }],
      },
    });
  });
});

describe("a figure's warnings", () => {
  const catalog = { severities: testCatalog.severities };
  const figures = [
    { indicator: 'sci.platforms', period: PERIOD, sheet: 'Sheet1', cell: 'C3' },
    { indicator: 'sci.rd_intensity', period: PERIOD, sheet: 'Sheet1', cell: 'C4' },
    { indicator: 'sci.city_average', period: PERIOD, sheet: 'Sheet2', cell: 'C3' },
  ];
  const warning = (code: string, sheet: string | null, cell: string | null) => ({ code, sheet, cell, message: `${code} at ${sheet ?? '-'}!${cell ?? '-'}` });

  it.each([
    ["a catalog rule's warning at the figure's cell", warning('value.implausible', 'Sheet1', 'C4'), 'sci.rd_intensity'],
    ['the cumulative check at the figure’s cell', warning('value.cumulative_mismatch', 'Sheet1', 'C3'), 'sci.platforms'],
    ["the cumulative check elsewhere in the figure's row", warning('value.cumulative_mismatch', 'Sheet1', 'F3'), 'sci.platforms'],
    ["a catalog rule's warning in the figure's row, on its own sheet", warning('value.fell', 'Sheet2', 'D3'), 'sci.city_average'],
  ])('questions the figure for %s', (_case, raised, indicator) => {
    expect(figureWarnings(catalog, figures, [raised])).toEqual([
      { indicator, period: PERIOD, code: raised.code, message: raised.message, sheet: raised.sheet, cell: raised.cell },
    ]);
  });

  it('picks the figure at the cell before another figure in the same row', () => {
    const sameRow = [
      { indicator: 'sci.platforms', period: '2026-10', sheet: 'Sheet1', cell: 'C3' },
      { indicator: 'sci.platforms', period: PERIOD, sheet: 'Sheet1', cell: 'D3' },
    ];
    expect(figureWarnings(catalog, sameRow, [warning('value.implausible', 'Sheet1', 'D3')])).toEqual([
      { indicator: 'sci.platforms', period: PERIOD, code: 'value.implausible', message: 'value.implausible at Sheet1!D3', sheet: 'Sheet1', cell: 'D3' },
    ]);
  });

  it.each([
    ['a warning about the file', warning('value.implausible', null, null)],
    ['a warning about a sheet', warning('value.implausible', 'Sheet1', null)],
    ['a warning of a code the catalog does not rule on', warning('sheet.hidden_rows', 'Sheet1', 'C3')],
    ['a warning in a row with no figure', warning('value.cumulative_mismatch', 'Sheet1', 'C9')],
    ['a warning on a sheet with no figure', warning('value.implausible', 'Sheet3', 'C3')],
  ])('asks nothing of a figure for %s', (_case, raised) => {
    expect(figureWarnings(catalog, figures, [raised])).toEqual([]);
  });
});

describe("a warned figure's explanation", () => {
  const noted = slice([figure('sci.platforms', 40, '两个新平台提前挂牌'), figure('sci.rd_intensity', 2.5)]);
  const typed = { text: 'a new lab opened', by: 'head-wang', at: AT, source: 'portal' } as const;

  it.each([
    ['typed on the portal, before the workbook note', noted, { 'sci.platforms': typed }, typed],
    ["the note on the figure's row", noted, {}, { text: '两个新平台提前挂牌', by: 'clerk-li', at: upload.uploadedAt, source: 'workbook' }],
    ['none, without either', published, {}, null],
  ] as const)('is %s', (_case, current, explanations, explanation) => {
    expect(explanationOf('sci.platforms', current, explanations)).toEqual(explanation);
  });

  it('leaves unexplained only the warnings with neither', () => {
    const warnings = [platformsWarning, warningOf('sci.rd_intensity', 'C4')];
    expect(unexplainedWarnings(noted, warnings, {})).toEqual([warningOf('sci.rd_intensity', 'C4')]);
    expect(unexplainedWarnings(published, warnings, { 'sci.rd_intensity': typed })).toEqual([platformsWarning]);
    expect(unexplainedWarnings(noted, warnings, { 'sci.rd_intensity': typed })).toEqual([]);
  });
});

describe('explaining warned figures', () => {
  const explained = (by: string, revision = 1) => ({
    explanations: { 'sci.platforms': { text: 'a new lab opened', by, at: AT, source: 'portal' } },
    audit: [submittedEntry, { action: 'explained', at: AT, by, reason: 'a new lab opened', revision, indicator: 'sci.platforms' }],
  });

  it.each([
    ["the department's clerk", clerk],
    ["the department's head", head],
  ])('records the explanation and its audit entry when given by %s', (_case, principal) => {
    expect(explain(submitted(), { 'sci.platforms': '  a new lab opened ' }, principal, NOW)).toEqual({
      ...submitted(),
      review: { ...submitted().review, ...explained(principal.user) },
    });
  });

  it.each([
    ["another department's clerk", otherClerk],
    ["another department's head", otherHead],
    ['the reform office', office],
  ])('refuses %s', (_case, principal) => {
    expect(refusalOf(() => explain(submitted(), { 'sci.platforms': 'a new lab' }, principal, NOW)).code).toBe('auth.forbidden');
  });

  it('submits a returned month again', () => {
    const returned = withReview(submitted(), { state: 'returned' });
    const { explanations, audit } = explained('clerk-li');
    expect(explain(returned, { 'sci.platforms': 'a new lab opened' }, clerk, NOW)).toEqual({
      ...returned,
      // Submitted again: a step of its own in the trail, of which the head is told.
      review: { ...returned.review, state: 'submitted', explanations, audit: [...audit, { action: 'submitted', at: AT, by: 'clerk-li', reason: null, revision: 1, indicator: null }] },
    });
  });

  it('refuses an indicator with no warning, naming the warned ones', () => {
    const month = submitted([platformsWarning, warningOf('sci.rd_intensity', 'C4')]);
    expect(refusalOf(() => explain(month, { 'sci.platforms': 'fine', 'sci.city_average': 'fine' }, clerk, NOW))).toEqual({
      code: 'request.invalid',
      en: 'sci.city_average has no warning to explain; the warned indicators are sci.platforms, sci.rd_intensity',
    });
    expect(refusalOf(() => explain(submitted([]), { 'sci.platforms': 'fine' }, clerk, NOW)).en).toBe(
      'sci.platforms has no warning to explain; the warned indicators are –',
    );
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n '],
    ['longer than a workbook note', 'x'.repeat(REASON_LENGTH + 1)],
  ])('refuses an explanation that is %s', (_case, text) => {
    expect(refusalOf(() => explain(submitted(), { 'sci.platforms': text }, clerk, NOW)).code).toBe('request.invalid');
  });

  it('refuses explanations of nothing, which would submit a returned month again unexplained', () => {
    const returned = withReview(submitted(), { state: 'returned' });
    expect(refusalOf(() => explain(returned, {}, clerk, NOW))).toEqual({ code: 'request.invalid', en: 'Explain at least one warning; the warned indicators are sci.platforms' });
  });

  it('takes an explanation as long as a workbook note', () => {
    const text = 'x'.repeat(REASON_LENGTH);
    expect(explain(submitted(), { 'sci.platforms': text }, clerk, NOW).review.explanations['sci.platforms']?.text).toBe(text);
  });

  it.each([
    ['an approved month', withReview(submitted(), { state: 'approved' }), 'month.not_submitted'],
    ['a locked month approved before its publication', withReview(submitted(), { state: 'approved', lockedAt: LOCKED_AT }), 'month.locked'],
  ])('refuses to explain %s', (_case, month, code) => {
    expect(refusalOf(() => explain(month, { 'sci.platforms': 'a new lab' }, clerk, NOW)).code).toBe(code);
  });

  it('explains a month published before its head signed it off, so that the head can still approve it', () => {
    const month = withReview(submitted(), { lockedAt: LOCKED_AT });
    const explained = explain(month, { 'sci.platforms': 'a new lab' }, clerk, NOW);
    expect(explained.review.explanations['sci.platforms']?.text).toBe('a new lab');
    expect(decide(explained, 'approve', undefined, head, NOW).record.review).toMatchObject({ state: 'approved', lockedAt: LOCKED_AT });
  });

  it("explains a locked month's pending correction against its own warnings, leaving the published figures' as they were", () => {
    const month = withCorrection(withReview(submitted([]), { state: 'approved', lockedAt: LOCKED_AT }), slice([figure('sci.platforms', 50)]), [platformsWarning]);
    const after = explain(month, { 'sci.platforms': 'a new lab opened' }, clerk, NOW, 2);
    const { correction } = month.review;
    expect(after).toEqual({
      ...month,
      review: {
        ...month.review,
        correction: correction && { ...correction, explanations: explained('clerk-li').explanations },
        audit: [...month.review.audit, { action: 'explained', at: AT, by: 'clerk-li', reason: 'a new lab opened', revision: 2, indicator: 'sci.platforms' }],
      },
    });
  });

  it('refuses an explanation given on figures that changed since: month.changed', () => {
    expect(refusalOf(() => explain(submitted([platformsWarning], published, 2), { 'sci.platforms': 'a new lab' }, clerk, NOW, 1))).toEqual({
      code: 'month.changed',
      en: "The month's figures changed (revision 2; you saw revision 1); reload and review them again.",
    });
  });
});

describe("the head's decision on a month", () => {
  const explainedMonth = () => explain(submitted(), { 'sci.platforms': 'a new lab opened' }, clerk, NOW);

  it('approves a month whose warnings are explained: its figures become official', () => {
    const month = explainedMonth();
    expect(decide(month, 'approve', undefined, head, NOW, 1)).toEqual({
      record: {
        ...month,
        review: { ...month.review, state: 'approved', audit: [...month.review.audit, { action: 'approved', at: AT, by: 'head-wang', reason: null, revision: 1, indicator: null }] },
      },
      replaced: null,
    });
  });

  it("keeps an approval's note as the reason of its audit entry", () => {
    expect(decide(submitted([]), 'approve', '  checked with the lab ', head, NOW).record.review.audit.at(-1)?.reason).toBe('checked with the lab');
  });

  it.each([
    ['typed on the portal', explainedMonth()],
    ["the note on the warned figure's row", submitted([platformsWarning], slice([figure('sci.platforms', 4, '新平台'), figure('sci.rd_intensity', 2.5)]))],
  ])('approves a warned figure explained by %s', (_case, month) => {
    expect(decide(month, 'approve', undefined, head, NOW).record.review.state).toBe('approved');
  });

  it('refuses to approve while a warning is unexplained, naming it', () => {
    const month = explain(submitted([platformsWarning, warningOf('sci.rd_intensity', 'C4')]), { 'sci.platforms': 'a new lab' }, clerk, NOW);
    expect(refusalOf(() => decide(month, 'approve', undefined, head, NOW))).toEqual({
      code: 'month.unexplained_warnings',
      en: '1 warning(s) are not explained (sci.rd_intensity); the clerk explains them first.',
    });
  });

  it('returns a month with its reason', () => {
    const month = submitted();
    expect(decide(month, 'return', ' the total is off ', head, NOW)).toEqual({
      record: {
        ...month,
        review: { ...month.review, state: 'returned', audit: [submittedEntry, { action: 'returned', at: AT, by: 'head-wang', reason: 'the total is off', revision: 1, indicator: null }] },
      },
      replaced: null,
    });
  });

  it.each([
    ['no reason', undefined],
    ['a blank reason', '   '],
    ['a reason longer than a workbook note', 'x'.repeat(REASON_LENGTH + 1)],
  ])('refuses to return a month with %s', (_case, reason) => {
    expect(refusalOf(() => decide(submitted(), 'return', reason, head, NOW)).code).toBe('request.invalid');
  });

  it.each([
    ['a clerk', clerk, 'approve', "Only the department's head signs off its figures."],
    ['a clerk', clerk, 'return', "Only the department's head signs off its figures."],
    ["another department's head", otherHead, 'approve', "Only the department's head signs off its figures."],
    [
      'the reform office, on an open month',
      office,
      'approve',
      "A month is signed off by its department's head; the reform office decides only on corrections of published months.",
    ],
  ] as const)('refuses %s to %s it', (_case, principal, decision, en) => {
    expect(refusalOf(() => decide(explainedMonth(), decision, 'a reason', principal, NOW))).toEqual({ code: 'auth.forbidden', en });
  });

  it.each([
    ['approved', 'approve', 'The month is already approved.'],
    ['approved', 'return', 'The month is already approved.'],
    ['returned', 'approve', "The month was returned and waits for the clerk's correction or explanation."],
    ['returned', 'return', "The month was returned and waits for the clerk's correction or explanation."],
  ] as const)('refuses a month already %s to %s: month.not_submitted', (state, decision, en) => {
    expect(refusalOf(() => decide(withReview(explainedMonth(), { state }), decision, 'a reason', head, NOW))).toEqual({ code: 'month.not_submitted', en });
  });

  it('refuses to return a locked month, and approves it, keeping the lock', () => {
    const month = withReview(explainedMonth(), { lockedAt: LOCKED_AT });
    expect(refusalOf(() => decide(month, 'return', 'the total is off', head, NOW)).code).toBe('month.locked');
    expect(decide(month, 'approve', undefined, head, NOW).record.review).toMatchObject({ state: 'approved', lockedAt: LOCKED_AT });
  });

  it('refuses a decision made on figures that changed since: month.changed', () => {
    const month = explain(submitted([platformsWarning], published, 3), { 'sci.platforms': 'a new lab' }, clerk, NOW);
    expect(refusalOf(() => decide(month, 'approve', undefined, head, NOW, 2)).code).toBe('month.changed');
    expect(refusalOf(() => decide(month, 'return', 'off', head, NOW, 4)).code).toBe('month.changed');
    expect(decide(month, 'approve', undefined, head, NOW, 3).record.review.state).toBe('approved');
  });
});

describe("the reform office's decision on a locked month's correction", () => {
  const correction = slice([figure('sci.platforms', 5), figure('sci.city_average', 2.4)], {
    sequencer: '0B',
    contentSha256: 'sha-2',
    uploadedAt: '2026-12-15T00:00:00.000Z',
    uploader: 'clerk-zhou',
  });
  const lockedMonth = locked(decide(explain(submitted(), { 'sci.platforms': 'a new lab' }, clerk, NOW), 'approve', undefined, head, NOW).record, new Date(LOCKED_AT));
  const pending = () => {
    if (!lockedMonth) throw new Error('the month was not locked');
    return explain(withCorrection(lockedMonth, correction, [warningOf('sci.city_average')]), { 'sci.city_average': 'the city revised it' }, clerk, NOW);
  };

  it('approves the correction: the next revision, approved, its audit starting with the restatement, a restatement of each changed figure', () => {
    const month = pending();
    const approvedAt = '2026-12-20T00:00:00.000Z';
    const outcome = decide(month, 'approve', ' the count missed two platforms ', office, new Date(approvedAt), 2);
    const restatement = {
      department: 'science',
      period: PERIOD,
      requestedAt: '2026-12-15T00:00:00.000Z',
      requestedBy: 'clerk-zhou',
      approvedAt,
      approvedBy: 'office-sun',
      reason: 'the count missed two platforms',
      sourceKey: upload.key,
    };
    expect(outcome).toEqual({
      record: {
        slice: correction,
        revision: 2,
        review: {
          state: 'approved',
          lockedAt: LOCKED_AT,
          warnings: [warningOf('sci.city_average')],
          explanations: { 'sci.city_average': { text: 'the city revised it', by: 'clerk-li', at: AT, source: 'portal' } },
          correction: null,
          returnedCorrection: null,
          // The steps before stay with the published revision: the trail reads them there.
          audit: [{ action: 'restated', at: approvedAt, by: 'office-sun', reason: 'the count missed two platforms', revision: 2, indicator: null }],
          restatements: [
            { ...restatement, indicator: 'sci.platforms', from: 4, to: 5, unit: 'count' },
            { ...restatement, indicator: 'sci.city_average', from: null, to: 2.4, unit: 'count' },
            { ...restatement, indicator: 'sci.rd_intensity', from: 2.5, to: null, unit: 'count' },
          ],
        },
      },
      replaced: published,
    });
  });

  it('refuses to approve a correction another upload replaced since the office saw it, though both wait as the same revision', () => {
    const month = pending();
    const newer = slice([figure('sci.platforms', 999)], { sequencer: '0C', contentSha256: 'sha-3', uploadedAt: '2026-12-16T00:00:00.000Z' });
    const replaced = withCorrection(month, newer, []);
    expect(refusalOf(() => decide(replaced, 'approve', 'seen', office, NOW, 2, 'sha-2'))).toEqual({
      code: 'month.changed',
      en: 'The workbook under review was replaced by a newer upload; reload and review it again.',
    });
    expect(decide(replaced, 'approve', 'seen', office, NOW, 2, 'sha-3').record.slice).toEqual(newer);
  });

  it('returns the correction with its reason: the published figures stay current, the correction is dropped', () => {
    const month = pending();
    expect(decide(month, 'return', 'wrong month', office, NOW)).toEqual({
      record: {
        ...month,
        review: {
          ...month.review,
          correction: null,
          returnedCorrection: { bucket: correction.submission.bucket, key: correction.submission.key, versionId: correction.submission.versionId, sequencer: correction.submission.sequencer, uploadedAt: correction.submission.uploadedAt },
          audit: [...month.review.audit, { action: 'correction_returned', at: AT, by: 'office-sun', reason: 'wrong month', revision: 2, indicator: null }],
        },
      },
      replaced: null,
    });
  });

  it.each([
    ["the department's head", head],
    ["the department's clerk", clerk],
    ["another department's head", otherHead],
  ])('refuses %s: only the office decides on a correction', (_case, principal) => {
    for (const decision of ['approve', 'return'] as const) {
      expect(refusalOf(() => decide(pending(), decision, 'a reason', principal, NOW))).toEqual({
        code: 'auth.forbidden',
        en: 'Only the reform office (office) decides on a correction of a published month.',
      });
    }
  });

  it.each([
    ['approve', undefined],
    ['approve', ' '],
    ['return', undefined],
    ['return', 'x'.repeat(REASON_LENGTH + 1)],
  ] as const)('refuses to %s it without a proper reason', (decision, reason) => {
    expect(refusalOf(() => decide(pending(), decision, reason, office, NOW)).code).toBe('request.invalid');
  });

  it("refuses to approve while the correction's own warnings are unexplained, whatever the published figures' explanations", () => {
    if (!lockedMonth) throw new Error('the month was not locked');
    const month = withCorrection(lockedMonth, correction, [platformsWarning]);
    expect(month.review.explanations['sci.platforms']).toBeDefined();
    expect(refusalOf(() => decide(month, 'approve', 'typo', office, NOW)).code).toBe('month.unexplained_warnings');
  });

  it('refuses a decision given the published revision instead of the correction’s: month.changed', () => {
    expect(refusalOf(() => decide(pending(), 'approve', 'typo', office, NOW, 1)).code).toBe('month.changed');
  });
});

describe('restatements', () => {
  it('lists each figure a correction changed, added or removed, with the correction’s unit, and nothing unchanged', () => {
    const before = slice([figure('sci.platforms', 4), { ...figure('sci.rd_intensity', 2.5), unit: 'percent' }, figure('sci.city_average', 2.4)]);
    const after = slice([figure('sci.platforms', 4), { ...figure('sci.city_average', 2.6), unit: 'percent' }, figure('edu.designation', 1)], { uploader: undefined });
    const approval = { approvedAt: AT, approvedBy: 'office-sun', reason: 'typo' };
    const common = { department: 'science', period: PERIOD, requestedAt: upload.uploadedAt, requestedBy: null, ...approval, sourceKey: upload.key };
    expect(restatementsOf(before, after, approval)).toEqual([
      { ...common, indicator: 'sci.city_average', from: 2.4, to: 2.6, unit: 'percent' },
      { ...common, indicator: 'edu.designation', from: null, to: 1, unit: 'count' },
      { ...common, indicator: 'sci.rd_intensity', from: 2.5, to: null, unit: 'percent' },
    ]);
  });
});

describe('locking a published month', () => {
  it("stamps the lock and its audit entry, after the target revisions, keeping the month's sign-off", () => {
    const month = withReview(submitted(), { state: 'approved' });
    const targetRevision = { at: AT, by: 'office-sun', reason: 'the district raised it', indicator: 'sci.platforms' };
    expect(locked(month, new Date(LOCKED_AT), [targetRevision])).toEqual({
      ...month,
      review: {
        ...month.review,
        lockedAt: LOCKED_AT,
        audit: [
          submittedEntry,
          { ...targetRevision, action: 'target_revised', revision: 1 },
          { action: 'locked', at: LOCKED_AT, by: 'snapshot', reason: null, revision: 1, indicator: null },
        ],
      },
    });
  });

  it('leaves a month already locked as it was: null, so nothing is written', () => {
    const once = locked(submitted(), new Date(LOCKED_AT));
    expect(once && monthStateOf(once)).toBe('locked');
    expect(once && locked(once, new Date('2027-01-10T00:00:00.000Z'))).toBeNull();
  });
});
