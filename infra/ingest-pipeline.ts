import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { DELIVERY, ENV } from '../shared/config.js';
import { INCOMING_PREFIX, REPORTS_PREFIX } from '../shared/s3-keys.js';
import { allowServiceToUseKey, PipelineFunction, SecureQueue, type SecureBucket, type SecureTable } from './secure-defaults.js';
import { StackPart, uniqueIdWithoutParts } from './stack-part.js';

/**
 * An encrypted queue as a bucket's notification destination: S3 may send to it and use its key on behalf
 * of that bucket of this account only. (SqsDestination also gives S3 the key with no condition at all,
 * which any bucket's notifications could then use.)
 */
class QueueOfBucket implements s3.IBucketNotificationDestination {
  constructor(private readonly queue: SecureQueue) {}

  bind(_scope: Construct, bucket: s3.IBucketRef): s3.BucketNotificationDestinationConfig {
    const s3Service = 's3.amazonaws.com';
    const fromBucket = allowServiceToUseKey(this.queue.encryptionKey, s3Service, bucket.bucketRef.bucketArn);
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({ principals: [new iam.ServicePrincipal(s3Service)], actions: ['sqs:SendMessage'], resources: [this.queue.queueArn], conditions: fromBucket }),
    );
    return { arn: this.queue.queueArn, type: s3.BucketNotificationDestinationType.QUEUE, dependencies: [this.queue] };
  }
}

export interface IngestPipelineProps {
  /** Where clerks upload: objects created under `incoming/` are imported, reports go under `reports/`. */
  readonly uploadBucket: SecureBucket;
  readonly observationsTable: SecureTable;
  /** Powertools idempotency records: one per object version. */
  readonly idempotencyTable: SecureTable;
  /** Encrypts the ingest queue and its dead-letter queue. */
  readonly messagesKey: kms.IKey;
  readonly metricsNamespace: string;
  /** Ingest functions running at once, which bounds the write rate on the table. */
  readonly concurrency: number;
  /** @default 'department-metrics-ingest' */
  readonly serviceName?: string;
  /** How long one batch of workbooks may take. @default 60 seconds */
  readonly timeout?: Duration;
  /** Parsing a workbook is memory-bound; memory also buys CPU. @default 1024 MiB */
  readonly memorySize?: number;
  /** Messages one invocation takes, imported one workbook at a time. @default 5 */
  readonly batchSize?: number;
}

/**
 * S3 → SQS → Lambda: every object created under `incoming/` of the upload bucket is announced on an
 * encrypted queue; the ingest function takes the messages in batches, reports failed messages alone,
 * and a message that fails DELIVERY.maxReceiveCount receives goes to the dead-letter queue.
 */
export class IngestPipeline extends StackPart {
  readonly queue: SecureQueue;
  readonly deadLetterQueue: SecureQueue;
  readonly function: PipelineFunction;

  constructor(scope: Construct, id: string, props: IngestPipelineProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(60);

    this.deadLetterQueue = new SecureQueue(this, 'IngestDeadLetterQueue', { encryptionKey: props.messagesKey });
    this.queue = new SecureQueue(this, 'IngestQueue', {
      encryptionKey: props.messagesKey,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: DELIVERY.maxReceiveCount },
      // Six times the function timeout, as Lambda advises, so a message is never received twice at once.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
    });
    // Reports are written to the same bucket: only `incoming/` may trigger an import. No suffix filter, so a
    // file that is not a workbook still gets a report saying so.
    props.uploadBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new QueueOfBucket(this.queue), { prefix: INCOMING_PREFIX });
    // The notifications' custom resource is one per stack, outside this part.
    Validations.of(Stack.of(this)).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "Only CDK's own bucket-notifications custom resource uses this managed policy, to write its logs during deployment.",
    });

    this.function = new PipelineFunction(this, 'Ingest', {
      entry: 'functions/ingest/handler.ts',
      description: 'Validates an uploaded workbook, records its figures and writes its import report',
      serviceName: props.serviceName ?? 'department-metrics-ingest',
      metricsNamespace: props.metricsNamespace,
      memorySize: props.memorySize ?? 1024,
      timeout,
      reservedConcurrentExecutions: props.concurrency,
    });
    this.function.useTable(props.observationsTable, { access: 'readWrite', envVar: ENV.observationsTable });
    this.function.useTable(props.idempotencyTable, { access: 'idempotency', envVar: ENV.idempotencyTable });
    // The bucket comes with each S3 event, so the ingest function needs no variable for it.
    this.function.useBucket(props.uploadBucket, { read: INCOMING_PREFIX, write: REPORTS_PREFIX });
    // What SqsEventSource does, under the id it gives the mapping when the queue has no part: Lambda allows one
    // mapping of a queue to a function, so a mapping under a new logical id could not be created beside the deployed one.
    this.function.function.addEventSourceMapping(`SqsEventSource:${uniqueIdWithoutParts(this.queue)}`, {
      eventSourceArn: this.queue.queueArn,
      batchSize: props.batchSize ?? 5,
      reportBatchItemFailures: true,
      // Polling no faster than the reserved concurrency: a throttled receive would count towards the dead-letter limit.
      maxConcurrency: props.concurrency,
    });
    this.queue.grantConsumeMessages(this.function.function);
  }
}
