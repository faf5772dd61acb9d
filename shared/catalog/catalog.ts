import { z } from 'zod';
import catalogData from './catalog.json' with { type: 'json' };
import { periodOfDate, type Period } from '../calendar.js';
import { SEVERITIES } from '../problem.js';
import { DEPARTMENT_ID } from '../s3-keys.js';

/**
 * The indicator catalog: departments, units, indicators and their targets.
 * It is data (catalog.json), checked here once at load so that a bad entry
 * fails loudly with its id instead of surfacing as a wrong figure later.
 */

const isoDate = z.iso.date();

const unitSchema = z.object({
  id: z.string().min(1),
  zh: z.string().min(1),
  en: z.string().min(1),
  /** How a value in this unit is typed: whole numbers, decimals, percentage points or done/not done. */
  value: z.enum(['integer', 'decimal', 'percent', 'boolean']),
  /**
   * Labels that name this unit in a workbook header or unit column, as official statistical forms write it (a patent
   * ratio is reported in 件); none may change what the figure counts (人次 is not 人).
   */
  labels: z.array(z.string().min(1)),
  /** Other units a clerk may report in, with the factor that converts them to this one (万元 → 亿元 is 0.0001). */
  scales: z.array(z.object({ labels: z.array(z.string().min(1)).min(1), factor: z.number().positive() })).default([]),
});

const departmentSchema = z.object({
  id: z.string().regex(DEPARTMENT_ID, 'a department id is lower-case letters, digits, "_" or "-"'),
  zh: z.string().min(1),
  en: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
});

const comparisonSchema = z.enum(['at_least', 'greater_than']);

const targetSchema = z.discriminatedUnion('type', [
  /** Reach a value by a deadline, on a straight line from the baseline. */
  z.object({
    type: z.literal('reach'),
    comparison: comparisonSchema,
    value: z.number(),
    deadline: isoDate,
    baseline: z.object({ value: z.number(), date: isoDate, assumed: z.boolean().default(false) }),
  }),
  /** Hold a level every month (enrolment 4000, 22 majors). */
  z.object({ type: z.literal('hold'), comparison: comparisonSchema, value: z.number() }),
  /** Stay above another indicator's value of the same month, until a date. */
  z.object({ type: z.literal('relative'), comparison: comparisonSchema, reference: z.string().min(1), until: isoDate }),
  /** Done, by a deadline when the source gives one. */
  z.object({ type: z.literal('milestone'), deadline: isoDate.optional() }),
]);

/**
 * A target revised by a decision: from `effective` on it is the target in force, and the catalog keeps the original
 * beside it. A revision changes how much and by when, never what is measured: a reach target keeps its baseline and a
 * relative one its reference, so that progress against the original and against the revision start from one point.
 */
const targetRevisionSchema = z.object({
  effective: isoDate,
  reason: z.string().trim().min(1, 'a revision needs its reason'),
  /** The document or body that decided the revision (a meeting's minutes, the reform office). */
  decidedBy: z.string().trim().min(1, 'a revision names who decided it'),
  target: targetSchema,
});

const severitySchema = z.enum(SEVERITIES);

/**
 * The checks beyond a value's type, by the problem code each raises. Whether a failed check rejects the
 * upload (error) or is reported beside the accepted figures (warning) is a choice of the catalog's owner.
 */
const severitiesSchema = z
  .object({
    'value.implausible': severitySchema.default('warning'),
    'value.fell': severitySchema.default('error'),
    'value.percent_out_of_range': severitySchema.default('error'),
    'period.future': severitySchema.default('error'),
    'indicator.duplicate': severitySchema.default('error'),
    'indicator.other_department': severitySchema.default('error'),
  })
  .strict()
  .prefault({});

export type RuleCode = keyof z.infer<typeof severitiesSchema>;

/** The range a month's figure falls in unless it was mistyped (in 元 instead of 亿元, a digit too many), in the canonical unit. */
const plausibleSchema = z
  .object({ min: z.number().optional(), max: z.number().optional(), severity: severitySchema.optional() })
  .refine((range) => range.min === undefined || range.max === undefined || range.min <= range.max, 'min is above max');

const indicatorSchema = z.object({
  id: z.string().regex(/^[a-z]+\.[a-z0-9_]+$/, 'an indicator id is "<prefix>.<snake_case>"'),
  department: z.string().min(1),
  zh: z.string().min(1),
  en: z.string().min(1),
  unit: z.string().min(1),
  kind: z.enum(['stock', 'flow', 'ratio', 'milestone']),
  aliases: z.array(z.string().min(1)).default([]),
  /** The target as first set; it stays when revised. */
  target: targetSchema.optional(),
  /** Later decisions on the target, oldest first. */
  targetRevisions: z.array(targetRevisionSchema).optional(),
  /** A figure older than this many months no longer describes the indicator; the catalog default applies when absent. */
  staleAfterMonths: z.number().int().positive().optional(),
  plausible: plausibleSchema.optional(),
  /** A cumulative count (schools designated so far): a month's figure below an earlier month's is a mistake. */
  neverFalls: z.boolean().optional(),
});

const catalogSchema = z.object({
  version: z.string().min(1),
  source: z.string().optional(),
  defaults: z.object({ staleAfterMonths: z.number().int().positive() }).default({ staleAfterMonths: 3 }),
  severities: severitiesSchema,
  units: z.array(unitSchema).min(1),
  departments: z.array(departmentSchema).min(1),
  indicators: z.array(indicatorSchema).min(1),
});

export type Unit = z.infer<typeof unitSchema>;
export type Department = z.infer<typeof departmentSchema>;
export type Target = z.infer<typeof targetSchema>;
type ReachBaseline = Extract<Target, { type: 'reach' }>['baseline'];
export type TargetRevision = z.infer<typeof targetRevisionSchema>;
export type Comparison = z.infer<typeof comparisonSchema>;
export type IndicatorKind = Indicator['kind'];
export type Indicator = z.infer<typeof indicatorSchema>;
export type CatalogData = z.infer<typeof catalogSchema>;

export interface Catalog extends CatalogData {
  department(id: string): Department | undefined;
  indicator(id: string): Indicator | undefined;
  unit(id: string): Unit;
  indicatorsOf(departmentId: string): Indicator[];
}

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

function duplicates(ids: string[]): string[] {
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}

/** A target's problems, the original's or a revision's: `at` names where it is, `indicator` whose it is. */
function targetProblems(at: string, indicator: Indicator, target: Target, indicators: ReadonlyMap<string, Indicator>): string[] {
  const problems: string[] = [];
  if ((target.type === 'milestone') !== (indicator.kind === 'milestone')) {
    problems.push(`${at}: a ${indicator.kind} indicator cannot have a ${target.type} target`);
  }
  if (target.type === 'reach' && target.baseline.date >= target.deadline) {
    problems.push(`${at}: baseline date ${target.baseline.date} is not before deadline ${target.deadline}`);
  }
  if (target.type === 'relative') {
    const reference = indicators.get(target.reference);
    if (!reference) problems.push(`${at}: reference "${target.reference}" is not an indicator`);
    else if (reference.unit !== indicator.unit) {
      problems.push(`${at}: reference "${reference.id}" is in unit "${reference.unit}", not "${indicator.unit}"`);
    }
  }
  return problems;
}

/** The last day a target can be revised: a deadline passed has been met or missed, and a revision then would rewrite the verdict. */
function lastRevisionDate(target: Target): string | undefined {
  switch (target.type) {
    case 'reach':
    case 'milestone':
      return target.deadline;
    case 'relative':
      return target.until;
    case 'hold':
      return undefined;
  }
}

/**
 * A revision replaces the target in force on its date: the original's type, baseline and reference stay (what is
 * measured, and from where), the effective dates follow one another, each after the baseline and not after the
 * deadline of the target it revises.
 */
function revisionProblems(at: string, indicator: Indicator, indicators: ReadonlyMap<string, Indicator>): string[] {
  const { target: original, targetRevisions: revisions = [] } = indicator;
  if (revisions.length > 0 && !original) return [`${at}: targetRevisions revise no target: give the original target first`];
  if (!original) return [];
  const problems: string[] = [];
  // The target each revision revises: the original, then the revision before it.
  let revising: { target: Target; effective: string | null } = { target: original, effective: null };
  for (const revision of revisions) {
    const here = `${at}, revision effective ${revision.effective}`;
    const { target } = revision;
    if (target.type !== original.type) problems.push(`${here}: a ${original.type} target cannot be revised to a ${target.type} target`);
    else problems.push(...targetProblems(here, indicator, target, indicators));
    if (revising.effective !== null && revision.effective <= revising.effective) {
      problems.push(`${here}: not after the revision effective ${revising.effective}; revisions are listed oldest first, one per date`);
    }
    if (original.type === 'reach' && revision.effective <= original.baseline.date) {
      problems.push(`${here}: not after the baseline date ${original.baseline.date}`);
    }
    const last = lastRevisionDate(revising.target);
    if (last !== undefined && revision.effective > last) problems.push(`${here}: after ${last}, the deadline of the target it revises`);
    if (original.type === 'reach' && target.type === 'reach' && !sameBaseline(original.baseline, target.baseline)) {
      problems.push(`${here}: a revision keeps the original's baseline (${original.baseline.value} at ${original.baseline.date})`);
    }
    if (original.type === 'relative' && target.type === 'relative' && original.reference !== target.reference) {
      problems.push(`${here}: a revision keeps the original's reference "${original.reference}"`);
    }
    revising = { target, effective: revision.effective };
  }
  return problems;
}

const sameBaseline = (a: ReachBaseline, b: ReachBaseline) => a.value === b.value && a.date === b.date && a.assumed === b.assumed;

/** The entry-level problems zod cannot see: references between entries. */
function crossReferenceProblems(data: CatalogData): string[] {
  const problems: string[] = [];
  for (const [what, ids] of [
    ['unit', data.units.map((u) => u.id)],
    ['department', data.departments.map((d) => d.id)],
    ['indicator', data.indicators.map((i) => i.id)],
  ] as const) {
    for (const id of duplicates(ids)) problems.push(`${what} "${id}" is defined more than once`);
  }
  const units = new Map(data.units.map((u) => [u.id, u]));
  const departments = new Set(data.departments.map((d) => d.id));
  const indicators = new Map(data.indicators.map((i) => [i.id, i]));
  for (const indicator of data.indicators) {
    const at = `indicator "${indicator.id}"`;
    const unit = units.get(indicator.unit);
    if (!departments.has(indicator.department)) problems.push(`${at}: unknown department "${indicator.department}"`);
    if (!unit) problems.push(`${at}: unknown unit "${indicator.unit}"`);
    if ((indicator.kind === 'milestone') !== (unit?.value === 'boolean') && unit) {
      problems.push(`${at}: a ${indicator.kind} cannot be measured in unit "${unit.id}" (${unit.value})`);
    }
    if (indicator.neverFalls && indicator.kind !== 'stock') problems.push(`${at}: only a stock can be marked neverFalls`);
    if (indicator.target) problems.push(...targetProblems(at, indicator, indicator.target, indicators));
    problems.push(...revisionProblems(at, indicator, indicators));
  }
  return problems;
}

/**
 * The month of the earliest baseline among the catalog's targets, or null when no target has one. The targets measure
 * progress from their baselines: a figure for a month before any of them describes nothing the catalog tracks.
 */
export function earliestBaselinePeriod(catalog: Pick<CatalogData, 'indicators'>): Period | null {
  const dates = catalog.indicators.flatMap(({ target }) => (target?.type === 'reach' ? [target.baseline.date] : []));
  return dates.length === 0 ? null : periodOfDate(dates.reduce((earliest, date) => (date < earliest ? date : earliest)));
}

/** Validates catalog data and indexes it; throws a CatalogError naming every bad entry. */
export function loadCatalog(input: unknown): Catalog {
  const parsed = catalogSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const [collection, index] = issue.path;
      const entry =
        typeof collection === 'string' && typeof index === 'number'
          ? (input as Record<string, { id?: unknown }[]>)[collection]?.[index]?.id
          : undefined;
      const where = entry === undefined ? issue.path.join('.') : `${String(collection)} "${String(entry)}" (${issue.path.slice(2).join('.')})`;
      return `${where}: ${issue.message}`;
    });
    throw new CatalogError(`Invalid catalog:\n- ${lines.join('\n- ')}`);
  }
  const data = parsed.data;
  const problems = crossReferenceProblems(data);
  if (problems.length > 0) throw new CatalogError(`Invalid catalog:\n- ${problems.join('\n- ')}`);

  const units = new Map(data.units.map((u) => [u.id, u]));
  const departments = new Map(data.departments.map((d) => [d.id, d]));
  const indicators = new Map(data.indicators.map((i) => [i.id, i]));
  return {
    ...data,
    department: (id) => departments.get(id),
    indicator: (id) => indicators.get(id),
    unit: (id) => {
      const unit = units.get(id);
      if (!unit) throw new CatalogError(`unknown unit "${id}"`);
      return unit;
    },
    indicatorsOf: (departmentId) => data.indicators.filter((i) => i.department === departmentId),
  };
}

/** The catalog shipped with the code, validated once per process. */
export const catalog: Catalog = loadCatalog(catalogData);
