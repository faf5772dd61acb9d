import type { CommitOutcome } from '../../../shared/ports.js';
import type { Problem, Severity } from '../../../shared/problem.js';
import type { UploadView } from '../../../shared/portal/contract.js';
import type { Change } from '../../../shared/ingest/changes.js';
import { fileNameOfKey } from '../../../shared/s3-keys.js';
import { indicatorName, type IndicatorName } from './catalog-names.js';
import type { Bilingual } from './labels.js';
import { districtTimeText } from './timeliness.js';

/** What the page says of an upload once its status is known: the model of the verdict region, from the upload and its report. */
export type Verdict =
  | { status: 'processing'; fileName: string }
  | { status: 'accepted'; fileName: string; period: string | null; counts: Counts; slices: SliceVerdict[]; problems: ProblemRow[] }
  | { status: 'rejected'; fileName: string; problems: ProblemRow[]; annotatedUrl: string | null; annotation: string | null }
  | { status: 'failed'; fileName: string; problems: ProblemRow[] };

export interface Counts {
  rows: number;
  observations: number;
  errors: number;
  warnings: number;
}

export interface ProblemRow extends Problem {
  severity: Severity;
}

/** What an accepted upload did to one month, and when it corrected the month, what it replaced and how. */
export interface SliceVerdict {
  period: string;
  outcome: Bilingual;
  /** The upload whose figures this one replaced; null unless it was a correction. */
  replaced: { fileName: string; uploadedAt: string } | null;
  changes: ChangeRow[];
}

export interface ChangeRow {
  indicator: string;
  name: IndicatorName | undefined;
  period: string;
  change: Change['change'];
  changeText: Bilingual;
  /** The figure before and after, with its unit; '–' on the side an added or removed figure lacks. */
  from: string;
  to: string;
}

const OUTCOME_TEXT: Record<CommitOutcome, Bilingual> = {
  committed: { zh: '已写入', en: 'recorded' },
  duplicate: { zh: '与已接收的文件相同，未作更改', en: 'the same as the workbook already accepted; nothing changed' },
  superseded: { zh: '本月已有更新的上传，本文件未替换其数据', en: 'a newer upload for the month came first; this one replaced nothing' },
  held: {
    zh: '该月已发布并锁定：本次更正待区改革办批准，批准前仍以已发布的数据为准',
    en: "the month is published and locked: this correction waits for the reform office's approval, and the published figures stand until then",
  },
};

const CHANGE_TEXT: Record<Change['change'], Bilingual> = {
  changed: { zh: '修改', en: 'changed' },
  added: { zh: '新增', en: 'added' },
  removed: { zh: '删除', en: 'removed' },
};

/** A figure as the clerk reads it: a number with its unit, or done / not done for a milestone. */
export function figureText(value: number | boolean, name: IndicatorName | undefined): string {
  if (typeof value === 'boolean') return value ? '是 done' : '否 not done';
  return name ? `${value} ${name.unit.zh}` : String(value);
}

function changeRow(change: Change): ChangeRow {
  const name = indicatorName(change.indicator);
  return {
    indicator: change.indicator,
    name,
    period: change.period,
    change: change.change,
    changeText: CHANGE_TEXT[change.change],
    from: change.change === 'added' ? '–' : figureText(change.from, name),
    to: change.change === 'removed' ? '–' : figureText(change.to, name),
  };
}

function problemRows(errors: readonly Problem[], warnings: readonly Problem[]): ProblemRow[] {
  return [...errors.map((p): ProblemRow => ({ ...p, severity: 'error' })), ...warnings.map((p): ProblemRow => ({ ...p, severity: 'warning' }))];
}

/** The verdict on an upload; an accepted or rejected upload whose report is not in yet is still being checked. */
export function verdictOf(upload: UploadView): Verdict {
  const { fileName, report, status } = upload;
  if (status === 'failed') return { status, fileName, problems: report ? problemRows(report.errors, report.warnings) : [] };
  if (status === 'processing' || !report) return { status: 'processing', fileName };
  const problems = problemRows(report.errors, report.warnings);
  if (status === 'rejected') {
    return { status, fileName, problems, annotatedUrl: upload.annotatedUrl, annotation: report.annotation.message || null };
  }
  const slices = report.slices.map(
    (slice): SliceVerdict => ({
      period: slice.period,
      outcome: OUTCOME_TEXT[slice.outcome],
      replaced: slice.replaced ? { fileName: fileNameOfKey(slice.replaced.key), uploadedAt: districtTimeText(slice.replaced.uploadedAt) } : null,
      changes: slice.changes.map(changeRow),
    }),
  );
  return { status, fileName, period: report.period ?? upload.period, counts: report.counts, slices, problems };
}
