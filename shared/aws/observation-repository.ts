import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient, type PutCommandInput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { noteField, uploadedAfter, type Observation, type Slice, type Submission, type SupersededSlice, type UploadRef } from '../observation.js';
import type { Period } from '../calendar.js';
import type { CommitResult, ObservationHistory, ObservationRepository } from '../ports.js';
import { departmentPartition, OBSERVATION_TABLE_KEY } from './observation-table.js';

/**
 * Item layout: one partition per department, so every read is a Query, never a Scan.
 *   pk = department#<department>  sk = submission#<period>             the month's current slice: its Submission and figures
 *   pk = department#<department>  sk = revision#<period>#<revision>  an earlier slice of the month, as it was while current
 *   pk = department#<department>  sk = upload#<uploadId>              an upload the portal granted (portal-uploads.ts)
 * A month's figures live in its submission item, so making an upload current is one conditional
 * PutItem: a slice becomes current whole or not at all, an upload that loses a race or is a duplicate
 * writes nothing, and reading a month costs one item however often it was corrected.
 * Before the switch, the slice being replaced is copied to its revision item. The copy is the same
 * whichever upload makes it, so a retried or racing commit rewrites the same bytes; a copy left by a
 * crash before the switch has the current item's own revision number and is never read as history.
 * An upload redelivered after its switch finds itself current and is told what it did, against that copy.
 * Each slice is an item of its own, so the month's item stays one slice's size however often it is corrected.
 */
const { partitionKey: PK, sortKey: SK } = OBSERVATION_TABLE_KEY;
const SUBMISSION = 'submission#';
const submissionKey = (period: Period) => `${SUBMISSION}${period}`;
const revisionPrefix = (period: Period) => `revision#${period}#`;
/** Zero-padded so that revisions sort as numbers. */
const revisionKey = (period: Period, revision: number) => `${revisionPrefix(period)}${String(revision).padStart(6, '0')}`;

/** Another upload of the same month switching the slice in between is retried this many times. */
const MAX_COMMIT_ATTEMPTS = 3;

/** A figure as its slice stores it: the rest of its lineage is the slice's upload. Items written before notes were read have none. */
type StoredFigure = Pick<Observation, 'indicator' | 'value' | 'unit' | 'note'> & Pick<Observation['lineage'], 'sheet' | 'cell'>;

/** What a slice item stores beside the Submission itself. */
interface SliceItem extends Submission {
  /** 1 for the month's first slice, one more for each correction. */
  revision: number;
  figures: StoredFigure[];
}

function storedFigure({ indicator, value, unit, note, lineage }: Observation): StoredFigure {
  return { indicator, value, unit, ...noteField(note), sheet: lineage.sheet, cell: lineage.cell };
}

function submissionOf(item: SliceItem): Submission {
  const { [PK]: _pk, [SK]: _sk, entity: _entity, revision: _revision, figures: _figures, ...submission } = item as SliceItem & Record<string, unknown>;
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
  const submission = submissionOf(item);
  const { department, period, bucket, key, versionId, sequencer, uploadedAt, uploader } = submission;
  const upload = { bucket, key, versionId, sequencer, uploadedAt, uploader };
  return {
    submission,
    observations: item.figures.map(({ indicator, value, unit, note, sheet, cell }) => ({
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

/** The same object version: the same bucket, key, version and event, not merely the same bytes. */
function isSameUpload(a: Submission, b: Submission): boolean {
  return a.bucket === b.bucket && a.key === b.key && a.versionId === b.versionId && a.sequencer === b.sequencer;
}

/** Without undefined attributes, which the document client refuses inside a map unless told to drop them. */
function uploadRefOf({ key, versionId, sequencer, uploadedAt, reportKey }: Submission): UploadRef {
  return { key, ...(versionId === undefined ? {} : { versionId }), sequencer, uploadedAt, reportKey };
}

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

export function dynamoObservationRepository(client: DynamoDBDocumentClient, tableName: string): ObservationRepository & ObservationHistory {
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

  /** A strongly consistent read: the commit's condition rests on it. */
  async function itemAt(department: string, sortKey: string): Promise<SliceItem | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { [PK]: departmentPartition(department), [SK]: sortKey }, ConsistentRead: true }));
    return Item as SliceItem | undefined;
  }

  const currentItem = (department: string, period: Period) => itemAt(department, submissionKey(period));

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

  /** Makes the slice current if the month is still at the revision read; false when another upload got there first. */
  async function switchTo(next: SliceItem, previous: SliceItem | undefined): Promise<boolean> {
    const guard: Partial<PutCommandInput> = previous
      ? { ConditionExpression: '#revision = :previous', ExpressionAttributeNames: { '#revision': 'revision' }, ExpressionAttributeValues: { ':previous': previous.revision } }
      : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } };
    try {
      await put(next, submissionKey(next.period), 'Submission', guard);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  return {
    async commit(submission, observations): Promise<CommitResult> {
      for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
        const previous = await currentItem(submission.department, submission.period);
        if (previous && !Array.isArray(previous.figures)) throw new EarlierLayoutError(submission.department, submission.period);
        if (previous?.contentSha256 === submission.contentSha256) {
          if (!isSameUpload(previous, submission)) return { outcome: 'duplicate', replaced: null };
          // This very upload is already current: a redelivery after a crash past the switch. It reports what the
          // upload did, against the slice it replaced, which the switch left in its revision item.
          return { outcome: 'committed', replaced: previous.revision > 1 ? sliceOf(await revisionItem(previous.department, previous.period, previous.revision - 1)) : null };
        }
        if (previous && uploadedAfter(submissionOf(previous), submission)) return { outcome: 'superseded', replaced: null };
        if (previous) await put(previous, revisionKey(previous.period, previous.revision), 'Revision');
        const next: SliceItem = {
          ...withoutUndefined(submission),
          firstUploadedAt: previous ? (previous.firstUploadedAt ?? previous.uploadedAt) : submission.uploadedAt,
          revision: (previous?.revision ?? 0) + 1,
          figures: observations.map(storedFigure),
        };
        if (await switchTo(next, previous)) return { outcome: 'committed', replaced: previous ? sliceOf(previous) : null };
      }
      throw new Error(
        `${submission.department} ${submission.period}: the month's submission kept changing during ${MAX_COMMIT_ATTEMPTS} attempts to commit`,
      );
    },

    async slicesIn(department, { from, to }) {
      // "$" sorts right after "#" and every digit, so the range ends after the last key of `to`.
      const items = await queryRange(department, submissionKey(from), `${submissionKey(to)}$`);
      return items.map(sliceOf);
    },

    async submission(department, period) {
      const item = await currentItem(department, period);
      return item ? submissionOf(item) : undefined;
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
