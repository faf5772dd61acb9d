import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient, type PutCommandInput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { noteField, uploadedAfter, type Observation, type Slice, type Submission, type SupersededSlice, type UploadRef } from '../observation.js';
import type { Period } from '../calendar.js';
import type { CommitResult, MonthReviews, PeriodRange, ObservationHistory, ObservationRepository } from '../ports.js';
import { submittedReview, withCorrection, type FigureWarning, type MonthRecord, type PendingCorrection, type Review } from '../review/review.js';
import { departmentPartition, OBSERVATION_TABLE_KEY } from './observation-table.js';

/**
 * Item layout: one partition per department, so every read is a Query, never a Scan.
 *   pk = department#<department>  sk = submission#<period>             the month's current slice: its Submission and figures
 *   pk = department#<department>  sk = revision#<period>#<revision>  an earlier slice of the month, as it was while current
 *   pk = department#<department>  sk = upload#<uploadId>              an upload the portal granted (portal-uploads.ts)
 * A month's figures live in its submission item with their sign-off (review.ts): its state, explanations, pending
 * correction, restatements and audit trail. Every change of the item is one PutItem conditional on the item's
 * `version`, which each write raises: a slice becomes current whole or not at all, an upload or a decision that
 * loses a race writes nothing and is decided again on what won, and reading a month costs one item however often
 * it was corrected.
 * Before the switch, the slice being replaced is copied to its revision item. The copy is the item as
 * read, sign-off included, and never replaces a copy of a later version of it, so a retried or racing
 * commit rewrites the same or newer bytes; a copy left by a crash before the switch has the current
 * item's own revision number and is never read as history.
 * An upload redelivered after its switch finds itself current and is told what it did, against that copy.
 * Each slice is an item of its own, so the month's item stays one slice's size however often it is corrected.
 */
const { partitionKey: PK, sortKey: SK } = OBSERVATION_TABLE_KEY;
const SUBMISSION = 'submission#';
const submissionKey = (period: Period) => `${SUBMISSION}${period}`;
const revisionPrefix = (period: Period) => `revision#${period}#`;
/** Zero-padded so that revisions sort as numbers. */
const revisionKey = (period: Period, revision: number) => `${revisionPrefix(period)}${String(revision).padStart(6, '0')}`;

/**
 * A write (an upload, a decision, an explanation, the lock) lost to another is decided again on what won, this many
 * times: heads, clerks, uploads and the snapshot seldom touch one month within the same second more often than that.
 */
const MAX_WRITE_ATTEMPTS = 10;

/** A figure as its slice stores it: the rest of its lineage is the slice's upload. Items written before notes were read have none. */
type StoredFigure = Pick<Observation, 'indicator' | 'value' | 'unit' | 'note'> & Pick<Observation['lineage'], 'sheet' | 'cell'>;

/** A pending correction as the item stores it: its upload, and its figures without the lineage the upload gives. */
interface StoredCorrection extends Omit<PendingCorrection, 'slice'> {
  submission: Submission;
  figures: StoredFigure[];
}

/** What a slice item stores beside the Submission itself. */
interface SliceItem extends Submission {
  /** 1 for the month's first slice, one more for each correction. */
  revision: number;
  figures: StoredFigure[];
  /** Raised by every write of the item; absent on items written before sign-off, which count as version 0. */
  version?: number;
  /** Absent on items written before sign-off: those figures are submitted, awaiting the head. */
  review?: Omit<Review, 'correction' | 'returnedCorrection'> & { correction: StoredCorrection | null; returnedCorrection?: Review['returnedCorrection'] };
}

function storedFigure({ indicator, value, unit, note, lineage }: Observation): StoredFigure {
  return { indicator, value, unit, ...noteField(note), sheet: lineage.sheet, cell: lineage.cell };
}

function submissionOf(item: SliceItem): Submission {
  const { [PK]: _pk, [SK]: _sk, entity: _entity, revision: _revision, figures: _figures, version: _version, review: _review, ...submission } = item as SliceItem &
    Record<string, unknown>;
  return submission as unknown as Submission;
}

/** A table written before figures moved into the submission item; its months need importing again. */
class EarlierLayoutError extends Error {
  override readonly name = 'EarlierLayoutError';
  constructor(department: string, period: Period) {
    super(`the ${department} ${period} item has no figures: the table was written by an earlier layout; import the month's workbook again (locally: delete the data folder)`);
  }
}

function sliceOf(item: SliceItem): Slice {
  if (!Array.isArray(item.figures)) throw new EarlierLayoutError(item.department, item.period);
  return sliceFrom(submissionOf(item), item.figures);
}

function sliceFrom(submission: Submission, figures: StoredFigure[]): Slice {
  const { department, period, bucket, key, versionId, sequencer, uploadedAt, uploader } = submission;
  const upload = { bucket, key, versionId, sequencer, uploadedAt, uploader };
  return {
    submission,
    observations: figures.map(({ indicator, value, unit, note, sheet, cell }) => ({
      department,
      indicator,
      period,
      value,
      unit,
      ...noteField(note),
      lineage: { ...upload, sheet, cell },
    })),
  };
}

/** The month as the item holds it; an item written before sign-off is submitted, with no history. */
function recordOf(item: SliceItem): MonthRecord {
  const slice = sliceOf(item);
  const stored = item.review;
  if (!stored) return { slice, revision: item.revision, review: submittedReview(undefined, slice, [], item.revision) };
  const { correction, returnedCorrection = null, ...review } = stored;
  return {
    slice,
    revision: item.revision,
    review: { ...review, returnedCorrection, correction: correction && { slice: sliceFrom(correction.submission, correction.figures), warnings: correction.warnings, explanations: correction.explanations } },
  };
}

/** The item of a month's record, one version on from the item it was read as. */
function itemOf(record: MonthRecord, previous: SliceItem | undefined): SliceItem {
  const { correction, ...review } = record.review;
  return {
    ...withoutUndefined(record.slice.submission),
    firstUploadedAt: previous ? (previous.firstUploadedAt ?? previous.uploadedAt) : record.slice.submission.uploadedAt,
    revision: record.revision,
    figures: record.slice.observations.map(storedFigure),
    version: (previous?.version ?? 0) + 1,
    review: withoutUndefinedDeep({
      ...review,
      correction: correction && {
        submission: correction.slice.submission,
        figures: correction.slice.observations.map(storedFigure),
        warnings: correction.warnings,
        explanations: correction.explanations,
      },
    }),
  };
}

type UploadIdentity = Pick<Submission, 'bucket' | 'key' | 'versionId' | 'sequencer'>;

/** The same object version: the same bucket, key, version and event, not merely the same bytes. */
function isSameUpload(a: UploadIdentity, b: UploadIdentity): boolean {
  return a.bucket === b.bucket && a.key === b.key && a.versionId === b.versionId && a.sequencer === b.sequencer;
}

/** Without undefined attributes, which the document client refuses inside a map unless told to drop them. */
function uploadRefOf({ key, versionId, sequencer, uploadedAt, reportKey }: Submission): UploadRef {
  return { key, ...(versionId === undefined ? {} : { versionId }), sequencer, uploadedAt, reportKey };
}

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

/** The same, all the way down: a review holds submissions whose versionId is absent on unversioned buckets. */
const withoutUndefinedDeep = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function dynamoObservationRepository(client: DynamoDBDocumentClient, tableName: string): ObservationRepository & ObservationHistory & MonthReviews {
  async function queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<SliceItem[]> {
    const items: SliceItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }));
      items.push(...((page.Items ?? []) as SliceItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** The items whose sort keys fall from `from` to `to`, both included, in key order. */
  const queryRange = (department: string, from: string, to: string) =>
    queryAll({
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': departmentPartition(department), ':from': from, ':to': to },
    });

  /** A strongly consistent read: the conditional writes rest on it. */
  async function itemAt(department: string, sortKey: string): Promise<SliceItem | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { [PK]: departmentPartition(department), [SK]: sortKey }, ConsistentRead: true }));
    return Item as SliceItem | undefined;
  }

  async function currentItem(department: string, period: Period): Promise<SliceItem | undefined> {
    const item = await itemAt(department, submissionKey(period));
    if (item && !Array.isArray(item.figures)) throw new EarlierLayoutError(department, period);
    return item;
  }

  async function revisionItem(department: string, period: Period, revision: number): Promise<SliceItem> {
    const item = await itemAt(department, revisionKey(period, revision));
    // Every switch past the first is preceded by the copy of the slice it replaces.
    if (!item) throw new Error(`${department} ${period}: revision ${revision} is missing although a later revision is current`);
    return item;
  }

  async function put(item: SliceItem, sortKey: string, entity: string, guard: Partial<PutCommandInput> = {}): Promise<void> {
    await client.send(
      new PutCommand({ TableName: tableName, Item: { ...item, [PK]: departmentPartition(item.department), [SK]: sortKey, entity }, ...guard }),
    );
  }

  /**
   * Writes the month's item if it is still the version read; false when another write got there first. A write that
   * makes another slice current copies the slice it replaces to its revision item first.
   */
  async function write(next: SliceItem, previous: SliceItem | undefined): Promise<boolean> {
    if (previous && previous.revision !== next.revision) await copy(previous);
    const guard: Partial<PutCommandInput> = !previous
      ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
      : previous.version === undefined
        ? {
            ConditionExpression: 'attribute_not_exists(#version) AND #revision = :revision',
            ExpressionAttributeNames: { '#version': 'version', '#revision': 'revision' },
            ExpressionAttributeValues: { ':revision': previous.revision },
          }
        : { ConditionExpression: '#version = :version', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': previous.version } };
    try {
      await put(next, submissionKey(next.period), 'Submission', guard);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * The copy of a slice about to be replaced, unless the table holds a copy of a later version of it: the review steps
   * change the item without changing its revision, so that a copy by a write that read an earlier version and lost
   * the race, landing late, would take back the steps the winner copied.
   */
  async function copy(previous: SliceItem): Promise<void> {
    const guard: Partial<PutCommandInput> =
      previous.version === undefined
        ? {}
        : {
            ConditionExpression: 'attribute_not_exists(#version) OR #version <= :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': previous.version },
          };
    try {
      await put(previous, revisionKey(previous.period, previous.revision), 'Revision', guard);
    } catch (error) {
      // A later version's copy is there: this write read a version since replaced, and its switch will fail too.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** What an upload does to the month as read: nothing, a new current slice, or a locked month's pending correction. */
  async function received(previous: SliceItem | undefined, slice: Slice, warnings: FigureWarning[]): Promise<{ result: CommitResult; next?: MonthRecord }> {
    const { submission } = slice;
    const record = previous && recordOf(previous);
    const pending = record?.review.correction?.slice.submission;
    // The upload competes with the newest it would replace: a locked month's pending correction, else the current slice.
    const rival = pending ?? (previous && submissionOf(previous));
    if (rival?.contentSha256 === submission.contentSha256) {
      if (!isSameUpload(rival, submission)) return { result: { outcome: 'duplicate', replaced: null } };
      // This very upload already made its write: a redelivery after a crash past it reports what it did.
      if (pending) return { result: { outcome: 'held', replaced: record.slice } };
      const { revision } = previous as SliceItem;
      return { result: { outcome: 'committed', replaced: revision > 1 ? sliceOf(await revisionItem(submission.department, submission.period, revision - 1)) : null } };
    }
    if (rival && uploadedAfter(rival, submission)) return { result: { outcome: 'superseded', replaced: null } };
    // The correction the reform office returned, delivered again, and anything older than it, is not held again.
    const returned = record?.review.returnedCorrection;
    if (returned && isSameUpload(returned, submission)) return { result: { outcome: 'duplicate', replaced: null } };
    if (returned && uploadedAfter(returned, submission)) return { result: { outcome: 'superseded', replaced: null } };
    if (record && record.review.lockedAt !== null) return { result: { outcome: 'held', replaced: record.slice }, next: withCorrection(record, slice, warnings) };
    const revision = (record?.revision ?? 0) + 1;
    return {
      result: { outcome: 'committed', replaced: record?.slice ?? null },
      next: { slice, revision, review: submittedReview(record?.review, slice, warnings, revision) },
    };
  }

  async function monthsIn(department: string, { from, to }: PeriodRange): Promise<MonthRecord[]> {
    // "$" sorts right after "#" and every digit, so the range ends after the last key of `to`.
    const items = await queryRange(department, submissionKey(from), `${submissionKey(to)}$`);
    return items.map(recordOf);
  }

  return {
    async commit(submission, observations, warnings = []): Promise<CommitResult> {
      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        const previous = await currentItem(submission.department, submission.period);
        const { result, next } = await received(previous, { submission, observations }, warnings);
        if (!next || (await write(itemOf(next, previous), previous))) return result;
      }
      throw new Error(
        `${submission.department} ${submission.period}: the month's submission kept changing during ${MAX_WRITE_ATTEMPTS} attempts to commit`,
      );
    },

    async slicesIn(department, months) {
      return (await monthsIn(department, months)).map((record) => record.slice);
    },

    monthsIn,

    async submission(department, period) {
      const item = await currentItem(department, period);
      return item ? submissionOf(item) : undefined;
    },

    async month(department, period) {
      const item = await currentItem(department, period);
      return item && recordOf(item);
    },

    async update(department, period, step) {
      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        const previous = await currentItem(department, period);
        if (!previous) return undefined;
        const next = step(recordOf(previous));
        if (next === null) return recordOf(previous);
        if (await write(itemOf(next, previous), previous)) return next;
      }
      throw new Error(`${department} ${period}: the month kept changing during ${MAX_WRITE_ATTEMPTS} attempts to update it`);
    },

    async trail(department, period) {
      const current = await currentItem(department, period);
      if (!current) return [];
      const earlier = current.revision > 1 ? await queryRange(department, revisionKey(period, 1), revisionKey(period, current.revision - 1)) : [];
      return [...earlier, current].flatMap((item) => recordOf(item).review.audit);
    },

    async history(department, period) {
      const current = await currentItem(department, period);
      if (!current || current.revision <= 1) return [];
      const earlier = await queryRange(department, revisionKey(period, 1), revisionKey(period, current.revision - 1));
      return earlier.map((item, index): SupersededSlice => {
        const { submission, observations } = sliceOf(item);
        const next = earlier[index + 1] ?? current;
        return { submission: { ...submission, supersededBy: uploadRefOf(submissionOf(next)) }, observations };
      });
    },
  };
}
