import type { Notice, NoticeRequest, Recipient } from './notice.js';

/** Where each department's notices go: data (the contacts document), never code. */
export interface DepartmentContacts {
  /** The department's own address, for the receipts of S3 drops and the reminders; and its clerks' robot. */
  clerks: Recipient[];
  /** The department's head: submitted months, escalations. */
  head: Recipient[];
}

export interface Contacts {
  department(id: string): DepartmentContacts | undefined;
  /** The district reform office: escalations and the monthly report. */
  office: Recipient[];
}

/** One channel: e-mail through SES (locally an .eml file), or a group robot's webhook (locally a JSON file). */
export interface Channel {
  /** Sends the notice to the recipient; throws when it was not accepted, so that it is tried again. */
  send(notice: Notice, recipient: Recipient): Promise<void>;
}

/**
 * The record of what was sent, one item per event and recipient, so that a notice goes out once however often its
 * event is delivered, by however many runs at once.
 */
export interface SentNotices {
  /** True when this call claimed the send; false when it was sent, or is being sent, already. */
  claim(event: string, recipient: string, now: Date): Promise<boolean>;
  sent(event: string, recipient: string, now: Date): Promise<void>;
  /** Gives a failed send back, so that the next delivery of the event tries it again. */
  release(event: string, recipient: string): Promise<void>;
}

/** The notifier's queue, as the other functions put requests on it. */
export interface NoticeQueue {
  request(request: NoticeRequest): Promise<void>;
}
