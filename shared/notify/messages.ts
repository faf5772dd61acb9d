import type { Period } from '../calendar.js';
import { uploadIdOfKey } from '../s3-keys.js';
import type { ImportReport } from '../ingest/ingest.js';
import type { Problem } from '../problem.js';
import type { Headline } from '../snapshot/report-model.js';
import type { BilingualText } from '../workbook/problems.js';
import type { Notice, Recipient } from './notice.js';

/**
 * The words of each notice, built from what the stores hold: pure, so that every kind is a row of a table test.
 * Chinese first, English beside it, as the portal and the import report write them.
 */

/** A catalog department as a notice names it. */
export interface DepartmentName extends BilingualText {
  id: string;
}

/** What every notice needs besides its own facts: its event, its recipients, and where the portal is. */
export interface Addressing {
  event: string;
  to: Recipient[];
  portalUrl: string;
}

/** How many problems a receipt lists before it counts the rest. */
export const LISTED_PROBLEMS = 10;

/** The portal's page of a department's month, where the clerk and the head see the figures, the problems and the copy. */
export const monthPageUrl = (portalUrl: string, department: string, period: Period) => `${portalUrl}#/department/${department}/months/${period}`;

/** The leaders' page of a month: the district's headline. */
export const leadersPageUrl = (portalUrl: string, period: Period) => `${portalUrl}#/leaders/${period}`;

/** The portal's page of a department, for an upload whose month could not be read. */
export const departmentPageUrl = (portalUrl: string, department: string) => `${portalUrl}#/department/${department}`;

/**
 * Where the clerk finds an upload's annotated copy, for as long as they need it: a portal upload's is on the
 * department's page, which makes a fresh download link; a direct drop's is in the bucket beside its report, which the
 * department's upload role reads. A presigned link in a message would stop working with the signing role's session.
 */
export function annotatedCopyLink(report: Pick<ImportReport, 'department' | 'source' | 'annotatedKey'>, portalUrl: string): string | null {
  if (report.annotatedKey === null) return null;
  return uploadIdOfKey(report.source.key) !== null && report.department !== null
    ? departmentPageUrl(portalUrl, report.department)
    : `s3://${report.source.bucket}/${report.annotatedKey}`;
}

const named = (d: DepartmentName) => ({ zh: d.zh, en: d.en });

/** A problem on one line: where (sheet!cell, or the file) and what. */
function problemLine({ sheet, cell, message }: Problem): string {
  const where = sheet !== null && cell !== null ? `${sheet}!${cell}` : sheet ?? '文件 file';
  return `- ${where}: ${message}`;
}

/** The first LISTED_PROBLEMS problems, then how many more. */
export function problemLines(problems: readonly Problem[]): string[] {
  const lines = problems.slice(0, LISTED_PROBLEMS).map(problemLine);
  const more = problems.length - LISTED_PROBLEMS;
  return more > 0 ? [...lines, `另有 ${more} 条 and ${more} more`] : lines;
}

function notice(addressing: Addressing, fields: Omit<Notice, 'event' | 'to' | 'text'>, zh: string[], en: string[]): Notice {
  return { event: addressing.event, to: addressing.to, ...fields, text: [...zh, '', ...en].join('\n') };
}

/** Each link on a line of its own, labelled in both languages, after the text. */
export function withLinks(text: string, links: Notice['links']): string {
  return links.length === 0 ? text : `${text}\n\n${links.map((link) => `${link.label}: ${link.url}`).join('\n')}`;
}

/**
 * The receipt of an upload: accepted or rejected, the month, the counts, each problem's cell and message, and the
 * links to the month's page and to the annotated copy (a presigned link, or none when no copy was written).
 */
export function receiptNotice(report: ImportReport, department: DepartmentName, addressing: Addressing & { annotatedUrl: string | null }): Notice {
  const accepted = report.status === 'accepted';
  const { counts, period } = report;
  const month = period ?? '未识别 not read';
  const verdict = accepted ? { zh: '已接收', en: 'accepted' } : { zh: '未通过', en: 'rejected' };
  const page = period === null ? departmentPageUrl(addressing.portalUrl, department.id) : monthPageUrl(addressing.portalUrl, department.id, period);
  const links = [
    { label: '门户页面 Portal page', url: page },
    ...(addressing.annotatedUrl === null ? [] : [{ label: '标注副本 Annotated copy', url: addressing.annotatedUrl }]),
  ];
  const nextStep = !accepted
    ? { zh: '请按下列问题修改后重新上传。', en: 'Correct the problems below and upload it again.' }
    : report.outcome === 'held'
      ? { zh: '该月已发布，此更正待区改革办审批。', en: "The month is published: the correction waits for the reform office's approval." }
      : report.warnings.length > 0
      ? { zh: '请到门户页面说明各条警告，以便负责人审核。', en: 'Explain its warnings on the portal page so that the head can sign it off.' }
      : { zh: '已提交部门负责人审核。', en: "It waits for the head's sign-off." };
  const problems = [
    ...(report.errors.length > 0 ? ['错误 Errors:', ...problemLines(report.errors)] : []),
    ...(report.warnings.length > 0 ? ['警告 Warnings:', ...problemLines(report.warnings)] : []),
  ];
  return notice(
    addressing,
    { kind: 'receipt', department: department.id, period, subject: `${department.zh} ${month} 报表${verdict.zh} / ${department.en} ${month} workbook ${verdict.en}`, links },
    [
      `${department.zh}的 ${month} 报表${verdict.zh}。`,
      `读取 ${counts.rows} 行，${counts.observations} 个数据，${counts.errors} 个错误，${counts.warnings} 个警告。`,
      nextStep.zh,
    ],
    [
      `The ${month} workbook of ${department.en} was ${verdict.en}.`,
      `${counts.rows} rows read, ${counts.observations} figures, ${counts.errors} errors, ${counts.warnings} warnings.`,
      nextStep.en,
      ...(problems.length > 0 ? ['', ...problems] : []),
    ],
  );
}

export type ReviewKind = 'submitted' | 'returned' | 'approved';

const REVIEW_WORDS: Record<ReviewKind, { zh: string; en: string; askZh: string; askEn: string }> = {
  submitted: { zh: '待审核', en: 'waits for your sign-off', askZh: '请到门户页面审核。', askEn: 'Review it on the portal page.' },
  returned: { zh: '已被退回', en: 'was returned', askZh: '请按理由更正或说明后重新提交。', askEn: 'Correct or explain it as the reason asks.' },
  approved: { zh: '已审核通过', en: 'was approved', askZh: '数据已为正式数据。', askEn: 'Its figures are official.' },
};

/** A step of a month's sign-off: to the head when it waits, to the clerks when it is returned (with the reason) or approved. */
export function reviewNotice(
  kind: ReviewKind,
  step: { period: Period; revision: number; reason: string | null },
  department: DepartmentName,
  addressing: Addressing,
): Notice {
  const { period, revision, reason } = step;
  const words = REVIEW_WORDS[kind];
  const links = [{ label: '门户页面 Portal page', url: monthPageUrl(addressing.portalUrl, department.id, period) }];
  return notice(
    addressing,
    { kind, department: department.id, period, subject: `${department.zh} ${period} ${words.zh} / ${department.en} ${period} ${words.en}`, links },
    [`${department.zh} ${period} 的数据（第 ${revision} 版）${words.zh}。`, ...(reason === null ? [] : [`理由：${reason}`]), words.askZh],
    [`The ${period} figures of ${department.en} (revision ${revision}) ${words.en}.`, ...(reason === null ? [] : [`Reason: ${reason}`]), words.askEn],
  );
}

export type DueKind = 'reminder' | 'escalation';

type DueFacts = { department: DepartmentName; period: Period; dueDate: string; days: number };

/** A reminder's words (the working days left) and an escalation's (the working days late). */
const DUE_WORDS: Record<DueKind, { subject(f: DueFacts): string; zh(f: DueFacts): string; en(f: DueFacts): string }> = {
  reminder: {
    subject: ({ department: d, period, dueDate }) => `提醒：${d.zh} ${period} 报表应于 ${dueDate} 前报送 / Reminder: ${d.en} ${period} due by ${dueDate}`,
    zh: ({ department: d, period, dueDate, days }) => `${d.zh}尚未报送 ${period} 的报表，应于 ${dueDate} 前报送（还有 ${days} 个工作日）。`,
    en: ({ department: d, period, dueDate, days }) => `${d.en} has not submitted its ${period} workbook, due by ${dueDate} (${days} working days left).`,
  },
  escalation: {
    subject: ({ department: d, period, days }) => `逾期：${d.zh} ${period} 报表已逾期 ${days} 个工作日 / Overdue: ${d.en} ${period}, ${days} working days late`,
    zh: ({ department: d, period, dueDate, days }) => `${d.zh}的 ${period} 报表应于 ${dueDate} 前报送，至今未报送，已逾期 ${days} 个工作日。`,
    en: ({ department: d, period, dueDate, days }) => `The ${period} workbook of ${d.en} was due by ${dueDate} and has not arrived: ${days} working days late.`,
  },
};

/**
 * A month not submitted: a reminder to the department on a working day before it is due, with the working days left;
 * an escalation to its head and the reform office each working day after, with the working days late.
 */
export function dueNotice(
  kind: DueKind,
  due: { period: Period; dueDate: string; workingDays: number },
  department: DepartmentName,
  addressing: Addressing,
): Notice {
  const facts: DueFacts = { department, period: due.period, dueDate: due.dueDate, days: due.workingDays };
  const words = DUE_WORDS[kind];
  const links = [{ label: '门户页面 Portal page', url: monthPageUrl(addressing.portalUrl, department.id, due.period) }];
  return notice(addressing, { kind, department: department.id, period: due.period, subject: words.subject(facts), links }, [words.zh(facts)], [words.en(facts)]);
}

/** The month's report to the reform office: how many targets are behind, who did not report, and the leaders' page. */
export function monthlyReportNotice(
  report: { period: Period; headline: Pick<Headline, 'good' | 'behind' | 'targets'>; notReported: readonly DepartmentName[] },
  addressing: Addressing,
): Notice {
  const { period, headline, notReported } = report;
  const links = [{ label: '领导页面 Leaders page', url: leadersPageUrl(addressing.portalUrl, period) }];
  const missing = notReported.map(named);
  return notice(
    addressing,
    { kind: 'monthly_report', department: null, period, subject: `${period} 月度报告已发布 / ${period} monthly report published`, links },
    [
      `${period} 月度报告已发布：${headline.targets} 项正式目标中，${headline.good} 项完成或按计划推进，${headline.behind} 项滞后或存在风险。`,
      missing.length === 0 ? '各部门均已报送。' : `未报送的部门：${missing.map((d) => d.zh).join('、')}。`,
    ],
    [
      `The ${period} monthly report is published: of ${headline.targets} official targets, ${headline.good} are achieved or on track and ${headline.behind} are behind or at risk.`,
      missing.length === 0 ? 'Every department reported.' : `Not reported: ${missing.map((d) => d.en).join(', ')}.`,
    ],
  );
}
