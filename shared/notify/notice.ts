import { z } from 'zod';
import { isPeriod, type Period } from '../calendar.js';

/**
 * What the pipeline tells people, and through which channel. A notice is about one event (an upload's verdict, a
 * step of a month's sign-off, a reminder on a day, the month's report) and is sent once per event and recipient,
 * however often the event is delivered (shared/notify/deliver.ts keeps the record of what was sent).
 */

/** Who is told what:
 * - receipt: the uploader (the portal user, or the department's address for an S3 drop), for every upload;
 * - submitted: the department's head, when a month waits for sign-off;
 * - returned / approved: the department's clerks, with the head's reason;
 * - reminder: the department's clerks, on the working days before the due day, while the month is not submitted;
 * - escalation: the department's head and the reform office, daily after the due day until the month arrives;
 * - monthly_report: the reform office, when the month's snapshot is published.
 */
export const NOTICE_KINDS = ['receipt', 'submitted', 'returned', 'approved', 'reminder', 'escalation', 'monthly_report'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** An e-mail address, or a work-chat group robot's webhook (WeCom and DingTalk accept the same JSON). */
export type Recipient = { channel: 'email'; address: string } | { channel: 'webhook'; url: string };

/** A message ready to send: Chinese first, English beside it, with the links it points to. */
export interface Notice {
  /** The event the notice is about, once: the key of the record of what was sent. */
  event: string;
  kind: NoticeKind;
  department: string | null;
  /** Null for the receipt of an upload whose month could not be read. */
  period: Period | null;
  to: Recipient[];
  subject: string;
  /** Plain text, Chinese paragraphs then English ones. */
  text: string;
  links: { label: string; url: string }[];
}

const periodSchema = z.string().refine(isPeriod, 'must be a month written YYYY-MM');
const departmentSchema = z.string().min(1);

/**
 * What a function asks the notifier to tell, as a message on the notice queue. The notifier builds the notice from
 * the stores (the import report, the month, the snapshot), so that a message carries no address and no figure.
 */
export const noticeRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('receipt'), bucket: z.string().min(1), reportKey: z.string().min(1) }),
  z.strictObject({
    kind: z.enum(['submitted', 'returned', 'approved']),
    department: departmentSchema,
    period: periodSchema,
    revision: z.number().int().positive(),
    /** When the step was made (its audit entry's time): two returns of one revision are two notices. */
    at: z.iso.datetime(),
  }),
  z.strictObject({
    kind: z.enum(['reminder', 'escalation']),
    department: departmentSchema,
    period: periodSchema,
    on: z.iso.date(),
    /** Working days left until the due date (a reminder), or since it (an escalation): the calendar's answer on the day. */
    workingDays: z.number().int().nonnegative(),
  }),
  z.strictObject({ kind: z.literal('monthly_report'), period: periodSchema }),
]);
export type NoticeRequest = z.infer<typeof noticeRequestSchema>;
/** A request about a step of a month's sign-off. */
export type ReviewStepRequest = Extract<NoticeRequest, { revision: number }>;

/** The event a request is about: the same request, delivered again, is the same event. */
export function eventOf(request: NoticeRequest): string {
  switch (request.kind) {
    case 'receipt':
      return `receipt#${request.bucket}/${request.reportKey}`;
    case 'submitted':
    case 'returned':
    case 'approved':
      return `${request.kind}#${request.department}#${request.period}#${request.revision}#${request.at}`;
    case 'reminder':
    case 'escalation':
      return `${request.kind}#${request.department}#${request.period}#${request.on}`;
    case 'monthly_report':
      return `monthly_report#${request.period}`;
  }
}
