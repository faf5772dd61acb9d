import { loadCatalog, type Catalog } from '../shared/catalog/catalog.js';
import type { Observation, Submission } from '../shared/observation.js';
import type { Period } from '../shared/calendar.js';
import { submittedReview, type FigureWarning, type MonthRecord } from '../shared/review/review.js';
import { reportsFolder } from '../shared/s3-keys.js';
import type { SnapshotInput } from '../shared/snapshot/index.js';

/** An accepted figure with the lineage of a plausible upload; only what the maths reads varies. */
export function observation(indicator: string, period: Period, value: number | boolean, department = 'science'): Observation {
  return {
    department,
    indicator,
    period,
    value,
    unit: 'count',
    lineage: {
      bucket: 'uploads',
      key: `${department}/${period}.xlsx`,
      sequencer: '0A',
      sheet: 'Sheet1',
      cell: 'C3',
      uploadedAt: `${period}-28T09:00:00.000Z`,
    },
  };
}

export function submission(department: string, period: Period, indicators: string[] = []): Submission {
  return {
    department,
    period,
    bucket: 'uploads',
    key: `${department}/${period}.xlsx`,
    sequencer: '0A',
    uploadedAt: `${period}-28T09:00:00.000Z`,
    contentSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    indicators,
    reportKey: `${reportsFolder(department)}${period}.json`,
  };
}

/** Two departments and one indicator of each kind of target the snapshot has to show side by side. */
export const testCatalog = loadCatalog({
  version: 'test.1',
  units: [
    { id: 'count', zh: '个', en: 'count', value: 'integer', labels: ['个'] },
    { id: 'percent', zh: '%', en: 'percent', value: 'percent', labels: ['%'] },
    { id: 'done', zh: '是/否', en: 'done', value: 'boolean', labels: ['是/否'] },
  ],
  departments: [
    { id: 'science', zh: '区科技局', en: 'Science & Technology Bureau' },
    { id: 'education', zh: '区教委', en: 'Education Commission' },
  ],
  indicators: [
    {
      id: 'sci.platforms',
      department: 'science',
      zh: '新增平台',
      en: 'New platforms',
      unit: 'count',
      kind: 'flow',
      target: { type: 'reach', comparison: 'at_least', value: 20, deadline: '2027-12-31', baseline: { value: 0, date: '2025-12-31' } },
    },
    {
      id: 'sci.rd_intensity',
      department: 'science',
      zh: '研发投入强度',
      en: 'R&D intensity',
      unit: 'percent',
      kind: 'ratio',
      target: { type: 'relative', comparison: 'greater_than', reference: 'sci.city_average', until: '2027-12-31' },
    },
    { id: 'sci.city_average', department: 'science', zh: '全市平均', en: 'City average', unit: 'percent', kind: 'ratio' },
    { id: 'edu.designation', department: 'education', zh: '创建', en: 'Designation', unit: 'done', kind: 'milestone', target: { type: 'milestone' } },
  ],
});

export const PERIOD = '2026-11';

export const testInput: SnapshotInput = {
  catalog: testCatalog,
  period: PERIOD,
  observations: [
    observation('sci.platforms', '2026-10', 3),
    observation('sci.platforms', '2026-11', 4),
    observation('sci.platforms', '2026-12', 100),
    observation('sci.rd_intensity', '2026-11', 2.5),
    observation('sci.city_average', '2026-11', 2.4),
    observation('edu.designation', '2026-09', false, 'education'),
  ],
  submissions: [submission('science', PERIOD), submission('education', '2026-10')],
};

/** testInput with the platforms target lowered from 20 to 12 from July 2026, by a decision. */
export const revisedTestInput: SnapshotInput = {
  ...testInput,
  catalog: loadCatalog({
    ...testCatalog,
    indicators: testCatalog.indicators.map((indicator) =>
      indicator.id === 'sci.platforms' && indicator.target?.type === 'reach'
        ? { ...indicator, targetRevisions: [{ effective: '2026-07-01', reason: '市级任务下调', decidedBy: '区政府常务会议纪要', target: { ...indicator.target, value: 12 } }] }
        : indicator,
    ),
  }),
};

/** How the reports state the revised platforms target of revisedTestInput in November 2026. */
export const REVISED_PLATFORMS_TARGET =
  '现行 in force: 2027-12-31 前 ≥ 12 个 / ≥ 12 count by 2027-12-31（2026-07-01 调整 revised: 市级任务下调）；原目标 original: 2027-12-31 前 ≥ 20 个 / ≥ 20 count by 2027-12-31：按计划推进 on track';

/**
 * A plausible year of figures for every indicator of a catalog, January to `to`: milestones done
 * from June, flows a steady monthly amount, levels climbing toward their target.
 */
export function yearOfFigures(catalogData: Pick<Catalog, 'indicators'>, to: Period): Observation[] {
  const months = Number(to.slice(5, 7));
  return catalogData.indicators.flatMap((indicator) =>
    Array.from({ length: months }, (_, i) => {
      const period = `${to.slice(0, 4)}-${String(i + 1).padStart(2, '0')}`;
      const target = indicator.target;
      const goal = target?.type === 'reach' || target?.type === 'hold' ? target.value : 3;
      const value = indicator.kind === 'milestone' ? i >= 5 : indicator.kind === 'flow' ? Math.max(1, Math.round(goal / 30)) : Number(((goal * (0.6 + i / 30))).toFixed(2));
      return observation(indicator.id, period, value, indicator.department);
    }),
  );
}

/** A department's month just submitted with these figures and warnings: its first revision, awaiting the head. */
export function submittedMonth(submitted: Submission, observations: Observation[] = [], warnings: FigureWarning[] = []): MonthRecord {
  const slice = { submission: submitted, observations };
  return { slice, revision: 1, review: submittedReview(undefined, slice, warnings, 1) };
}
