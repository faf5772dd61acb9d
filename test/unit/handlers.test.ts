import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { Readable } from 'node:stream';
import { mockClient } from 'aws-sdk-client-mock';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { localContext } from '../../cli/local/stores.js';
import { fillTemplate } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import type { Snapshot } from '../../shared/snapshot/index.js';
import { buildTemplate } from '../../shared/workbook/template.js';
import { uploadKey } from '../../shared/s3-keys.js';
import { HOSTILE_CASES, HOSTILE_KEYS, monthlyWorkbook, reportKeyViolations } from '../hostile/corpus.js';

/**
 * The handlers with their AWS clients replaced by aws-sdk-client-mock: what they send to S3 and
 * DynamoDB is asserted, and AWS faults are injected. The real flow runs in test/integration.
 */
const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
// Powertools idempotency talks to its table through the plain client.
const idempotency = mockClient(DynamoDBClient);
const notices = mockClient(SQSClient);

let ingest: typeof import('../../functions/ingest/handler.js').handler;
let snapshot: typeof import('../../functions/snapshot/handler.js').handler;
let deadlines: typeof import('../../functions/deadlines/handler.js').handler;
let metrics: typeof import('../../shared/observability/metrics.js').metrics;

/** Each invocation's EMF document, as the logMetrics middleware would print it. */
let emitted: Record<string, unknown>[] = [];
/** Each JSON log line the handlers print. */
let logged: Record<string, unknown>[] = [];

beforeAll(async () => {
  vi.stubEnv('AWS_REGION', 'ap-east-1');
  vi.stubEnv('OBSERVATIONS_TABLE_NAME', 'observations');
  vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'idempotency');
  vi.stubEnv('SNAPSHOT_BUCKET_NAME', 'snapshots');
  vi.stubEnv('REPORTING_DUE_DAY', '10');
  vi.stubEnv('NOTICE_QUEUE_URL', 'https://sqs.ap-east-1.amazonaws.com/000000000000/notices');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'department-metrics');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'DepartmentMetrics/test');
  ({ handler: ingest } = await import('../../functions/ingest/handler.js'));
  ({ handler: snapshot } = await import('../../functions/snapshot/handler.js'));
  ({ handler: deadlines } = await import('../../functions/deadlines/handler.js'));
  // Imported after the environment is set: the buffer reads its namespace when it is created.
  ({ metrics } = await import('../../shared/observability/metrics.js'));
});

beforeEach(() => {
  s3.reset();
  dynamo.reset();
  idempotency.reset();
  notices.reset();
  notices.on(SendMessageCommand).resolves({ MessageId: 'm' });
  idempotency.on(PutItemCommand).resolves({});
  idempotency.on(UpdateItemCommand).resolves({});
  idempotency.on(DeleteItemCommand).resolves({});
  vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00+08:00'), toFake: ['Date'] });
  emitted = [];
  vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    emitted.push(metrics.serializeMetrics());
    metrics.clearMetrics();
    return metrics;
  });
  logged = [];
  // Powertools Logger writes one JSON document per line: INFO to stdout, WARN and ERROR to stderr.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      for (const line of String(chunk).split('\n')) if (line.startsWith('{')) logged.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
  }
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function s3Event(key: string, versionId = 'v1'): S3Event {
  return {
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        eventTime: '2026-11-30T03:00:00.000Z',
        userIdentity: { principalId: 'AWS:CLERK' },
        s3: { bucket: { name: 'uploads' }, object: { key, sequencer: '0055AED6DCD90281E5', versionId, size: 1 } },
      },
    ],
  } as unknown as S3Event;
}

/** S3 → SQS: each message body is one S3 notification. */
function sqsEvent(...bodies: unknown[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m${i + 1}`,
      receiptHandle: `r${i + 1}`,
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's3', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-east-1:000000000000:ingest',
      awsRegion: 'ap-east-1',
    })),
  };
}

/** In Node.js the SDK hands a GetObject body over as a stream. */
const body = (bytes: Uint8Array) => Readable.from([Buffer.from(bytes)]) as unknown as GetObjectCommandOutput['Body'];

async function scienceWorkbook(): Promise<Uint8Array> {
  return fillTemplate(
    await buildTemplate(catalog, 'science', '2026-11'),
    new Map<string, number | boolean>([
      ['sci.bayu_craftsmen', 30],
      ['sci.tech_contract_turnover', 1.3],
      ['sci.incentive_app_rollout', true],
    ]),
  );
}

/** Rows holding any value on any sheet, counted by exceljs loading the whole workbook: what the reader should report. */
async function rowsHoldingValues(bytes: Uint8Array): Promise<number> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  let rows = 0;
  workbook.eachSheet((sheet) => sheet.eachRow((row) => {
    if ((row.values as unknown[]).some((value) => value !== null && value !== undefined && value !== '')) rows++;
  }));
  return rows;
}

/** Each report as last written (a report is written before the annotated copy and again after it). */
function writtenReports(): ImportReport[] {
  const reports = new Map<string | undefined, ImportReport>();
  for (const put of s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)) {
    if (put.Key?.endsWith('.json')) reports.set(put.Key, JSON.parse(String(put.Body)) as ImportReport);
  }
  return [...reports.values()];
}

const KEY = 'incoming/science/科技 11月.xlsx';
const ENCODED_KEY = 'incoming/science/%E7%A7%91%E6%8A%80+11%E6%9C%88.xlsx';

/** S3 takes any key of at most 1,024 bytes, `..` and `.` segments included, as plain text; longer ones it refuses. */
const S3_MAX_KEY_BYTES = 1024;
const keyTooLong = () => Object.assign(new Error('Your key is too long'), { name: 'KeyTooLongError' });

/** Keys S3 holds as they are and the local stand-in's disk cannot: what the hostile corpus sends through the handler here. */
const KEYS_BEYOND_LOCAL_DISK = [
  ...HOSTILE_KEYS,
  ...HOSTILE_CASES.filter((hostile) => hostile.nameBeyondLocalDisk).map((hostile) => uploadKey(hostile.department, hostile.fileName)),
];

describe('the ingest handler and keys S3 takes as they are', () => {
  beforeEach(async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(await monthlyWorkbook()) });
    s3.on(PutObjectCommand).callsFake((input: { Key: string }) => {
      if (Buffer.byteLength(input.Key) > S3_MAX_KEY_BYTES) throw keyTooLong();
      return {};
    });
    dynamo.on(GetCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(PutCommand).resolves({});
  });

  it.each(KEYS_BEYOND_LOCAL_DISK.map((key) => [key.length > 60 ? `${key.slice(0, 60)}… (${Buffer.byteLength(key)} bytes)` : key, key]))(
    '%s: its report is written where the key layout says, under 1,024 bytes, and the message is not retried',
    async (_, key) => {
      const response = await ingest(sqsEvent(s3Event(encodeURIComponent(key).replace(/%2F/g, '/'))), localContext('ingest'));

      expect(response).toEqual({ batchItemFailures: [] });
      const [report, ...others] = writtenReports();
      expect(others).toEqual([]);
      expect(report?.source.key).toBe(key);
      expect(reportKeyViolations(report?.reportKey ?? '')).toEqual([]);
      for (const put of s3.commandCalls(PutObjectCommand)) expect(Buffer.byteLength(put.args[0].input.Key ?? '')).toBeLessThanOrEqual(S3_MAX_KEY_BYTES);
    },
  );
});

describe('the ingest handler', () => {
  beforeEach(async () => {
    s3.on(GetObjectCommand, { Bucket: 'uploads', Key: KEY, VersionId: 'v1' }).resolves({ Body: body(await scienceWorkbook()) });
    s3.on(PutObjectCommand).resolves({});
    dynamo.on(GetCommand).resolves({});
    // The department has no earlier figures for the rules to compare with.
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(PutCommand).resolves({});
  });

  it('reads the decoded key and makes the month current with its figures in one conditional write', async () => {
    const response = await ingest(sqsEvent(s3Event(ENCODED_KEY)), localContext('ingest'));

    expect(response).toEqual({ batchItemFailures: [] });
    const [slice, ...others] = dynamo.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(others).toEqual([]);
    expect(slice?.Item).toMatchObject({ pk: 'department#science', sk: 'submission#2026-11', period: '2026-11', key: KEY, versionId: 'v1', revision: 1 });
    expect(new Set((slice?.Item?.figures as { indicator: string; value: unknown; sheet: string }[]).map((f) => `${f.indicator}=${String(f.value)}@${f.sheet}`))).toEqual(
      new Set(['sci.bayu_craftsmen=30@填报 Data', 'sci.tech_contract_turnover=1.3@填报 Data', 'sci.incentive_app_rollout=true@填报 Data']),
    );
    expect(slice?.ConditionExpression).toBe('attribute_not_exists(#pk)');
    expect(writtenReports()).toMatchObject([{ status: 'accepted', outcome: 'committed', counts: { observations: 3, errors: 0 } }]);
  });

  it('keys the idempotency record on the object version and stores only the small result', async () => {
    await ingest(sqsEvent(s3Event(ENCODED_KEY)), localContext('ingest'));
    const claim = idempotency.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(claim?.TableName).toBe('idempotency');
    expect(claim?.Item?.status).toEqual({ S: 'INPROGRESS' });
    const completed = idempotency.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(completed?.Key).toEqual(claim?.Item && { id: claim.Item.id });
    expect(completed?.ExpressionAttributeValues?.[':response_data']).toEqual({
      M: { reportKey: { S: 'reports/science/科技 11月.xlsx.v1.json' }, status: { S: 'accepted' }, outcome: { S: 'committed' } },
    });
  });

  it('emits files accepted, rows read and observations written as EMF', async () => {
    await ingest(sqsEvent(s3Event(ENCODED_KEY)), localContext('ingest'));
    const [document] = emitted;
    const rows = await rowsHoldingValues(await scienceWorkbook());
    expect(document).toMatchObject({ service: 'department-metrics', FilesAccepted: 1, RowsRead: rows, ObservationsWritten: 3, ChecksFailed: 0 });
    expect(document?._aws).toMatchObject({ CloudWatchMetrics: [{ Namespace: 'DepartmentMetrics/test', Dimensions: [['service']] }] });
  });

  it('counts an upload it could not check for a fault of its own, for the alarm, and reports it to the clerk', async () => {
    // A fault inside the check: reading each figure asks the catalog for its unit.
    vi.spyOn(catalog, 'unit').mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'value')");
    });
    const response = await ingest(sqsEvent(s3Event(ENCODED_KEY)), localContext('ingest'));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(emitted[0]).toMatchObject({ FilesRejected: 1, ObservationsWritten: 0, ChecksFailed: 1 });
    expect(writtenReports()).toMatchObject([{ status: 'rejected', errors: [{ code: 'file.check_failed' }] }]);
  });

  it('counts the rows of a rejected file as read, and nothing as written', async () => {
    const wrong = await fillTemplate(await buildTemplate(catalog, 'science', '2026-11'), new Map([['sci.bayu_craftsmen', 'thirty']]));
    s3.on(GetObjectCommand, { Bucket: 'uploads', Key: KEY, VersionId: 'v1' }).resolves({ Body: body(wrong) });
    await ingest(sqsEvent(s3Event(ENCODED_KEY)), localContext('ingest'));
    expect(emitted[0]).toMatchObject({ FilesRejected: 1, RowsRead: await rowsHoldingValues(wrong), ObservationsWritten: 0 });
    expect(writtenReports()).toMatchObject([{ status: 'rejected', counts: { rows: await rowsHoldingValues(wrong), observations: 0 } }]);
  });

  it('names the upload key, version and department on every line it logs, and the period once known', async () => {
    await ingest(sqsEvent(s3Event(ENCODED_KEY)), localContext('ingest'));
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line).toMatchObject({ uploadKey: KEY, versionId: 'v1', department: 'science' });
    expect(logged.find((l) => l.message === 'upload ingested')).toMatchObject({ period: '2026-11', status: 'accepted', outcome: 'committed' });
  });

  it('reports a throttled message alone as failed, writes no report and releases its idempotency record for the retry', async () => {
    dynamo.on(PutCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    const response = await ingest(sqsEvent({ Service: 'Amazon S3', Event: 's3:TestEvent' }, s3Event(ENCODED_KEY)), localContext('ingest'));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(idempotency.commandCalls(DeleteItemCommand)).toHaveLength(1);
    expect(logged.find((l) => l.level === 'ERROR')).toMatchObject({ uploadKey: KEY, department: 'science', error: { message: 'Rate exceeded' } });
  });

  it('refuses an object S3 says is larger than a workbook may unpack to as file.too_large, writing no figure', async () => {
    const unread = new Readable({ read() { throw new Error('the body of an object too large was read'); } });
    s3.on(GetObjectCommand, { Bucket: 'uploads', Key: KEY, VersionId: 'v1' }).resolves({
      Body: unread as unknown as GetObjectCommandOutput['Body'],
      ContentLength: 700 * 2 ** 20,
    });
    const response = await ingest(sqsEvent(s3Event(ENCODED_KEY)), localContext('ingest'));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutCommand)).toEqual([]);
    expect(unread.destroyed).toBe(true);
    expect(writtenReports()).toMatchObject([{ status: 'rejected', outcome: null, errors: [{ code: 'file.too_large' }], annotation: { status: 'not_read' } }]);
    expect(emitted[0]).toMatchObject({ FilesRejected: 1, ObservationsWritten: 0 });
  });

  it('fails only the message whose object cannot be read; its neighbour is ingested', async () => {
    s3.on(GetObjectCommand, { Key: 'incoming/science/gone.xlsx' }).rejects(new Error('SlowDown'));
    const response = await ingest(sqsEvent(s3Event('incoming/science/gone.xlsx'), s3Event(ENCODED_KEY)), localContext('ingest'));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(writtenReports().map((r) => r.source.key)).toEqual([KEY]);
  });

  it('throws when every message of the batch fails, so that Lambda counts an error', async () => {
    s3.on(GetObjectCommand).rejects(new Error('SlowDown'));
    await expect(ingest(sqsEvent(s3Event(ENCODED_KEY)), localContext('ingest'))).rejects.toThrow('All records failed processing');
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('takes the test event S3 sends when the notification is set up as done, touching nothing', async () => {
    const response = await ingest(sqsEvent({ Service: 'Amazon S3', Event: 's3:TestEvent' }), localContext('ingest'));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
    expect(idempotency.calls()).toHaveLength(0);
  });
});

describe('the snapshot handler', () => {
  it('reports on the month just ended when the schedule sends an empty event', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(GetCommand).resolves({});
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    s3.on(PutObjectCommand).resolves({});
    const result = await snapshot({}, localContext('snapshot'));
    expect(result).toMatchObject({ period: '2026-11', outcome: 'written' });
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({ Bucket: 'snapshots', Prefix: 'snapshots/period=2026-11/manifest.json' });
    const json = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key?.endsWith('.json'))?.args[0].input;
    expect(json?.Bucket).toBe('snapshots');
    const written = JSON.parse(new TextDecoder().decode(json?.Body as Uint8Array)) as Snapshot;
    expect(written.indicators.every((r) => r.status === 'no_data' || r.status === 'no_target')).toBe(true);
    expect(written.departments.every((d) => !d.reported)).toBe(true);
  });

  it('refuses a malformed period before reading anything', async () => {
    await expect(snapshot({ period: '2026-13' }, localContext('snapshot'))).rejects.toThrow('period must be a month written YYYY-MM');
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('leaves a published month as it is: no lock, no read of the table, no write', async () => {
    const manifest = { files: [{ key: 'snapshots/period=2026-11/progress.json', contentType: 'application/json', bytes: 2, sha256: 'x' }] };
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'snapshots/period=2026-11/manifest.json' }] });
    s3.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from([Buffer.from(JSON.stringify(manifest))]) }));
    const result = await snapshot({ period: '2026-11' }, localContext('snapshot'));
    expect(result).toMatchObject({ outcome: 'already_published', files: [manifest.files[0], expect.objectContaining({ key: 'snapshots/period=2026-11/manifest.json' })] });
    expect(dynamo.calls()).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('rewrites a published month on a rebuild, logging the reason and who asked at warn level', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(GetCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const result = await snapshot({ period: '2026-11', rebuild: true, reason: 'the template changed', requestedBy: 'ops-wang' }, localContext('snapshot'));
    expect(result).toMatchObject({ outcome: 'written' });
    // A rebuild does not ask whether the month is published: it rewrites it.
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(0);
    expect(logged.find((l) => l.level === 'WARN')).toMatchObject({ message: 'rebuilding a published snapshot', reason: 'the template changed', requestedBy: 'ops-wang', period: '2026-11' });
  });

  it.each([
    { case: 'without a reason', event: { period: '2026-11', rebuild: true } },
    { case: 'with an empty reason', event: { period: '2026-11', rebuild: true, reason: '  ' } },
    { case: 'without naming the month', event: { rebuild: true, reason: 'the template changed' } },
  ])('refuses a rebuild $case before touching anything', async ({ event }) => {
    await expect(snapshot(event, localContext('snapshot'))).rejects.toThrow();
    expect(dynamo.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('the deadline check handler', () => {
  it.each([
    ['the 1st: nothing is due yet', '2026-12-01T09:00:00+08:00', false, { SnapshotMissing: 0, LateDepartments: 0 }],
    ['the 10th, nobody reported: every department is late, the snapshot is not due yet', '2026-12-10T09:00:00+08:00', false, { SnapshotMissing: 0, LateDepartments: 3 }],
    ['the 16th, no snapshot: it is missing', '2026-12-16T09:00:00+08:00', false, { SnapshotMissing: 1, LateDepartments: 3 }],
    ['the 16th, snapshot there', '2026-12-16T09:00:00+08:00', true, { SnapshotMissing: 0, LateDepartments: 3 }],
  ])('on %s', async (_, now, snapshotThere, expected) => {
    vi.setSystemTime(new Date(now));
    dynamo.on(GetCommand).resolves({});
    const manifest = 'snapshots/period=2026-11/manifest.json';
    s3.on(ListObjectsV2Command, { Bucket: 'snapshots', Prefix: manifest }).resolves({ Contents: snapshotThere ? [{ Key: manifest }] : [] });
    await deadlines({}, localContext('deadlines'));
    expect(emitted[0]).toMatchObject(expected);
  });
});
