import { describe, expect, it } from 'vitest';
import type { Period } from '../../shared/calendar.js';
import type { Observation } from '../../shared/observation.js';
import { API_ERRORS, type MonthDetail, type MonthsResponse, type ReviewBody } from '../../shared/portal/contract.js';
import { locked, REVIEW_REFUSALS, withCorrection, type FigureWarning, type MonthRecord } from '../../shared/review/review.js';
import { observation, submission, submittedMonth } from '../fixtures.js';
import { errorCode, jsonOf, NOW, portal } from './portal-fixture.js';

const PERIOD: Period = '2026-10';
const monthPath = (department = 'science', period = PERIOD) => `/api/departments/${department}/months/${period}`;

const figure = (indicator: string, value: number, cell: string, note?: string): Observation => {
  const base = observation(indicator, PERIOD, value);
  return { ...base, ...(note === undefined ? {} : { note }), lineage: { ...base.lineage, sheet: '数据', cell } };
};
const warning = (indicator: string, cell: string): FigureWarning => ({ indicator, code: 'value.out_of_range', message: `${indicator} is unusual`, sheet: '数据', cell });

/** Science's October: two warned figures, one of them explained by the note on its workbook row. */
function october(): MonthRecord {
  const figures = [figure('sci.rd_intensity', 9.5, 'D5'), figure('sci.national_incubators', 40, 'D6', 'Two incubators were merged in the count')];
  return submittedMonth({ ...submission('science', PERIOD), uploader: 'AWS:AROAEXAMPLE:api' }, figures, [warning('sci.rd_intensity', 'D5'), warning('sci.national_incubators', 'D6')]);
}

/** October published by its snapshot after the head approved it, with a corrected upload waiting for the office. */
function lockedWithCorrection(): MonthRecord {
  const approved = { ...october(), review: { ...october().review, state: 'approved' as const, warnings: [] } };
  const published = locked(approved, new Date('2026-11-12T18:00:00Z'));
  if (!published) throw new Error('October was already locked');
  const corrected = { submission: { ...submission('science', PERIOD), key: 'science/2026-10-corrected.xlsx', uploadedAt: '2026-11-15T02:00:00.000Z' }, observations: [figure('sci.rd_intensity', 3.2, 'D5')] };
  return withCorrection(published, corrected, []);
}

function withMonths(...months: MonthRecord[]) {
  const { call } = portal({ months });
  const get = async (as: string) => {
    const response = await call({ path: monthPath(), as });
    expect(response.status).toBe(200);
    return jsonOf(response) as MonthDetail;
  };
  const review = (as: string, body: ReviewBody | Record<string, unknown>) => call({ method: 'POST', path: `${monthPath()}/review`, body: JSON.stringify(body), as });
  const explain = (as: string, body: unknown) => call({ method: 'PUT', path: `${monthPath()}/explanations`, body: JSON.stringify(body), as });
  return { call, get, review, explain };
}

describe('GET a month', () => {
  it('shows the figures under sign-off with their cells, each warning with its explanation, the trail, and what the user may do', async () => {
    const { get } = withMonths(october());
    const detail = await get('science-head');
    expect(detail).toMatchObject({ department: 'science', period: PERIOD, state: 'submitted', signOff: 'provisional', returned: null, lockedAt: null, correction: null, restatements: [] });
    expect(detail.current).toMatchObject({ revision: 1, uploadedAt: '2026-10-28T09:00:00.000Z', uploader: 'AWS:AROAEXAMPLE:api', fileName: '2026-10.xlsx' });
    expect(detail.current?.figures).toEqual([
      { indicator: 'sci.rd_intensity', value: 9.5, unit: 'count', note: null, sheet: '数据', cell: 'D5' },
      { indicator: 'sci.national_incubators', value: 40, unit: 'count', note: 'Two incubators were merged in the count', sheet: '数据', cell: 'D6' },
    ]);
    expect(detail.current?.warnings.map((w) => [w.indicator, w.cell, w.explanation?.source ?? null, w.explanation?.text ?? null])).toEqual([
      ['sci.rd_intensity', 'D5', null, null],
      ['sci.national_incubators', 'D6', 'workbook', 'Two incubators were merged in the count'],
    ]);
    expect(detail.audit).toEqual([{ action: 'submitted', at: '2026-10-28T09:00:00.000Z', by: 'AWS:AROAEXAMPLE:api', reason: null, revision: 1, indicator: null }]);
    // A warning is unexplained: the head may return the month, not yet approve it.
    expect(detail.may).toEqual({ explain: true, approve: false, return: true });
    expect((await get('science-clerk')).may).toEqual({ explain: true, approve: false, return: false });
    expect((await get('office')).may).toEqual({ explain: false, approve: false, return: false });
  });

  it('answers a month with no accepted workbook as not received, with nothing to do', async () => {
    const detail = await withMonths().get('science-clerk');
    expect(detail).toEqual({
      department: 'science',
      period: PERIOD,
      state: 'not_received',
      signOff: null,
      current: null,
      returned: null,
      lockedAt: null,
      correction: null,
      restatements: [],
      audit: [],
      may: { explain: false, approve: false, return: false },
    });
  });

  it("refuses another department's clerk, a department that is none, and a period that is no month", async () => {
    const { call } = withMonths(october());
    expect(errorCode(await call({ path: monthPath(), as: 'education-clerk' }))).toBe('auth.forbidden');
    expect(errorCode(await call({ path: monthPath('nowhere'), as: 'office' }))).toBe('request.not_found');
    expect(errorCode(await call({ path: monthPath('science', '2026-13'), as: 'science-clerk' }))).toBe('request.invalid');
  });
});

describe('who may decide on a month', () => {
  const explained = { 'sci.rd_intensity': 'A new laboratory opened this month' };

  it("refuses a clerk's approval with 403, and changes nothing", async () => {
    const { get, review, explain } = withMonths(october());
    await explain('science-clerk', explained);
    const response = await review('science-clerk', { decision: 'approve' });
    expect(response.status).toBe(403);
    expect(errorCode(response)).toBe('auth.forbidden');
    expect((await get('science-head')).state).toBe('submitted');
  });

  it("refuses a head's approval of another department with 403", async () => {
    const response = await withMonths(october()).review('education-head', { decision: 'approve' });
    expect(response.status).toBe(403);
    expect(errorCode(response)).toBe('auth.forbidden');
  });

  it("refuses the office's approval of an open month: its head signs it off", async () => {
    const response = await withMonths(october()).review('office', { decision: 'approve' });
    expect(response.status).toBe(403);
    expect((jsonOf(response) as { error: { message: string } }).error.message).toContain('reform office decides only on corrections');
  });

  it("lets only the office approve a locked month's correction, with a reason, which restates the published figures", async () => {
    const { get, review } = withMonths(lockedWithCorrection());
    const before = await get('office');
    expect(before).toMatchObject({ state: 'locked', signOff: 'official', current: { revision: 1 }, correction: { revision: 2, fileName: '2026-10-corrected.xlsx' } });
    expect(before.may).toEqual({ explain: false, approve: true, return: true });
    expect((await get('science-head')).may).toEqual({ explain: false, approve: false, return: false });

    const byHead = await review('science-head', { decision: 'approve', reason: 'Corrected R&D figure', revision: 2 });
    expect(byHead.status).toBe(403);
    expect(errorCode(byHead)).toBe('auth.forbidden');
    expect(errorCode(await review('office', { decision: 'approve', revision: 2 }))).toBe('request.invalid');

    const response = await review('office', { decision: 'approve', reason: 'Corrected R&D figure', revision: 2 });
    expect(response.status).toBe(200);
    const after = jsonOf(response) as MonthDetail;
    expect(after).toMatchObject({ state: 'locked', signOff: 'official', correction: null, current: { revision: 2, figures: [{ indicator: 'sci.rd_intensity', value: 3.2 }] } });
    expect(after.restatements.map((r) => [r.indicator, r.from, r.to, r.approvedBy, r.reason])).toEqual([
      ['sci.rd_intensity', 9.5, 3.2, 'office', 'Corrected R&D figure'],
      ['sci.national_incubators', 40, null, 'office', 'Corrected R&D figure'],
    ]);
    expect(after.audit.at(-1)).toEqual({ action: 'restated', at: NOW.toISOString(), by: 'office', reason: 'Corrected R&D figure', revision: 2, indicator: null });
    expect(after.audit.map((entry) => entry.action)).toContain('correction_submitted');
  });
});

describe('signing off a month', () => {
  it('refuses approval with 409 until each warning is explained, then approves it as official', async () => {
    const { get, review, explain } = withMonths(october());
    const refused = await review('science-head', { decision: 'approve', revision: 1 });
    expect(refused.status).toBe(409);
    expect(errorCode(refused)).toBe('month.unexplained_warnings');
    expect((jsonOf(refused) as { error: { message: string } }).error.message).toContain('sci.rd_intensity');

    const explainedResponse = await explain('science-clerk', { 'sci.rd_intensity': '  A new laboratory opened this month ' });
    expect(explainedResponse.status).toBe(200);
    const explained = jsonOf(explainedResponse) as MonthDetail;
    expect(explained.current?.warnings[0]?.explanation).toEqual({ text: 'A new laboratory opened this month', by: 'science-clerk', at: NOW.toISOString(), source: 'portal' });
    expect((await get('science-head')).may).toEqual({ explain: true, approve: true, return: true });

    const approved = await review('science-head', { decision: 'approve', revision: 1 });
    expect(approved.status).toBe(200);
    expect(jsonOf(approved)).toMatchObject({ state: 'approved', signOff: 'official', may: { explain: false, approve: false, return: false } });
    expect((jsonOf(approved) as MonthDetail).audit.map((entry) => [entry.action, entry.by, entry.indicator])).toEqual([
      ['submitted', 'AWS:AROAEXAMPLE:api', null],
      ['explained', 'science-clerk', 'sci.rd_intensity'],
      ['approved', 'science-head', null],
    ]);
    expect(errorCode(await review('science-head', { decision: 'approve' }))).toBe('month.not_submitted');
  });

  it("needs a reason to return a month; the clerk's explanations then submit it again", async () => {
    const { call, review, explain } = withMonths(october());
    const unexplained = await review('science-head', { decision: 'return', reason: '   ' });
    expect(unexplained.status).toBe(400);
    expect(errorCode(unexplained)).toBe('request.invalid');

    const returned = jsonOf(await review('science-head', { decision: 'return', reason: 'The R&D intensity looks like the city average' })) as MonthDetail;
    expect(returned).toMatchObject({ state: 'returned', returned: { reason: 'The R&D intensity looks like the city average', by: 'science-head', at: NOW.toISOString() } });
    expect(returned.may).toEqual({ explain: true, approve: false, return: false });
    const months = jsonOf(await call({ path: '/api/departments/science/months', query: { year: '2026' }, as: 'science-clerk' })) as MonthsResponse;
    expect(months.months.find((m) => m.period === PERIOD)).toMatchObject({ state: 'returned', returnedReason: 'The R&D intensity looks like the city average' });

    const resubmitted = jsonOf(await explain('science-clerk', { 'sci.rd_intensity': 'It is our own figure: checked with the statistics bureau' })) as MonthDetail;
    expect(resubmitted).toMatchObject({ state: 'submitted', returned: null });
    expect(resubmitted.audit.map((entry) => entry.action)).toEqual(['submitted', 'returned', 'explained', 'submitted']);
  });

  it('refuses a decision on a revision, or a workbook, the reviewer did not see with 409 month.changed', async () => {
    const { review, get } = withMonths(lockedWithCorrection());
    const response = await review('office', { decision: 'return', reason: 'Wrong file', revision: 1 });
    expect(response.status).toBe(409);
    expect(errorCode(response)).toBe('month.changed');
    const correction = (await get('office')).correction;
    expect(correction?.contentSha256).toMatch(/^[0-9a-f]{64}$|^sha/);
    expect(errorCode(await review('office', { decision: 'return', reason: 'Wrong file', revision: 2, contentSha256: '0'.repeat(64) }))).toBe('month.changed');
    expect((await review('office', { decision: 'return', reason: 'Wrong file', revision: 2, contentSha256: correction?.contentSha256 })).status).toBe(200);
  });

  it('answers 404 month.not_found for a month with no accepted workbook', async () => {
    const { review, explain } = withMonths();
    expect(errorCode(await review('science-head', { decision: 'approve' }))).toBe('month.not_found');
    expect(errorCode(await explain('science-clerk', { 'sci.rd_intensity': 'x' }))).toBe('month.not_found');
  });

  it('refuses an explanation of a figure without a warning, and one of a locked month already approved', async () => {
    const { explain } = withMonths(october());
    const response = await explain('science-clerk', { 'sci.new_innovation_platforms': 'Nothing to explain' });
    expect(response.status).toBe(400);
    expect((jsonOf(response) as { error: { message: string } }).error.message).toContain('sci.new_innovation_platforms');
    const published = locked({ ...october(), review: { ...october().review, state: 'approved' } }, NOW);
    if (!published) throw new Error('October was already locked');
    expect(errorCode(await withMonths(published).explain('science-clerk', { 'sci.rd_intensity': 'Late' }))).toBe('month.locked');
  });

  it.each([
    ['a decision that is none', 'review', { decision: 'accept' }, 'decision'],
    ['no decision', 'review', { reason: 'ok' }, 'decision'],
    ['a revision as text', 'review', { decision: 'approve', revision: '1' }, 'revision'],
    ['a field the API does not know', 'review', { decision: 'approve', approver: 'science-head' }, 'approver'],
    ['an explanation that is not text', 'explanations', { 'sci.rd_intensity': 5 }, 'sci.rd_intensity'],
    ['no explanation at all', 'explanations', {}, 'body'],
  ])('answers 400 naming the field for %s', async (_, route, body, field) => {
    const { review, explain } = withMonths(october());
    const response = route === 'review' ? await review('science-head', body) : await explain('science-clerk', body);
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('request.invalid');
    expect((jsonOf(response) as { error: { message: string } }).error.message).toContain(field);
  });
});

describe('the refusals of review.ts', () => {
  it('each answer with the status the API gives its code', () => {
    for (const [code, status] of Object.entries(REVIEW_REFUSALS)) expect([code, API_ERRORS[code as keyof typeof API_ERRORS]]).toEqual([code, status]);
  });
});
