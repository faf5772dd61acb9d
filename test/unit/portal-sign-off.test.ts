import { describe, expect, it } from 'vitest';
import type { MonthFigureView, WarningView } from '../../shared/portal/contract.js';
import type { AuditEntry, Restatement } from '../../shared/review/review.js';
import {
  approvalWaitsText,
  auditLineOf,
  correctionLinesOf,
  explanationsBodyOf,
  reasonRequired,
  restatementLineOf,
  reviewBodyOf,
  underReviewOf,
  valueText,
  warnedFiguresOf,
} from '../../portal/src/lib/sign-off.js';

const figure = (indicator: string, value: MonthFigureView['value']): MonthFigureView => ({ indicator, value, unit: 'count', note: null, sheet: '数据', cell: 'E5' });
const warning = (indicator: string, code: string, explanation: WarningView['explanation'] = null): WarningView => ({
  indicator,
  code,
  message: `${code} of ${indicator}`,
  sheet: '数据',
  cell: 'E5',
  explanation,
});
const typed = (text: string): WarningView['explanation'] => ({ text, by: 'science-clerk', at: '2026-11-05T02:00:00Z', source: 'portal' });

describe('the audit trail in words', () => {
  const entry: AuditEntry = { action: 'explained', at: '2026-11-05T16:30:00Z', by: 'science-clerk', reason: '新增两家孵化器', revision: 1, indicator: 'sci.national_incubators' };

  it('says when on the district clock, who, what, about which figure, and why', () => {
    const line = auditLineOf(entry);
    expect(line).toMatchObject({ at: '2026-11-06 00:30', by: 'science-clerk', reason: '新增两家孵化器' });
    expect(line.what).toEqual({ zh: '填写说明', en: 'explained a warning' });
    expect(line.indicator?.zh).toMatch(/孵化器/);
  });

  it('names no figure for a step about the whole month, and keeps an unknown indicator as its id', () => {
    expect(auditLineOf({ ...entry, action: 'returned', indicator: null }).indicator).toBeNull();
    expect(auditLineOf({ ...entry, indicator: 'sci.gone' }).indicator).toEqual({ zh: 'sci.gone', en: '' });
  });
});

describe('restatements in words', () => {
  const restatement: Restatement = {
    department: 'science',
    period: '2026-09',
    indicator: 'sci.st_commissioners',
    from: 120,
    to: 123,
    unit: 'person',
    requestedAt: '2026-10-20T01:00:00Z',
    requestedBy: 'science-clerk',
    approvedAt: '2026-10-21T08:15:00Z',
    approvedBy: 'office',
    reason: '漏报三人',
    sourceKey: 'incoming/science/u1/science-2026-09.xlsx',
  };

  it('names the department and indicator and gives old → new with the unit, approved when and by whom', () => {
    const line = restatementLineOf(restatement);
    expect(line.department.zh).toBe('区科技局');
    expect(line.from).toMatch(/^120 \S/);
    expect(line.to).toMatch(/^123 \S/);
    expect(line).toMatchObject({ period: '2026-09', approvedAt: '2026-10-21 16:15', approvedBy: 'office', reason: '漏报三人' });
  });

  it('shows – for a figure the correction added or removed', () => {
    expect(restatementLineOf({ ...restatement, from: null }).from).toBe('–');
    expect(restatementLineOf({ ...restatement, to: null }).to).toBe('–');
  });
});

describe('valueText', () => {
  it('reads a milestone as done or not', () => {
    expect(valueText('sci.incentive_app_rollout', true)).toBe('是 done');
  });
});

describe('the figures under review', () => {
  const current = { revision: 1, contentSha256: 'a'.repeat(64), uploadedAt: '', uploader: null, fileName: 'a.xlsx', figures: [], warnings: [] };
  const correction = { ...current, revision: 2 };

  it("is a locked month's correction when there is one, else the current figures", () => {
    expect(underReviewOf({ current, correction })).toBe(correction);
    expect(underReviewOf({ current, correction: null })).toBe(current);
    expect(underReviewOf({ current: null, correction: null })).toBeNull();
  });

  it.each([
    { correction: null, decision: 'return', required: true },
    { correction: null, decision: 'approve', required: false },
    { correction, decision: 'approve', required: true },
    { correction, decision: 'return', required: true },
  ] as const)('asks a reason to $decision with a correction $correction.revision: $required', ({ correction, decision, required }) => {
    expect(reasonRequired({ correction }, decision)).toBe(required);
  });

  it('sends the revision and the workbook seen, and the reason trimmed or not at all', () => {
    const seen = { revision: 3, contentSha256: 'b'.repeat(64) };
    expect(reviewBodyOf('return', '  数字有误 ', seen)).toEqual({ decision: 'return', reason: '数字有误', ...seen });
    expect(reviewBodyOf('approve', ' ', seen)).toEqual({ decision: 'approve', ...seen });
  });
});

describe('explanations', () => {
  const warnings = [warning('a', 'value.implausible'), warning('a', 'value.cumulative_mismatch'), warning('b', 'value.implausible', typed('旧说明'))];

  it('groups the warnings of a figure, which one explanation answers', () => {
    expect(warnedFiguresOf(warnings).map((f) => [f.indicator, f.warnings.map((w) => w.code), f.explanation?.text ?? null])).toEqual([
      ['a', ['value.implausible', 'value.cumulative_mismatch'], null],
      ['b', ['value.implausible'], '旧说明'],
    ]);
  });

  it('says which figures approval waits for, by name, and nothing once each is explained', () => {
    const waits = approvalWaitsText({ warnings: [warning('sci.national_incubators', 'value.implausible'), warning('sci.tech_managers', 'value.implausible', typed('新聘'))] });
    expect(waits?.zh).toMatch(/^还有 1 项警告未说明（国家级孵化器）/);
    expect(waits?.en).toMatch(/^1 warned figure\(s\) not explained yet \(National-level incubators\)/);
    expect(approvalWaitsText({ warnings: [warning('sci.tech_managers', 'value.implausible', typed('新聘'))] })).toBeNull();
  });

  it('sends only what is new: neither a blank field nor an explanation left as it was', () => {
    const warned = warnedFiguresOf(warnings);
    expect(explanationsBodyOf(warned, { a: ' 新增 ', b: '旧说明' })).toEqual({ a: '新增' });
    expect(explanationsBodyOf(warned, { a: '  ', b: '改了' })).toEqual({ b: '改了' });
  });
});

describe('a pending correction, figure by figure', () => {
  it('lists only the figures it changes, adds or removes, old → new', () => {
    const lines = correctionLinesOf([figure('sci.st_commissioners', 120), figure('sci.tech_managers', 9), figure('sci.bayu_craftsmen', 4)], [
      figure('sci.st_commissioners', 123),
      figure('sci.tech_managers', 9),
      figure('sci.national_incubators', 2),
    ]);
    expect(lines.map(({ indicator, from, to }) => [indicator, from.split(' ')[0], to.split(' ')[0]])).toEqual([
      ['sci.st_commissioners', '120', '123'],
      ['sci.bayu_craftsmen', '4', '–'],
      ['sci.national_incubators', '–', '2'],
    ]);
  });
});
