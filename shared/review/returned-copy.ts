import { districtDateTimeAt } from '../calendar.js';
import { MEDIA_TYPES, type ImportReport } from '../ingest/ingest.js';
import type { Logger, ObjectStore } from '../ports.js';
import { annotateWorkbook, findingsOf } from '../workbook/annotate.js';
import { DEFAULT_MAX_ANNOTATED_BYTES } from '../ingest/annotation.js';
import type { MonthRecord } from './review.js';

/** An import report is a few kilobytes per problem; this bounds what is read of one. */
const MAX_REPORT_BYTES = 8 * 2 ** 20;

/** What became of the annotated copy when the month was returned. */
export type ReturnedCopy = 'marked' | 'no_copy' | 'not_returned';

/**
 * Writes the head's return into the annotated copy of the month's current upload, so that the clerk who opens the
 * copy reads the reason on its summary sheet above the problems. The copy is rewritten in place from the upload's
 * own bytes and its report's problems, so its link stays the one the clerk's page already has. An upload that had
 * no copy (a CSV file, a workbook too large to open whole) gets none: its report and the portal show the reason.
 */
export async function markReturnedCopy(ports: { objects: ObjectStore; logger: Logger }, record: MonthRecord): Promise<ReturnedCopy> {
  const returned = record.review.state === 'returned' ? record.review.audit.findLast((step) => step.action === 'returned') : undefined;
  if (!returned?.reason) return 'not_returned';
  const { bucket, key, versionId, reportKey } = record.slice.submission;
  const report = await ports.objects.get({ bucket, key: reportKey }, { maxBytes: MAX_REPORT_BYTES });
  if (!(report instanceof Uint8Array)) return 'no_copy';
  const { annotatedKey, errors, warnings } = JSON.parse(new TextDecoder().decode(report)) as ImportReport;
  if (annotatedKey === null) return 'no_copy';
  const upload = await ports.objects.get({ bucket, key, ...(versionId === undefined ? {} : { versionId }) }, { maxBytes: DEFAULT_MAX_ANNOTATED_BYTES });
  if (!(upload instanceof Uint8Array)) return 'no_copy';
  const byAndWhen = `${returned.by}, ${districtDateTimeAt(new Date(returned.at))}`;
  const body = await annotateWorkbook(upload, findingsOf({ errors, warnings }), { byAndWhen, reason: returned.reason });
  await ports.objects.put({ bucket, key: annotatedKey, body, contentType: MEDIA_TYPES.xlsx });
  ports.logger.info('annotated copy marked returned', { key: annotatedKey });
  return 'marked';
}
