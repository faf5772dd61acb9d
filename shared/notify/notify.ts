import { dueDateOf } from '../calendar.js';
import type { Catalog } from '../catalog/catalog.js';
import type { ImportReport } from '../ingest/ingest.js';
import type { PortalUploads } from '../portal/ports.js';
import type { Logger, MonthReviews, ObjectRef, ObjectStore } from '../ports.js';
import { departmentOfKey, snapshotKey, uploadIdOfKey } from '../s3-keys.js';
import { headline, notReported } from '../snapshot/report-model.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { Delivered } from './deliver.js';
import { annotatedCopyLink, dueNotice, monthlyReportNotice, receiptNotice, reviewNotice, type Addressing, type DepartmentName } from './messages.js';
import { eventOf, type Notice, type NoticeRequest, type Recipient } from './notice.js';
import type { Contacts } from './ports.js';

/** Import reports and snapshots are small JSON files; anything larger is not one. */
const MAX_JSON_BYTES = 16 * 2 ** 20;

/** A request about something the stores do not hold (a report deleted, a month never written): nothing to tell, and trying again will not change it. */
export class NothingToTellError extends Error {
  override readonly name = 'NothingToTellError';
}

export interface NotifierPorts {
  catalog: Pick<Catalog, 'department'>;
  objects: Pick<ObjectStore, 'get'>;
  /** The month's steps, of every revision: the reason of a return. */
  reviews: Pick<MonthReviews, 'trail'>;
  /** The portal's record of an upload names the signed-in user's address, to whom its receipt goes. */
  portalUploads: Pick<PortalUploads, 'get'>;
  contacts: Contacts;
  deliver(notice: Notice): Promise<Delivered>;
  portalUrl: string;
  snapshotBucket: string;
  dueDay: number;
  logger: Logger;
}

/**
 * The notifier's use case: a request from the notice queue → the notice, built from what the stores hold now → its
 * delivery, once per event and recipient. A request carries no address and no figure, so that what is told is what
 * the stores say and who is told is what the contacts say.
 */
export function makeNotifier(ports: NotifierPorts) {
  const { catalog, objects, contacts, portalUrl } = ports;

  async function readJson<T>(ref: ObjectRef): Promise<T> {
    const bytes = await objects.get(ref, { maxBytes: MAX_JSON_BYTES });
    if (!(bytes instanceof Uint8Array)) throw new NothingToTellError(`s3://${ref.bucket}/${ref.key} is too large to be a report`);
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  }

  function departmentOf(id: string): { name: DepartmentName; clerks: Recipient[]; head: Recipient[] } {
    const department = catalog.department(id);
    const listed = contacts.department(id);
    if (!department || !listed) throw new NothingToTellError(`no department ${id} in the catalog and the contacts`);
    return { name: { id, zh: department.zh, en: department.en }, ...listed };
  }

  /** The portal user who uploaded it, when the portal knows their address; else the department's own address. */
  async function uploaderOf(report: ImportReport, clerks: Recipient[]): Promise<Recipient[]> {
    const uploadId = uploadIdOfKey(report.source.key);
    const department = departmentOfKey(report.source.key);
    const granted = uploadId === null || department === null ? undefined : await ports.portalUploads.get(department, uploadId);
    return granted?.email ? [{ channel: 'email', address: granted.email }] : clerks;
  }

  async function noticeOf(request: NoticeRequest, event: string): Promise<Notice | null> {
    const addressing = (to: Recipient[]): Addressing => ({ event, to, portalUrl });
    switch (request.kind) {
      case 'receipt': {
        const report = await readJson<ImportReport>({ bucket: request.bucket, key: request.reportKey });
        // The same bytes again: the clerk had the receipt of the first.
        if (report.outcome === 'duplicate') return null;
        const department = departmentOf(report.department);
        const annotatedUrl = annotatedCopyLink(report, ports.portalUrl);
        return receiptNotice(report, department.name, { ...addressing(await uploaderOf(report, department.clerks)), annotatedUrl });
      }
      case 'submitted':
      case 'returned':
      case 'approved': {
        const { department: id, period, revision, at, kind } = request;
        const department = departmentOf(id);
        const step = (await ports.reviews.trail(id, period)).find((entry) => entry.action === kind && entry.at === at && entry.revision === revision);
        if (!step) throw new NothingToTellError(`no ${kind} step of ${id} ${period} revision ${revision} at ${at}`);
        return reviewNotice(kind, { period, revision, reason: step.reason }, department.name, addressing(kind === 'submitted' ? department.head : department.clerks));
      }
      case 'reminder':
      case 'escalation': {
        const department = departmentOf(request.department);
        const to = request.kind === 'reminder' ? department.clerks : [...department.head, ...contacts.office];
        const due = { period: request.period, dueDate: dueDateOf(request.period, ports.dueDay), workingDays: request.workingDays };
        return dueNotice(request.kind, due, department.name, addressing(to));
      }
      case 'monthly_report': {
        const snapshot = await readJson<Snapshot>({ bucket: ports.snapshotBucket, key: snapshotKey(request.period, 'progress.json') });
        const missing = notReported(snapshot).map(({ department, zh, en }) => ({ id: department, zh, en }));
        return monthlyReportNotice({ period: request.period, headline: headline(snapshot), notReported: missing }, addressing(contacts.office));
      }
    }
  }

  /** Tells what the request is about, once; a notice not sent throws (NoticeNotSentError) so that the request is delivered again. */
  return async function notify(request: NoticeRequest): Promise<Delivered> {
    const event = eventOf(request);
    const notice = await noticeOf(request, event);
    if (!notice) {
      ports.logger.info('nothing to tell', { event });
      return { sent: 0, skipped: 0 };
    }
    return ports.deliver(notice);
  };
}
