import type { Period } from '../calendar.js';
import { changesBetween } from '../ingest/changes.js';
import type { Observation, Slice, Submission } from '../observation.js';
import type { Principal } from '../roles.js';

/**
 * Sign-off of a department's month (填报 → 审核 → 上报): the clerk's accepted upload is submitted, the department's
 * head approves it or returns it with a reason, and the month's snapshot locks it once published. A correction of a
 * locked month waits beside the published figures until the reform office approves it, and is then a restatement.
 * Every rule is a pure function of the month's record, so that the repository can re-read and re-decide after a
 * concurrent write, and every rule is a row of a table test.
 */

/**
 * Where a department's month stands:
 * - not_received: no accepted workbook;
 * - submitted: accepted, waiting for the head's sign-off (provisional);
 * - returned: the head sent it back with a reason (provisional until corrected or explained, and approved);
 * - approved: signed off by the head: the figures are official;
 * - locked: the month's snapshot was published; a correction needs the reform office's approval.
 */
export const MONTH_STATES = ['not_received', 'submitted', 'returned', 'approved', 'locked'] as const;
export type MonthState = (typeof MONTH_STATES)[number];

/** The sign-off of the month's current figures, which a lock leaves as it was. */
export type ReviewState = 'submitted' | 'returned' | 'approved';

/** Whether a figure counts: signed off by its department's head, or not yet. */
export type SignOff = 'official' | 'provisional';

export const AUDIT_ACTIONS = [
  'submitted',
  'explained',
  'returned',
  'approved',
  'locked',
  'correction_submitted',
  'correction_returned',
  'restated',
  'target_revised',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One step of a month's history: who did what, when and why. */
export interface AuditEntry {
  action: AuditAction;
  /** ISO 8601 instant. */
  at: string;
  /** The signed-in user, the S3 principal of a direct upload, or `snapshot` for a lock. */
  by: string;
  /** The reason given (a return, a correction's approval, a target's revision), or an explanation's text. */
  reason: string | null;
  /** The revision of the month's figures the step was about. */
  revision: number;
  /** The indicator of an explanation or a target revision; null for a step about the whole month. */
  indicator: string | null;
}

/** A warning about one figure, which the month cannot be approved without explaining. */
export interface FigureWarning {
  indicator: string;
  code: string;
  message: string;
  sheet: string | null;
  cell: string | null;
}

/** Why a warned figure is right after all: typed on the portal, or the note on the figure's own row. */
export interface Explanation {
  text: string;
  by: string;
  at: string;
  source: 'portal' | 'workbook';
}

/** A figure of a published month changed by an approved correction. */
export interface Restatement {
  department: string;
  period: Period;
  indicator: string;
  /** Null for a figure the correction added, or removed. */
  from: Observation['value'] | null;
  to: Observation['value'] | null;
  unit: string;
  /** When the correction was uploaded, and by whom. */
  requestedAt: string;
  requestedBy: string | null;
  approvedAt: string;
  approvedBy: string;
  reason: string;
  /** The upload bucket key of the correcting workbook. */
  sourceKey: string;
}

/** A correction of a locked month, waiting for the reform office; the published figures stay current meanwhile. */
export interface PendingCorrection {
  slice: Slice;
  /** The figures' warnings as the correction's upload found them. */
  warnings: FigureWarning[];
  explanations: Record<string, Explanation>;
}

/** What the table keeps of a month's sign-off beside its figures. */
export interface Review {
  state: ReviewState;
  /** When the month's snapshot was published; null while the month is open. */
  lockedAt: string | null;
  /** The current figures' warnings, by indicator. */
  warnings: FigureWarning[];
  explanations: Record<string, Explanation>;
  correction: PendingCorrection | null;
  /**
   * The upload of the correction the reform office last returned: delivered again, or overtaken by an older upload
   * arriving late, it is not held again.
   */
  returnedCorrection: Pick<Submission, 'bucket' | 'key' | 'versionId' | 'sequencer' | 'uploadedAt'> | null;
  audit: AuditEntry[];
  restatements: Restatement[];
}

/** A department's month as the table holds it: the current slice, its revision, and its sign-off. */
export interface MonthRecord {
  slice: Slice;
  /** 1 for the month's first slice, one more for each correction that became current. */
  revision: number;
  review: Review;
}

/** A refusal of a step, with the API's error code for it. */
export const REVIEW_REFUSALS = {
  'auth.forbidden': 403,
  'month.not_found': 404,
  'month.changed': 409,
  'month.not_submitted': 409,
  'month.unexplained_warnings': 409,
  'month.locked': 409,
  'request.invalid': 400,
} as const;
export type ReviewRefusalCode = keyof typeof REVIEW_REFUSALS;

export class ReviewRefusal extends Error {
  override readonly name = 'ReviewRefusal';
  constructor(
    readonly code: ReviewRefusalCode,
    readonly text: { zh: string; en: string },
  ) {
    super(`${text.zh} ${text.en}`);
  }
}

/** The longest explanation or reason: as long as a note in the workbook. */
export const REASON_LENGTH = 1000;

export function monthStateOf(record: MonthRecord | undefined): MonthState {
  if (!record) return 'not_received';
  return record.review.lockedAt === null ? record.review.state : 'locked';
}

export const signOffOf = (review: Pick<Review, 'state'>): SignOff => (review.state === 'approved' ? 'official' : 'provisional');

/**
 * A fresh review of a slice that just became current. Its audit starts with its own submission: the steps about
 * earlier revisions stay with those revisions in the history, so that the month's record does not grow with its
 * corrections.
 */
export function submittedReview(earlier: Review | undefined, slice: Slice, warnings: FigureWarning[], revision: number): Review {
  const { submission } = slice;
  return {
    state: 'submitted',
    lockedAt: earlier?.lockedAt ?? null,
    warnings,
    explanations: {},
    correction: null,
    returnedCorrection: null,
    audit: [entry('submitted', submission.uploadedAt, uploaderOf(slice), null, revision)],
    restatements: earlier?.restatements ?? [],
  };
}

/** A locked month's new upload, kept as its pending correction. */
export function withCorrection(record: MonthRecord, slice: Slice, warnings: FigureWarning[]): MonthRecord {
  const { review } = record;
  return {
    ...record,
    review: {
      ...review,
      correction: { slice, warnings, explanations: {} },
      audit: [...review.audit, entry('correction_submitted', slice.submission.uploadedAt, uploaderOf(slice), null, record.revision + 1)],
    },
  };
}

function entry(action: AuditAction, at: string, by: string, reason: string | null, revision: number, indicator: string | null = null): AuditEntry {
  return { action, at, by, reason, revision, indicator };
}

const uploadOf = ({ bucket, key, versionId, sequencer, uploadedAt }: Submission): Review['returnedCorrection'] => ({
  bucket,
  key,
  ...(versionId === undefined ? {} : { versionId }),
  sequencer,
  uploadedAt,
});

/** Who submitted the figures: the portal user, else the S3 principal of a direct drop. */
const uploaderOf = ({ submission }: Slice) => submission.submitter ?? submission.uploader ?? 'S3';

/** A flow's cumulative that is not the sum of its months questions a figure, whatever the catalog's rules say. */
const CUMULATIVE_MISMATCH = 'value.cumulative_mismatch';

/**
 * The warnings of an upload that question one of its figures: the checks the catalog makes warnings (its severities)
 * and the cumulative check, at the figure's own cell, or else in its row. A warning about the file or a blank row
 * (a sheet not read, an indicator left out) asks nothing of a figure.
 */
export function figureWarnings(
  catalog: { severities: Record<string, unknown> },
  figures: readonly (Pick<Observation, 'indicator' | 'period'> & { sheet: string; cell: string })[],
  warnings: readonly { sheet: string | null; cell: string | null; code: string; message: string }[],
): (FigureWarning & { period: Period })[] {
  const rowOf = (cell: string) => cell.replace(/^[A-Z]+/, '');
  const questioning = (code: string) => code === CUMULATIVE_MISMATCH || Object.hasOwn(catalog.severities, code);
  return warnings.flatMap((warning) => {
    if (warning.sheet === null || warning.cell === null || !questioning(warning.code)) return [];
    const { sheet, cell } = warning;
    const figure =
      figures.find((f) => f.sheet === sheet && f.cell === cell) ?? figures.find((f) => f.sheet === sheet && rowOf(f.cell) === rowOf(cell));
    return figure ? [{ indicator: figure.indicator, period: figure.period, code: warning.code, message: warning.message, sheet, cell }] : [];
  });
}

/** A warned figure's explanation: the one typed on the portal, else the note on the figure's row. */
export function explanationOf(indicator: string, slice: Slice, explanations: Record<string, Explanation>): Explanation | null {
  const typed = explanations[indicator];
  if (typed) return typed;
  const note = slice.observations.find((o) => o.indicator === indicator)?.note;
  return note === undefined ? null : { text: note, by: uploaderOf(slice), at: slice.submission.uploadedAt, source: 'workbook' };
}

export function unexplainedWarnings(slice: Slice, warnings: readonly FigureWarning[], explanations: Record<string, Explanation>): FigureWarning[] {
  return warnings.filter((warning) => explanationOf(warning.indicator, slice, explanations) === null);
}

/** The figures under review: a locked month's pending correction, else the current ones. */
function underReview(record: MonthRecord): { slice: Slice; warnings: FigureWarning[]; explanations: Record<string, Explanation> } {
  const { review } = record;
  return review.correction ?? { slice: record.slice, warnings: review.warnings, explanations: review.explanations };
}

const ofDepartment = (principal: Principal, kind: 'clerk' | 'head', department: string) =>
  principal.roles.some((role) => role.kind === kind && role.department === department);
const isOffice = (principal: Principal) => principal.roles.some((role) => role.kind === 'office');

const forbidden = (text: { zh: string; en: string }) => new ReviewRefusal('auth.forbidden', text);

function checkedReason(reason: string | undefined, what: { zh: string; en: string }): string {
  const text = reason?.trim() ?? '';
  if (text === '') throw new ReviewRefusal('request.invalid', { zh: `请填写${what.zh}的理由（reason）。`, en: `Give a reason for ${what.en} ("reason").` });
  if (text.length > REASON_LENGTH) {
    throw new ReviewRefusal('request.invalid', { zh: `理由最多 ${REASON_LENGTH} 个字。`, en: `A reason may have at most ${REASON_LENGTH} characters.` });
  }
  return text;
}

/**
 * The record as seen by a step that began at a revision and on a file: a newer upload since means the step decided on
 * other figures. The file's hash tells a locked month's corrections apart, which all wait as the same next revision.
 */
function unchangedSince(record: MonthRecord, revision: number | undefined, contentSha256: string | undefined): void {
  const seen = revisionUnderReview(record);
  if (revision !== undefined && revision !== seen) {
    throw new ReviewRefusal('month.changed', {
      zh: `该月数据已更新（第 ${seen} 版，您看到的是第 ${revision} 版）；请刷新后重新审核。`,
      en: `The month's figures changed (revision ${seen}; you saw revision ${revision}); reload and review them again.`,
    });
  }
  if (contentSha256 !== undefined && contentSha256 !== underReview(record).slice.submission.contentSha256) {
    throw new ReviewRefusal('month.changed', {
      zh: '待审的报表已被更新的上传替换；请刷新后重新审核。',
      en: 'The workbook under review was replaced by a newer upload; reload and review it again.',
    });
  }
}

/** The revision a reviewer sees: the pending correction's when there is one. */
export const revisionUnderReview = (record: MonthRecord) => (record.review.correction ? record.revision + 1 : record.revision);

/** The clerk's (or head's) explanations of warned figures; explaining a returned month submits it again. */
export function explain(record: MonthRecord, texts: Record<string, string>, principal: Principal, now: Date, revision?: number, contentSha256?: string): MonthRecord {
  const { department } = record.slice.submission;
  if (!ofDepartment(principal, 'clerk', department) && !ofDepartment(principal, 'head', department)) {
    throw forbidden({ zh: '只有本部门的填报人或负责人可以填写说明。', en: "Only the department's clerks and head explain its figures." });
  }
  unchangedSince(record, revision, contentSha256);
  const { review } = record;
  // A published month not yet signed off can still be explained, so that its head can approve it.
  if (review.lockedAt !== null && !review.correction && review.state === 'approved') {
    throw new ReviewRefusal('month.locked', {
      zh: '该月已发布并锁定；如需更正，请上传更正后的报表。',
      en: 'The month is published and locked; to correct it, upload the corrected workbook.',
    });
  }
  if (!review.correction && review.state === 'approved') {
    throw new ReviewRefusal('month.not_submitted', {
      zh: '该月已审核通过，说明不能再改；如需更正，请上传更正后的报表。',
      en: 'The month is approved and its explanations can no longer change; to correct it, upload the corrected workbook.',
    });
  }
  const reviewed = underReview(record);
  const warned = new Set(reviewed.warnings.map((w) => w.indicator));
  const unknown = Object.keys(texts).filter((indicator) => !warned.has(indicator));
  const list = [...warned].join(', ') || '–';
  if (Object.keys(texts).length === 0) {
    // Explaining nothing would submit a returned month again with nothing in its trail to say why.
    throw new ReviewRefusal('request.invalid', { zh: `请至少说明一条警告；需要说明的指标：${list}`, en: `Explain at least one warning; the warned indicators are ${list}` });
  }
  if (unknown.length > 0) {
    throw new ReviewRefusal('request.invalid', {
      zh: `${unknown.join(', ')} 没有需要说明的警告；需要说明的指标：${list}`,
      en: `${unknown.join(', ')} has no warning to explain; the warned indicators are ${list}`,
    });
  }
  const at = now.toISOString();
  const by = principal.user;
  const explanations = { ...reviewed.explanations };
  const audit = [...review.audit];
  for (const [indicator, raw] of Object.entries(texts)) {
    const text = checkedReason(raw, { zh: `“${indicator}”的说明`, en: `the explanation of ${indicator}` });
    explanations[indicator] = { text, by, at, source: 'portal' };
    audit.push(entry('explained', at, by, text, revisionUnderReview(record), indicator));
  }
  if (review.correction) return { ...record, review: { ...review, correction: { ...review.correction, explanations }, audit } };
  if (review.state !== 'returned') return { ...record, review: { ...review, explanations, audit } };
  // Explained, a returned month is submitted again: a step of its own, of which its head is told.
  audit.push(entry('submitted', at, by, null, record.revision));
  return { ...record, review: { ...review, state: 'submitted', explanations, audit } };
}

export type Decision = 'approve' | 'return';

/** What an approved correction did: the restatements, and the slice it replaced (now history). */
export interface ReviewOutcome {
  record: MonthRecord;
  /** The slice an approved correction replaced; null otherwise. */
  replaced: Slice | null;
}

/**
 * The head's decision on the month, or the reform office's on a locked month's correction. Approving needs every
 * warning explained; returning needs a reason, and so does approving a correction: it is the restatement's why.
 */
export function decide(
  record: MonthRecord,
  decision: Decision,
  reason: string | undefined,
  principal: Principal,
  now: Date,
  revision?: number,
  contentSha256?: string,
): ReviewOutcome {
  const { department } = record.slice.submission;
  const { review } = record;
  const at = now.toISOString();
  const by = principal.user;
  unchangedSince(record, revision, contentSha256);
  const reviewed = underReview(record);
  const requireExplained = () => {
    const missing = unexplainedWarnings(reviewed.slice, reviewed.warnings, reviewed.explanations);
    if (missing.length > 0) {
      throw new ReviewRefusal('month.unexplained_warnings', {
        zh: `还有 ${missing.length} 条警告未说明（${missing.map((w) => w.indicator).join(', ')}），请填报人先说明。`,
        en: `${missing.length} warning(s) are not explained (${missing.map((w) => w.indicator).join(', ')}); the clerk explains them first.`,
      });
    }
  };

  if (review.correction) {
    if (!isOffice(principal)) {
      throw forbidden({ zh: '已发布月份的更正只能由区改革办审批。', en: 'Only the reform office (office) decides on a correction of a published month.' });
    }
    const why = checkedReason(reason, decision === 'approve' ? { zh: '批准更正', en: 'approving the correction' } : { zh: '退回更正', en: 'returning the correction' });
    if (decision === 'return') {
      return {
        record: {
          ...record,
          review: {
            ...review,
            correction: null,
            returnedCorrection: uploadOf(review.correction.slice.submission),
            audit: [...review.audit, entry('correction_returned', at, by, why, record.revision + 1)],
          },
        },
        replaced: null,
      };
    }
    requireExplained();
    const { slice, warnings, explanations } = review.correction;
    const restated = restatementsOf(record.slice, slice, { approvedAt: at, approvedBy: by, reason: why });
    const revisionNow = record.revision + 1;
    return {
      record: {
        slice,
        revision: revisionNow,
        review: {
          state: 'approved',
          lockedAt: review.lockedAt,
          warnings,
          explanations,
          correction: null,
          returnedCorrection: null,
          // Like a fresh submission's, the new revision's audit starts with its own step: the published revision's
          // item keeps every step before, the correction's included, so that the trail lists each once.
          audit: [entry('restated', at, by, why, revisionNow)],
          restatements: [...review.restatements, ...restated],
        },
      },
      replaced: record.slice,
    };
  }

  if (!ofDepartment(principal, 'head', department)) {
    throw forbidden(
      isOffice(principal)
        ? { zh: '月度数据由本部门负责人审核；区改革办只审批已发布月份的更正。', en: "A month is signed off by its department's head; the reform office decides only on corrections of published months." }
        : { zh: '只有本部门负责人可以审核本部门的数据。', en: "Only the department's head signs off its figures." },
    );
  }
  if (review.state !== 'submitted') {
    throw new ReviewRefusal('month.not_submitted', {
      zh: review.state === 'approved' ? '该月已审核通过。' : '该月已退回，等待填报人更正或说明。',
      en: review.state === 'approved' ? 'The month is already approved.' : "The month was returned and waits for the clerk's correction or explanation.",
    });
  }
  if (decision === 'return') {
    if (review.lockedAt !== null) {
      throw new ReviewRefusal('month.locked', { zh: '该月已发布，不能退回；如需更正，请上传更正后的报表。', en: 'The month is published and cannot be returned; upload a correction instead.' });
    }
    const why = checkedReason(reason, { zh: '退回', en: 'returning the month' });
    return { record: { ...record, review: { ...review, state: 'returned', audit: [...review.audit, entry('returned', at, by, why, record.revision)] } }, replaced: null };
  }
  requireExplained();
  const note = reason?.trim() || null;
  return { record: { ...record, review: { ...review, state: 'approved', audit: [...review.audit, entry('approved', at, by, note, record.revision)] } }, replaced: null };
}

/** The figures a correction changed, each a restatement of the published month. */
export function restatementsOf(published: Slice, correction: Slice, approval: Pick<Restatement, 'approvedAt' | 'approvedBy' | 'reason'>): Restatement[] {
  const { submission } = correction;
  const unitOf = (indicator: string) =>
    correction.observations.find((o) => o.indicator === indicator)?.unit ?? published.observations.find((o) => o.indicator === indicator)?.unit ?? '';
  return changesBetween(published.observations, correction.observations).map((change) => ({
    department: submission.department,
    period: submission.period,
    indicator: change.indicator,
    from: change.change === 'added' ? null : change.from,
    to: change.change === 'removed' ? null : change.to,
    unit: unitOf(change.indicator),
    requestedAt: submission.uploadedAt,
    requestedBy: submission.uploader ?? null,
    ...approval,
    sourceKey: submission.key,
  }));
}

/** The month locked by its published snapshot; a month already locked stays as it was. */
export function locked(record: MonthRecord, now: Date, targetRevisions: readonly Omit<AuditEntry, 'action' | 'revision'>[] = []): MonthRecord | null {
  if (record.review.lockedAt !== null) return null;
  const at = now.toISOString();
  const { review } = record;
  const revised = targetRevisions.map((revision) => ({ ...revision, action: 'target_revised' as const, revision: record.revision }));
  return { ...record, review: { ...review, lockedAt: at, audit: [...review.audit, ...revised, entry('locked', at, 'snapshot', null, record.revision)] } };
}
