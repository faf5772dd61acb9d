import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { catalogWords, gapLines, headline, notReported, notReportedText, statusReason, targetText, valueText } from '../../shared/snapshot/report-model.js';
import { buildSnapshot, type SnapshotIndicator } from '../../shared/snapshot/snapshot.js';
import { testInput } from '../fixtures.js';
import { monthReview } from './review-fixtures.js';

const words = catalogWords(catalog);

/** A row as the snapshot writes it, with only what a case needs set. */
function row(fields: Partial<SnapshotIndicator>): SnapshotIndicator {
  return {
    indicator: 'sci.bayu_craftsmen',
    department: 'science',
    zh: '巴渝工匠',
    en: 'Bayu craftsmen trained',
    kind: 'flow',
    unit: 'persons',
    value: 330,
    asOf: '2026-11',
    referenceValue: null,
    progress: 0.33,
    expected: 0.4575,
    status: 'off_track',
    targetType: 'reach',
    comparison: 'at_least',
    targetValue: 1000,
    reference: null,
    baselineValue: 0,
    baselineDate: '2025-12-31',
    baselineAssumed: false,
    deadline: '2027-12-31',
    runRate3m: 30,
    runRate12m: 30,
    requiredRunRate: 51.5,
    projectedValue: 720,
    done: null,
    note: null,
    revisionEffective: null,
    revisionReason: null,
    revisionDecidedBy: null,
    originalComparison: null,
    originalTargetValue: null,
    originalDeadline: null,
    originalProgress: null,
    originalExpected: null,
    originalStatus: null,
    signOff: 'official',
    explanation: null,
    ...fields,
  };
}

describe('valueText and targetText', () => {
  it.each([
    { case: 'a sum of money in 亿元', fields: { unit: 'cny_100m', value: 14.2 }, value: '14.2 亿元 / 14.2 100 million CNY' },
    { case: 'a ratio in its own unit', fields: { unit: 'patents_per_100m_cny_revenue', value: 0.85 }, value: '0.85 件/亿元营业收入 / 0.85 patents per 100 million CNY of revenue' },
    { case: 'binary noise removed', fields: { unit: 'percent', value: 0.1 + 0.2 }, value: '0.3 % / 0.3 percent' },
    { case: 'a milestone done', fields: { unit: 'done', value: null, done: true }, value: '是 done' },
    { case: 'no figure', fields: { value: null }, value: '–' },
  ])('writes $case with the catalog unit words', ({ fields, value }) => {
    expect(valueText(row(fields), words)).toBe(value);
  });

  it.each([
    { case: 'a reach target', fields: {}, target: '2027-12-31 前 ≥ 1000 人 / ≥ 1000 persons by 2027-12-31' },
    { case: 'a hold target', fields: { targetType: 'hold', unit: 'students', targetValue: 4000 }, target: '保持 ≥ 4000 人 / hold ≥ 4000 students' },
    {
      case: 'a relative target by the reference indicator name',
      fields: { targetType: 'relative', comparison: 'greater_than', reference: 'sci.rd_intensity_city_avg', targetValue: null },
      target: '> 全市平均研发投入强度，至 2027-12-31 / > City-wide average R&D intensity until 2027-12-31',
    },
    { case: 'an undated milestone', fields: { targetType: 'milestone', deadline: null }, target: '完成 / done' },
    { case: 'a dated milestone', fields: { targetType: 'milestone', deadline: '2024-11-30' }, target: '2024-11-30 前完成 / done by 2024-11-30' },
  ] as const)('states $case in words', ({ fields, target }) => {
    expect(targetText(row(fields), words)).toBe(target);
  });

  const revised = {
    targetValue: 800,
    revisionEffective: '2026-07-01',
    revisionReason: '市级任务下调',
    revisionDecidedBy: '区政府常务会议纪要',
    originalComparison: 'at_least',
    originalTargetValue: 1000,
    originalDeadline: '2027-12-31',
    originalProgress: 0.33,
    originalExpected: 0.4575,
    originalStatus: 'off_track',
  } as const;

  it.each([
    {
      case: 'a revised reach target: the target in force with its revision, then the original and the status against it',
      fields: revised,
      target:
        '现行 in force: 2027-12-31 前 ≥ 800 人 / ≥ 800 persons by 2027-12-31（2026-07-01 调整 revised: 市级任务下调）；' +
        '原目标 original: 2027-12-31 前 ≥ 1000 人 / ≥ 1000 persons by 2027-12-31：进度滞后 off track',
    },
    {
      case: 'a milestone given a later deadline',
      fields: { ...revised, targetType: 'milestone', deadline: '2027-06-30', originalDeadline: '2026-11-30', originalStatus: 'off_track' },
      target: '现行 in force: 2027-06-30 前完成 / done by 2027-06-30（2026-07-01 调整 revised: 市级任务下调）；原目标 original: 2026-11-30 前完成 / done by 2026-11-30：进度滞后 off track',
    },
    {
      case: 'a row of a snapshot before schema 5, without revision fields',
      fields: { revisionEffective: undefined, originalStatus: undefined },
      target: '2027-12-31 前 ≥ 1000 人 / ≥ 1000 persons by 2027-12-31',
    },
  ] as const)('states $case', ({ fields, target }) => {
    expect(targetText(row(fields), words)).toBe(target);
  });

  it('keeps an id the catalog does not know rather than drop it', () => {
    expect(valueText(row({ unit: 'furlongs', value: 2 }), words)).toBe('2 furlongs / 2 furlongs');
  });
});

describe('gapLines', () => {
  it.each([
    { case: 'a reach target behind: what is left and the pace needed', fields: {}, lines: ['还差 670 人 / 670 persons to go', '需每月 51.5，当前每月 30 / needs 51.5 a month, running at 30'] },
    { case: 'a reach target without a 3-month pace', fields: { runRate3m: null }, lines: ['还差 670 人 / 670 persons to go', '需每月 51.5 / needs 51.5 a month'] },
    { case: 'a reach target past its deadline', fields: { requiredRunRate: null }, lines: ['还差 670 人 / 670 persons to go'] },
    { case: 'an achieved target', fields: { status: 'achieved', value: 1000 }, lines: [] },
    { case: 'a hold target short', fields: { targetType: 'hold', unit: 'students', value: 3999.5, targetValue: 4000 }, lines: ['还差 0.5 人 / 0.5 students short'] },
    {
      case: 'a relative target short of its reference',
      fields: { targetType: 'relative', unit: 'percent', value: 2.1, referenceValue: 2.4, targetValue: null },
      lines: ['还差 0.3 % / 0.3 percent short'],
    },
    {
      case: 'a relative target equal to a reference it must exceed',
      fields: { targetType: 'relative', comparison: 'greater_than', unit: 'percent', value: 2.4, referenceValue: 2.4, targetValue: null },
      lines: ['须高于 2.4 % / must exceed 2.4 percent'],
    },
    { case: 'a milestone', fields: { targetType: 'milestone', unit: 'done', value: null, done: false, status: 'at_risk' }, lines: [] },
  ] as const)('says $case in the indicator unit', ({ fields, lines }) => {
    expect(gapLines(row(fields), words)).toEqual(lines);
  });
});

describe('statusReason', () => {
  it.each([
    {
      case: 'at risk while ahead of the straight line',
      fields: { status: 'at_risk', progress: 0.5, expected: 0.4575, projectedValue: 720 },
      reason: "进度不低于应达线，但按近 3 个月速度到期只能达到 720 人 / ahead of the straight line, but at the last 3 months' pace it reaches only 720 persons by the deadline",
    },
    {
      case: 'at risk below the line but close',
      fields: { status: 'at_risk', progress: 0.4, projectedValue: 850 },
      reason: "低于应达线；按近 3 个月速度到期可达 850 人，接近目标 / behind the straight line; at the last 3 months' pace it reaches 850 persons, close to the target",
    },
    { case: 'an undated milestone not done', fields: { status: 'at_risk', targetType: 'milestone', deadline: null }, reason: '尚未完成，且未定完成期限 / not done, and no deadline is set' },
    {
      case: 'off track below the line',
      fields: {},
      reason: "低于应达线；按近 3 个月速度到期只能达到 720 人 / behind the straight line; at the last 3 months' pace it reaches only 720 persons by the deadline",
    },
    { case: 'off track past its deadline', fields: { requiredRunRate: null }, reason: '期限已到，目标未完成 / the deadline has come and the target is not met' },
    { case: 'a stale figure', fields: { status: 'stale', asOf: '2026-05' }, reason: '最新数据截至 2026-05，已过有效期 / the latest figure is of 2026-05, too old to judge by' },
    { case: 'achieved, which needs no reason', fields: { status: 'achieved' }, reason: null },
    { case: 'a hold target short, whose gap says it', fields: { targetType: 'hold' }, reason: null },
  ] as const)('explains $case', ({ fields, reason }) => {
    expect(statusReason(row(fields), words)).toBe(reason);
  });
});

describe('notReported and the headline', () => {
  // The test input has science reporting the month, approved with the month before, and education only the month before.
  const snapshot = buildSnapshot({ ...testInput, reviews: [monthReview('science', '2026-10', 'approved'), monthReview('science', '2026-11', 'approved')] });

  it('lists the departments without the month report, each with its due date', () => {
    expect(notReported(snapshot).map(notReportedText)).toEqual(['区教委 Education Commission：应于 2026-12-10 前报送 / due by 2026-12-10']);
  });

  it('lists nobody when every department reported', () => {
    expect(notReported({ ...snapshot, departments: snapshot.departments.map((d) => ({ ...d, reported: true })) })).toEqual([]);
  });

  it('counts only the reporting departments, and says how many it left out', () => {
    const { good, behind, targets, carried, counts } = headline(snapshot);
    expect({ good, behind, targets, carried }).toEqual({ good: 2, behind: 0, targets: 2, carried: 1 });
    expect([...counts]).toEqual([
      ['on_track', 1],
      ['achieved', 1],
    ]);
  });
});
