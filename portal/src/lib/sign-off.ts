import type { ExplanationsBody, FiguresUnderReview, MonthDetail, MonthFigureView, ReviewBody, WarningView } from '../../../shared/portal/contract.js';
import type { AuditEntry, Decision, Restatement } from '../../../shared/review/review.js';
import { departmentName, indicatorName } from './catalog-names.js';
import { AUDIT_ACTION_LABELS, type Bilingual } from './labels.js';
import { districtTimeText } from './timeliness.js';
import { figureText } from './verdict.js';

/** An indicator as a line names it: the catalog's words, or its id for one this catalog does not know. */
export const indicatorWords = (indicator: string): Bilingual => indicatorName(indicator) ?? { zh: indicator, en: '' };

/** A figure with its unit: a month's figure (a milestone may come as text), or a side of a restatement ('–' when absent). */
export function valueText(indicator: string, value: MonthFigureView['value'] | Restatement['from']): string {
  if (value === null) return '–';
  return typeof value === 'string' ? value : figureText(value, indicatorName(indicator));
}

/** A step of the month's sign-off as the trail lists it: when (district time), who, what, about which figure, and why. */
export interface AuditLine {
  at: string;
  by: string;
  what: Bilingual;
  indicator: Bilingual | null;
  reason: string | null;
}

export function auditLineOf(entry: AuditEntry): AuditLine {
  return {
    at: districtTimeText(entry.at),
    by: entry.by,
    what: AUDIT_ACTION_LABELS[entry.action],
    indicator: entry.indicator === null ? null : indicatorWords(entry.indicator),
    reason: entry.reason,
  };
}

/** A published figure an approved correction changed, in words. */
export interface RestatementLine {
  key: string;
  department: Bilingual;
  indicator: string;
  name: Bilingual;
  period: string;
  from: string;
  to: string;
  approvedAt: string;
  approvedBy: string;
  reason: string;
}

export function restatementLineOf(restatement: Restatement): RestatementLine {
  const { department, period, indicator } = restatement;
  return {
    key: `${department} ${period} ${indicator} ${restatement.approvedAt}`,
    department: departmentName(department),
    indicator,
    name: indicatorWords(indicator),
    period,
    from: valueText(indicator, restatement.from),
    to: valueText(indicator, restatement.to),
    approvedAt: districtTimeText(restatement.approvedAt),
    approvedBy: restatement.approvedBy,
    reason: restatement.reason,
  };
}

/** What a decision is about: a locked month's pending correction, else the current figures; null before any came. */
export const underReviewOf = (detail: Pick<MonthDetail, 'current' | 'correction'>): FiguresUnderReview | null => detail.correction ?? detail.current;

/** Returning needs a reason, and so does the office's decision on a correction: it is the restatement's why. */
export const reasonRequired = (detail: Pick<MonthDetail, 'correction'>, decision: Decision) => decision === 'return' || detail.correction !== null;

/** The decision on the figures the page showed, named by their revision and their workbook's hash. */
export function reviewBodyOf(decision: Decision, reason: string, { revision, contentSha256 }: Pick<FiguresUnderReview, 'revision' | 'contentSha256'>): ReviewBody {
  const text = reason.trim();
  return text === '' ? { decision, revision, contentSha256 } : { decision, reason: text, revision, contentSha256 };
}

/** A warned figure with each of its warnings: one explanation answers them all. */
export interface WarnedFigure {
  indicator: string;
  warnings: WarningView[];
  explanation: WarningView['explanation'];
}

export function warnedFiguresOf(warnings: readonly WarningView[]): WarnedFigure[] {
  const byIndicator = new Map<string, WarnedFigure>();
  for (const warning of warnings) {
    const figure = byIndicator.get(warning.indicator);
    if (figure) figure.warnings.push(warning);
    else byIndicator.set(warning.indicator, { indicator: warning.indicator, warnings: [warning], explanation: warning.explanation });
  }
  return [...byIndicator.values()];
}

/**
 * Why the figures cannot be approved yet, when it is for want of explanations (the API offers no approval then):
 * the warned figures still unexplained, by name; null when every warning is explained.
 */
export function approvalWaitsText(figures: Pick<FiguresUnderReview, 'warnings'>): Bilingual | null {
  const waiting = warnedFiguresOf(figures.warnings)
    .filter((figure) => figure.explanation === null)
    .map((figure) => indicatorWords(figure.indicator));
  if (waiting.length === 0) return null;
  return {
    zh: `还有 ${waiting.length} 项警告未说明（${waiting.map((name) => name.zh).join('、')}），说明后方可审核通过`,
    en: `${waiting.length} warned figure(s) not explained yet (${waiting.map((name) => name.en || name.zh).join(', ')}): approval waits for their explanations`,
  };
}

/** The explanations typed that say something new: an unchanged or blank field is not sent, so it adds no step to the trail. */
export function explanationsBodyOf(warned: readonly WarnedFigure[], drafts: Readonly<Record<string, string>>): ExplanationsBody {
  return Object.fromEntries(
    warned.flatMap(({ indicator, explanation }) => {
      const text = drafts[indicator]?.trim() ?? '';
      return text === '' || text === explanation?.text ? [] : [[indicator, text]];
    }),
  );
}

/** A figure a pending correction changes: the published value and the corrected one ('–' for one added or removed). */
export interface CorrectionLine {
  indicator: string;
  name: Bilingual;
  from: string;
  to: string;
}

export function correctionLinesOf(published: readonly MonthFigureView[], corrected: readonly MonthFigureView[]): CorrectionLine[] {
  const before = new Map(published.map((figure) => [figure.indicator, figure.value]));
  const after = new Map(corrected.map((figure) => [figure.indicator, figure.value]));
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((indicator) => before.get(indicator) !== after.get(indicator))
    .map((indicator) => ({
      indicator,
      name: indicatorWords(indicator),
      from: valueText(indicator, before.get(indicator) ?? null),
      to: valueText(indicator, after.get(indicator) ?? null),
    }));
}
