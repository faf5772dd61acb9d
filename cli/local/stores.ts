import { CreateTableCommand, DynamoDBClient, ResourceInUseException, type KeyType } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, S3Event } from 'aws-lambda';
import dynalite from 'dynalite';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver, { type FilesystemStore } from 's3rver';
import { OBSERVATION_TABLE_KEY } from '../../shared/aws/observation-table.js';
import { DEFAULT_DUE_DAY } from '../../shared/calendar.js';
import { ENV } from '../../shared/config.js';
import { INCOMING_PREFIX } from '../../shared/s3-keys.js';

/** The names the local run gives the stack's buckets and table. */
export const LOCAL_RESOURCES = {
  uploadBucket: 'department-metrics-uploads',
  snapshotBucket: 'department-metrics-snapshots',
  observationsTable: 'department-metrics-observations',
  idempotencyTable: 'department-metrics-idempotency',
} as const;

/** The idempotency table's key, as Powertools' DynamoDB persistence layer expects it by default. */
export const IDEMPOTENCY_TABLE_KEY = 'id';

export interface LocalStores {
  /** Environment for code that talks to the stores through the shared AWS clients. */
  env: Record<string, string>;
  s3: S3Client;
  dynamo: DynamoDBClient;
  /** Hands every S3 event the upload bucket emits to the listener, as S3 would invoke a function. */
  onS3Event(listener: (event: S3Event) => Promise<unknown>): void;
  /** Resolves when every event delivered so far has been handled. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** S3 URL-encodes keys in notifications (spaces as "+"); s3rver sends them raw, so do what S3 does. */
function encodeAsS3(event: S3Event): S3Event {
  return {
    Records: event.Records.map((record) => ({
      ...record,
      s3: {
        ...record.s3,
        object: { ...record.s3.object, key: encodeURIComponent(record.s3.object.key).replace(/%2F/g, '/').replace(/%20/g, '+') },
      },
    })),
  };
}

async function createResources(s3: S3Client, dynamo: DynamoDBClient): Promise<void> {
  for (const bucket of [LOCAL_RESOURCES.uploadBucket, LOCAL_RESOURCES.snapshotBucket]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
  }
  const { partitionKey, sortKey } = OBSERVATION_TABLE_KEY;
  await createTable(dynamo, LOCAL_RESOURCES.observationsTable, [
    { name: partitionKey, type: 'HASH' },
    { name: sortKey, type: 'RANGE' },
  ]);
  await createTable(dynamo, LOCAL_RESOURCES.idempotencyTable, [{ name: IDEMPOTENCY_TABLE_KEY, type: 'HASH' }]);
}

async function createTable(dynamo: DynamoDBClient, name: string, key: { name: string; type: KeyType }[]): Promise<void> {
  await dynamo
    .send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: key.map((k) => ({ AttributeName: k.name, AttributeType: 'S' })),
        KeySchema: key.map((k) => ({ AttributeName: k.name, KeyType: k.type })),
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ResourceInUseException)) throw error;
    });
}

/** Runs the tasks given for one name one after another, in the order they were given. */
function oneAtATimePerName() {
  const tails = new Map<string, Promise<void>>();
  return <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const result = (tails.get(name) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(name, tail);
    void tail.then(() => tails.get(name) === tail && tails.delete(name));
    return result;
  };
}

/**
 * s3rver 3.7.1's FilesystemStore.putObject truncates the object's file in place and resolves when
 * its hashing Transform emits 'finish', before the piped write stream has flushed and closed; the
 * controller then emits the S3 event. The ingest function, reacting to it, could read an empty or
 * half-written file (an unchanged sample re-uploaded was rejected `file.empty`). Here a put writes
 * the body to a file of its own beside the object, waits for it to close, renames it into place and
 * writes the metadata, and only then resolves and lets the event go, as S3 announces an object once
 * it can be read. s3rver's getObject stats the file and then opens it, so a rename in between would
 * serve the new file cut to the old length: reads and that last step of a put take turns per object.
 */
function writeObjectsWholeBeforeAnnouncing(store: FilesystemStore): void {
  const exclusive = oneAtATimePerName();
  const getObject = store.getObject.bind(store);
  store.getObject = (bucket, key, options) => exclusive(store.getResourcePath(bucket, key, 'object'), () => getObject(bucket, key, options));
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    const partPath = `${objectPath}.${randomUUID()}.part`;
    const md5 = createHash('md5');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await mkdir(dirname(objectPath), { recursive: true });
    try {
      const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
      // Resolves once the write stream has closed: every byte is in the file.
      await pipeline(content, measure, createWriteStream(partPath));
    } catch (error) {
      await rm(partPath, { force: true });
      throw error;
    }
    const digest = md5.digest('hex');
    await exclusive(objectPath, async () => {
      await rename(partPath, objectPath);
      await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    });
    return { size, md5: digest };
  };
}

/**
 * Starts s3rver and dynalite in this process on 127.0.0.1, keeping their data under `directory`
 * so that later commands see it, and creates the buckets and table the stack defines.
 */
export async function startLocalStores(directory: string): Promise<LocalStores> {
  mkdirSync(join(directory, 's3'), { recursive: true });
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(directory, 's3') });
  writeObjectsWholeBeforeAnnouncing(s3rver.store);
  const s3Address = await s3rver.run();
  const dynamoServer = dynalite({ path: join(directory, 'dynamodb'), createTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, '127.0.0.1', resolve));
  const dynamoAddress = dynamoServer.address() as AddressInfo;

  const env = {
    AWS_REGION: 'ap-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Address.port}`,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamoAddress.port}`,
    [ENV.observationsTable]: LOCAL_RESOURCES.observationsTable,
    [ENV.snapshotBucket]: LOCAL_RESOURCES.snapshotBucket,
    [ENV.idempotencyTable]: LOCAL_RESOURCES.idempotencyTable,
    [ENV.dueDay]: String(DEFAULT_DUE_DAY),
    POWERTOOLS_METRICS_NAMESPACE: 'DepartmentMetrics-local',
    // EMF lines would bury the CLI's own output; the functions still record them, nothing is printed.
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    // The lock file pins SDK releases that support the Node.js 20 of the local machines (Lambda runs 22),
    // so the SDK's notice about future releases is noise in a local run.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  Object.assign(process.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED });
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  const s3 = new S3Client({ region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true, credentials });
  const dynamo = new DynamoDBClient({ region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, credentials });
  await createResources(s3, dynamo);

  const pending = new Set<Promise<unknown>>();
  const failures: unknown[] = [];
  return {
    env,
    s3,
    dynamo,
    onS3Event(listener) {
      s3rver.on('event', (event) => {
        const bucket = event.Records[0]?.s3.bucket.name;
        if (bucket !== LOCAL_RESOURCES.uploadBucket || !event.Records[0]?.s3.object.key.startsWith(INCOMING_PREFIX)) return;
        const delivery = listener(encodeAsS3(event))
          .catch((error: unknown) => failures.push(error))
          .finally(() => pending.delete(delivery));
        pending.add(delivery);
      });
    },
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
      if (failures.length > 0) throw failures.splice(0)[0];
    },
    async close() {
      s3.destroy();
      dynamo.destroy();
      await s3rver.close();
      await new Promise<void>((resolve, reject) => dynamoServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The context a Lambda invocation would carry, for running the real handlers in-process. */
export function localContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
