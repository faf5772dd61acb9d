import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { s3UploadArchive } from '../../shared/aws/upload-archive.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readLimits } from '../../shared/config.js';
import { makeRebuild, RebuildFault, TableNotEmptyError, type RebuildSummary, type ReplayProgress, type TableContents } from '../../shared/ingest/rebuild.js';
import type { Upload } from '../../shared/observation.js';
import type { ReadLimits } from '../../shared/workbook/limits.js';
import { LOCAL_RESOURCES, startLocalStores } from '../local/stores.js';
import type { CliArgs } from '../main.js';
import { requireValue, UsageError } from '../usage.js';

/**
 * The table's items, counted. Only here, with the operator's credentials, is the table scanned:
 * an empty table is one with no item in any partition, and the count is of every item written.
 */
function tableContents(dynamo: DynamoDBClient, tableName: string): TableContents {
  return {
    async isEmpty() {
      const { Count = 0 } = await dynamo.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', Limit: 1 }));
      return Count === 0;
    },
    async itemCount() {
      let count = 0;
      let startKey: ScanCommand['input']['ExclusiveStartKey'];
      do {
        const page = await dynamo.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: startKey }));
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return count;
    },
  };
}

interface Target {
  s3: S3Client;
  dynamo: DynamoDBClient;
  bucket: string;
  table: string;
  keepsVersions: boolean;
  /** Where the table is, for the messages. */
  where: string;
  close(): Promise<void>;
}

/** `--bucket` and `--table` name the stack's (outputs UploadBucketName, ObservationsTableName); without them, the local stores. */
async function targetOf(values: CliArgs['values']): Promise<Target> {
  if (values.bucket === undefined && values.table === undefined) {
    const stores = await startLocalStores(values.data);
    return {
      s3: stores.s3,
      dynamo: stores.dynamo,
      bucket: LOCAL_RESOURCES.uploadBucket,
      table: LOCAL_RESOURCES.observationsTable,
      keepsVersions: false,
      where: `the local stores in ${values.data}`,
      close: () => stores.close(),
    };
  }
  const bucket = requireValue(values.bucket, '--bucket');
  const table = requireValue(values.table, '--table');
  const region = values.region === undefined ? {} : { region: values.region };
  const s3 = new S3Client(region);
  const dynamo = new DynamoDBClient(region);
  return {
    s3,
    dynamo,
    bucket,
    table,
    keepsVersions: true,
    where: `s3://${bucket} and table ${table}`,
    close: async () => {
      s3.destroy();
      dynamo.destroy();
    },
  };
}

const versionText = ({ key, versionId }: Upload) => (versionId ? `${key} (version ${versionId})` : key);

function progressLine({ index, total, upload, outcome, reported, sameAsReport }: ReplayProgress): string {
  const notes = [
    ...(reported ? [] : ['no import report: timed by S3 LastModified, uploader unknown']),
    ...(sameAsReport === false ? ['differs from its import report'] : []),
  ];
  const width = String(total).length;
  return `${String(index).padStart(width)} of ${total}  ${outcome.padEnd(10)} ${versionText(upload)}  ${upload.uploadedAt}${notes.map((n) => `  [${n}]`).join('')}`;
}

function summaryLines(summary: RebuildSummary): string[] {
  const { committed, duplicate, superseded, rejected } = summary.outcomes;
  const listed = (title: string, items: string[]) => [`${title}: ${items.length}`, ...items.map((item) => `  ${item}`)];
  return [
    `Uploads replayed: ${summary.replayed} of ${summary.uploads}`,
    `  committed ${committed}, duplicate ${duplicate}, superseded ${superseded}, rejected ${rejected}`,
    `Items written: ${summary.itemsWritten ?? 'unknown (the table could not be counted)'}`,
    ...listed('Uploads with no import report (timed by S3 LastModified, uploader unknown)', summary.withoutReport.map(versionText)),
    ...listed('Replays that differ from their import report', summary.differing.map(versionText)),
    ...listed('Import reports whose upload is no longer in the bucket (not replayed)', summary.orphanReports),
    // The bucket holds the uploads, not the heads' and the office's decisions: those are in the table alone.
    "Sign-off is not in the bucket: every month is submitted again, unlocked; approvals, returns, explanations, locks and",
    "restatements come back only from the table's point-in-time recovery. Uploads held as corrections of a locked month",
    'were replayed as current: they are among the replays that differ from their import report.',
  ];
}

/**
 * `rebuild`: replays every upload of the upload bucket, oldest first, into an empty observations
 * table, locally on the --data stores or on AWS with --bucket and --table.
 */
export async function rebuildCommand({ values }: CliArgs): Promise<number> {
  let limits: ReadLimits;
  try {
    limits = readLimits();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const target = await targetOf(values);
  const documents = DynamoDBDocumentClient.from(target.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const rebuild = makeRebuild({
    catalog,
    archive: s3UploadArchive(target.s3, { keepsVersions: target.keepsVersions }),
    objects: s3ObjectStore(target.s3),
    observations: dynamoObservationRepository(documents, target.table),
    table: tableContents(target.dynamo, target.table),
    logger: {
      info: () => undefined,
      warn: (message, ...extra) => console.error(`warning: ${message}`, ...extra),
      error: (message, ...extra) => console.error(`error: ${message}`, ...extra),
    },
    options: { limits },
  });
  console.log(`Rebuilding table ${target.table} from s3://${target.bucket} (${target.where})\n`);
  try {
    const summary = await rebuild(target.bucket, (progress) => console.log(progressLine(progress)));
    console.log(`\n${summaryLines(summary).join('\n')}`);
    return 0;
  } catch (error) {
    if (error instanceof TableNotEmptyError) {
      console.error(
        `${error.message}.\nNothing was replayed. Empty the table first (delete its items, or restore it to a point in time instead ` +
          `if that is what you need; locally: delete ${values.data}/dynamodb while nothing runs), then run rebuild again.`,
      );
      return 1;
    }
    if (error instanceof RebuildFault) {
      console.error(`\nThe rebuild stopped: ${error.message}\n\nDone until then:\n${summaryLines(error.summary).join('\n')}`);
      console.error('\nFix the cause, empty the table again and rerun rebuild: it replays every upload from the start.');
      return 1;
    }
    console.error(`The rebuild could not start: ${error instanceof Error ? error.message : String(error)}\nNothing was written to the table.`);
    return 1;
  } finally {
    await target.close();
  }
}
