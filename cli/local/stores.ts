import { CreateTableCommand, DynamoDBClient, ResourceInUseException, type KeyType } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketCorsCommand, S3Client, type CORSRule } from '@aws-sdk/client-s3';
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
import S3Error from 's3rver/lib/models/error.js';
import { OBSERVATION_TABLE_KEY } from '../../shared/aws/observation-table.js';
import { SENT_NOTICES_TABLE } from '../../shared/aws/sent-notices.js';
import { DEFAULT_DUE_DAY } from '../../shared/calendar.js';
import { ENV } from '../../shared/config.js';
import { INCOMING_PREFIX } from '../../shared/s3-keys.js';
import { enforcePostPolicies } from './post-policy.js';
import { refuseForgedPresignedUrls } from './presigned-urls.js';
import type { SigningCredentials } from './sigv4.js';

/** The names the local run gives the stack's buckets and table. */
export const LOCAL_RESOURCES = {
  uploadBucket: 'department-metrics-uploads',
  snapshotBucket: 'department-metrics-snapshots',
  observationsTable: 'department-metrics-observations',
  idempotencyTable: 'department-metrics-idempotency',
  sentNoticesTable: 'department-metrics-sent-notices',
} as const;

/**
 * The upload bucket's CORS in a local run: the portal's page, served from 127.0.0.1 or localhost on whatever port,
 * posts workbooks to it straight from the browser (a presigned POST) and reads the answer.
 */
export const LOCAL_UPLOAD_CORS: CORSRule = {
  AllowedOrigins: ['http://127.0.0.1:*', 'http://localhost:*'],
  AllowedMethods: ['POST'],
  AllowedHeaders: ['*'],
  ExposeHeaders: ['ETag', 'Location'],
  MaxAgeSeconds: 600,
};

/** The key pair s3rver knows (its one account), which every local client signs with. */
const LOCAL_CREDENTIALS: SigningCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** The idempotency table's key, as Powertools' DynamoDB persistence layer expects it by default. */
export const IDEMPOTENCY_TABLE_KEY = 'id';

/** The most bytes a file name may have on the file systems the local data lives on (NAME_MAX of ext4, XFS, APFS, NTFS). */
const FILE_NAME_MAX_BYTES = 255;
/**
 * The longest ending s3rver 3.7.1 gives the files of an object after the key's last segment
 * (lib/stores/filesystem.js: `._S3rver_object`, `._S3rver_object.md5`, `._S3rver_metadata.json`).
 */
const S3RVER_LONGEST_SUFFIX = '._S3rver_metadata.json';
/** The most bytes of a key segment the local stand-in stores; one limit for every segment, as a folder's name may also name an object. */
export const LOCAL_KEY_SEGMENT_MAX_BYTES = FILE_NAME_MAX_BYTES - Buffer.byteLength(S3RVER_LONGEST_SUFFIX);

/**
 * A key the local S3 stand-in refuses because s3rver would not map it to a file of its own inside
 * its folder (`..` resolved onto the disk, a name too long for the file system). Real S3 stores such
 * keys as they are; only the local run cannot.
 */
export class UnstorableKeyError extends Error {
  override readonly name = 'UnstorableKeyError';
  constructor(
    readonly key: string,
    reason: { zh: string; en: string },
  ) {
    super(
      // ASCII quotes: s3rver writes others as named XML entities, which the SDK does not read back.
      `本地 S3 存储无法保存 "${key}"：${reason.zh}；请改用不含这些的名称（上传的文件请改名）后重试。` +
        ` The local S3 stand-in cannot store "${key}": ${reason.en}; use a name without it (rename the file you upload) and run again.`,
    );
  }
}

/** Why the local stand-in cannot store `key` on its disk, or null when it can. */
export function unstorableReason(key: string): { zh: string; en: string } | null {
  if (key.includes('\0')) return { zh: '含有 NUL 字符，文件名不能含它', en: 'it holds a NUL character, which no file name can' };
  if (key.includes('\\')) return { zh: '含有反斜杠 \\，在 Windows 上是文件夹分隔符', en: 'it holds a backslash, a folder separator on Windows' };
  const segments = key.split('/');
  for (const [i, segment] of segments.entries()) {
    const n = i + 1;
    if (segment === '') return { zh: `第 ${n} 段为空（以 / 开头或结尾，或含 //）`, en: `part ${n} between slashes is empty (a leading or trailing /, or //)` };
    if (segment === '.' || segment === '..') {
      return { zh: `第 ${n} 段是 "${segment}"，在磁盘上会指向别的文件夹`, en: `part ${n} is "${segment}", which on disk names another folder` };
    }
    const bytes = Buffer.byteLength(segment);
    if (bytes > LOCAL_KEY_SEGMENT_MAX_BYTES) {
      return {
        zh: `第 ${n} 段有 ${bytes} 字节，本地磁盘上最多 ${LOCAL_KEY_SEGMENT_MAX_BYTES} 字节（约 ${Math.floor(LOCAL_KEY_SEGMENT_MAX_BYTES / 3)} 个汉字）`,
        en: `part ${n} has ${bytes} bytes, more than the ${LOCAL_KEY_SEGMENT_MAX_BYTES} a name may have on the local disk (about ${Math.floor(LOCAL_KEY_SEGMENT_MAX_BYTES / 3)} Chinese characters)`,
      };
    }
  }
  return null;
}

/** Throws UnstorableKeyError for a key the local stand-in cannot keep inside its folder. */
export function assertStorableLocally(key: string): void {
  const reason = unstorableReason(key);
  if (reason) throw new UnstorableKeyError(key, reason);
}

export interface LocalStores {
  /** Environment for code that talks to the stores through the shared AWS clients. */
  env: Record<string, string>;
  /** Refuses, before sending, a key the local disk cannot hold (UnstorableKeyError). */
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
  // Put at every start, so that a folder made before the portal also gets it.
  await s3.send(new PutBucketCorsCommand({ Bucket: LOCAL_RESOURCES.uploadBucket, CORSConfiguration: { CORSRules: [LOCAL_UPLOAD_CORS] } }));
  const { partitionKey, sortKey } = OBSERVATION_TABLE_KEY;
  await createTable(dynamo, LOCAL_RESOURCES.observationsTable, [
    { name: partitionKey, type: 'HASH' },
    { name: sortKey, type: 'RANGE' },
  ]);
  await createTable(dynamo, LOCAL_RESOURCES.idempotencyTable, [{ name: IDEMPOTENCY_TABLE_KEY, type: 'HASH' }]);
  await createTable(dynamo, LOCAL_RESOURCES.sentNoticesTable, [
    { name: SENT_NOTICES_TABLE.partitionKey, type: 'HASH' },
    { name: SENT_NOTICES_TABLE.sortKey, type: 'RANGE' },
  ]);
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
  // async: a key refused by getResourcePath rejects the read like any other failure, instead of throwing.
  store.getObject = async (bucket, key, options) => exclusive(store.getResourcePath(bucket, key, 'object'), () => getObject(bucket, key, options));
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    // Named apart from the key, so that the part's name is never longer than the object's own files.
    const partPath = join(dirname(objectPath), `.${randomUUID()}.part`);
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
 * Every file s3rver reads or writes for an object is named by getResourcePath, so refusing a key
 * there keeps every request (the CLI's puts, the functions' report writes, a test's own) inside the
 * store's folder: the client gets a 400 InvalidArgument with the reason, and nothing is written.
 */
function refuseUnstorableKeys(store: FilesystemStore): void {
  const resourcePath = store.getResourcePath.bind(store);
  store.getResourcePath = (bucket, key, resource) => {
    // A bucket's own files (multipart uploads, its configuration) come with no key.
    if (key) {
      const reason = unstorableReason(key);
      if (reason) throw new S3Error('InvalidArgument', new UnstorableKeyError(key, reason).message);
    }
    return resourcePath(bucket, key, resource);
  };
}

/**
 * Starts s3rver and dynalite in this process on 127.0.0.1, keeping their data under `directory`
 * so that later commands see it, and creates the buckets and table the stack defines.
 */
export async function startLocalStores(directory: string): Promise<LocalStores> {
  mkdirSync(join(directory, 's3'), { recursive: true });
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(directory, 's3') });
  refuseUnstorableKeys(s3rver.store);
  writeObjectsWholeBeforeAnnouncing(s3rver.store);
  enforcePostPolicies(s3rver, LOCAL_CREDENTIALS);
  refuseForgedPresignedUrls(s3rver, LOCAL_CREDENTIALS);
  const s3Address = await s3rver.run();
  const dynamoServer = dynalite({ path: join(directory, 'dynamodb'), createTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, '127.0.0.1', resolve));
  const dynamoAddress = dynamoServer.address() as AddressInfo;

  const env = {
    AWS_REGION: 'ap-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Address.port}`,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamoAddress.port}`,
    [ENV.observationsTable]: LOCAL_RESOURCES.observationsTable,
    [ENV.snapshotBucket]: LOCAL_RESOURCES.snapshotBucket,
    [ENV.idempotencyTable]: LOCAL_RESOURCES.idempotencyTable,
    [ENV.sentNoticesTable]: LOCAL_RESOURCES.sentNoticesTable,
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
  const s3 = new S3Client({ region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true, credentials: LOCAL_CREDENTIALS });
  // Refused here, a key never reaches s3rver, whose router answers some (`a//b`) with a bare 404.
  s3.middlewareStack.add(
    (next) => async (args) => {
      const { Key } = args.input as { Key?: unknown };
      if (typeof Key === 'string') assertStorableLocally(Key);
      return next(args);
    },
    { step: 'initialize', name: 'refuseUnstorableKeys' },
  );
  const dynamo = new DynamoDBClient({ region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, credentials: LOCAL_CREDENTIALS });
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
