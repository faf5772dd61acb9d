import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { uploadedAfter } from '../ingest/upload.js';
import type { Observation, Submission, SupersededSlice, SupersededSubmission, UploadRef } from '../observation.js';
import type { Period } from '../period.js';
import type { CommitOutcome, ObservationHistory, ObservationRepository } from '../ports.js';
import { OBSERVATION_TABLE_KEY } from './observation-table.js';

/**
 * Item layout: one partition per department, so every read is a Query, never a Scan.
 *   pk = department#<department>  sk = submission#<period>                         the current Submission of the month
 *   pk = department#<department>  sk = observation#<period>#<upload>#<indicator>  an Observation of one upload
 * A month's figures are a versioned slice: each upload writes its own observations, and the
 * submission item points at the upload whose slice is current. Switching that pointer is one
 * conditional write, so a slice becomes current whole or not at all, and earlier slices stay
 * as history. The submission item also carries that history (`history`: each earlier submission
 * with the upload that replaced it), so the record of who replaced what changes in the same write.
 * Sort keys start with the period, so "everything up to a month" is one key range.
 */
const { partitionKey: PK, sortKey: SK } = OBSERVATION_TABLE_KEY;
const departmentKey = (department: string) => `department#${department}`;
const submissionKey = (period: Period) => `submission#${period}`;
const sliceKey = (period: Period, upload: string) => `observation#${period}#${upload}#`;
const observationKey = (o: Observation, upload: string) => `${sliceKey(o.period, upload)}${o.indicator}`;
/** "$" sorts right after "#": a range ending at `<prefix>#<period>$` takes in every key of that period. */
const upTo = (prefix: string, period: Period) => `${prefix}#${period}$`;

/** BatchWriteItem takes at most 25 items; unprocessed ones are resent with backoff, a bounded number of times. */
const BATCH_SIZE = 25;

export interface RetryPolicy {
  batchAttempts: number;
  /** The first resend waits about this long; each next one twice as long, with jitter. */
  baseBackoffMs: number;
}

/** About 6 s of backoff in all: well inside the ingest function's timeout. */
export const DEFAULT_RETRY: RetryPolicy = { batchAttempts: 8, baseBackoffMs: 50 };
/** Another upload of the same month switching the pointer in between is retried this many times. */
const MAX_COMMIT_ATTEMPTS = 3;

/** A stable id for one upload (one S3 object version), so a retried write lands on the same keys. */
export function uploadIdOf(submission: Pick<Submission, 'bucket' | 'key' | 'versionId' | 'sequencer'>): string {
  const { bucket, key, versionId = '', sequencer } = submission;
  return createHash('sha256').update(JSON.stringify([bucket, key, versionId, sequencer])).digest('hex').slice(0, 16);
}

type Item = Record<string, unknown>;

function toObservation(item: Item): Observation {
  const { department, indicator, period, value, unit, lineage } = item as unknown as Observation;
  return { department, indicator, period, value, unit, lineage };
}

/** What the submission item stores beside the Submission itself. */
interface SubmissionItem extends Item {
  upload: string;
  history?: (SupersededSubmission & { upload: string })[];
}

function toSubmission(item: Item): Submission {
  const { [PK]: _pk, [SK]: _sk, entity: _entity, upload: _upload, history: _history, ...submission } = item;
  return submission as unknown as Submission;
}

/** Without undefined attributes, which the document client refuses inside a list unless told to drop them. */
function uploadRefOf({ key, versionId, sequencer, uploadedAt, reportKey }: Submission): UploadRef {
  return { key, ...(versionId === undefined ? {} : { versionId }), sequencer, uploadedAt, reportKey };
}

export function dynamoObservationRepository(
  client: DynamoDBDocumentClient,
  tableName: string,
  retry: RetryPolicy = DEFAULT_RETRY,
): ObservationRepository & ObservationHistory {
  async function queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await client.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  const queryRange = (department: string, from: string, to: string) =>
    queryAll({
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': departmentKey(department), ':from': from, ':to': to },
      ConsistentRead: true,
    });

  async function submissionItem(department: string, period: Period): Promise<SubmissionItem | undefined> {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { [PK]: departmentKey(department), [SK]: submissionKey(period) },
        ConsistentRead: true,
      }),
    );
    return Item as SubmissionItem | undefined;
  }

  async function sliceOf(department: string, period: Period, upload: string): Promise<Observation[]> {
    const prefix = sliceKey(period, upload);
    // "$" sorts right after "#", so the range holds exactly the keys that start with the prefix.
    const items = await queryRange(department, prefix, `${prefix.slice(0, -1)}$`);
    return items.map(toObservation);
  }

  async function writeAll(items: Item[]): Promise<void> {
    for (let start = 0; start < items.length; start += BATCH_SIZE) {
      let requests = items.slice(start, start + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        if (attempt > retry.batchAttempts) {
          throw new Error(`DynamoDB left ${requests.length} observations unprocessed after ${retry.batchAttempts} attempts`);
        }
        if (attempt > 1) await sleep(retry.baseBackoffMs * 2 ** (attempt - 2) * (0.5 + Math.random()));
        const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (UnprocessedItems?.[tableName] ?? []).flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
      }
    }
  }

  /** Points the month at this upload's slice, if the pointer still is what was read; the slice it replaces joins the history. */
  async function switchSlice(submission: Submission, upload: string, previous: SubmissionItem | undefined): Promise<boolean> {
    const guard: Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> = previous
      ? { ConditionExpression: '#upload = :previous', ExpressionAttributeNames: { '#upload': 'upload' }, ExpressionAttributeValues: { ':previous': previous.upload } }
      : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } };
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            [PK]: departmentKey(submission.department),
            [SK]: submissionKey(submission.period),
            entity: 'Submission',
            upload,
            ...submission,
            firstUploadedAt: previous ? (previous.firstUploadedAt ?? previous.uploadedAt) : submission.uploadedAt,
            history: previous ? [...(previous.history ?? []), { ...toSubmission(previous), upload: previous.upload, supersededBy: uploadRefOf(submission) }] : [],
          },
          ...guard,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  return {
    async commit(submission, observations) {
      const upload = uploadIdOf(submission);
      const pk = departmentKey(submission.department);
      let written = false;
      for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
        const previous = await submissionItem(submission.department, submission.period);
        if (previous?.contentSha256 === submission.contentSha256) return 'duplicate' satisfies CommitOutcome;
        if (previous && uploadedAfter(toSubmission(previous), submission)) return 'superseded' satisfies CommitOutcome;
        if (!written) {
          // Not yet current: nobody reads these items until the pointer below is switched to them.
          await writeAll(observations.map((o) => ({ [PK]: pk, [SK]: observationKey(o, upload), entity: 'Observation', upload, ...o })));
          written = true;
        }
        if (await switchSlice(submission, upload, previous)) return 'committed' satisfies CommitOutcome;
      }
      throw new Error(
        `${submission.department} ${submission.period}: the month's submission kept changing during ${MAX_COMMIT_ATTEMPTS} attempts to commit`,
      );
    },

    async observationsUpTo(department, to) {
      const [submissions, observations] = await Promise.all([
        queryRange(department, 'submission#', upTo('submission', to)),
        queryRange(department, 'observation#', upTo('observation', to)),
      ]);
      const current = new Map(submissions.map((s) => [s.period, s.upload]));
      return observations.filter((o) => current.get(o.period) === o.upload).map(toObservation);
    },

    async submission(department, period) {
      const item = await submissionItem(department, period);
      return item ? toSubmission(item) : undefined;
    },

    async history(department, period) {
      const item = await submissionItem(department, period);
      return Promise.all(
        (item?.history ?? []).map(async ({ upload, ...submission }): Promise<SupersededSlice> => ({
          submission,
          observations: await sliceOf(department, period, upload),
        })),
      );
    },
  };
}
