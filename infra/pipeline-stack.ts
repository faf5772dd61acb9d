import { CfnOutput, CfnParameter, Duration, Stack, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Schedule, ScheduleExpression, ScheduleTargetInput, type CronOptionsWithTimezone } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { OBSERVATION_TABLE_KEY } from '../shared/aws/observation-table.js';
import { DELIVERY, ENV } from '../shared/config.js';
import { METRIC } from '../shared/observability/metrics.js';
import { INCOMING_PREFIX, REPORTS_PREFIX, SNAPSHOTS_PREFIX } from '../shared/s3-keys.js';
import { SnapshotAnalytics } from './analytics.js';
import { allowListing, allowObjects, PipelineFunction, SecureBucket, SecureQueue, SecureTable, type KeyPrefix } from './secure-defaults.js';
import type { StackConfig } from './stack-config.js';

export interface DepartmentMetricsStackProps extends StackProps {
  readonly config: StackConfig;
}

const INGEST_TIMEOUT = Duration.seconds(60);
/** The service names the functions log and emit metrics under. */
export const SERVICE = {
  ingest: 'department-metrics-ingest',
  snapshot: 'department-metrics-snapshot',
  deadlines: 'department-metrics-deadlines',
} as const;

/**
 * Clerks' workbooks land under `incoming/<department>/` of the upload bucket; S3 announces each on the
 * ingest queue, and the ingest function validates it into the observations table and answers with a
 * report under `reports/<department>/`. On the 1st of each month the snapshot function consolidates the
 * table into the snapshot bucket; a daily check raises an alarm when a snapshot or a department is late.
 */
export class DepartmentMetricsStack extends Stack {
  readonly dataKey: kms.Key;
  readonly messagesKey: kms.Key;
  readonly uploadBucket: SecureBucket;
  readonly snapshotBucket: SecureBucket;
  readonly accessLogsBucket: SecureBucket;
  readonly observationsTable: SecureTable;
  readonly idempotencyTable: SecureTable;
  readonly ingestQueue: SecureQueue;
  readonly ingestDeadLetterQueue: SecureQueue;
  readonly scheduleDeadLetterQueue: SecureQueue;
  readonly snapshotDeadLetterQueue: SecureQueue;
  readonly ingest: PipelineFunction;
  readonly snapshot: PipelineFunction;
  readonly deadlines: PipelineFunction;
  readonly alarmTopic: sns.Topic;
  readonly departmentRoles: ReadonlyMap<string, iam.Role>;
  readonly analytics: SnapshotAnalytics;
  readonly alarms: Record<
    'ingestDeadLetters' | 'snapshotDeadLetters' | 'scheduleDeadLetters' | 'snapshotMissing' | 'lateDepartments',
    cloudwatch.Alarm
  > & { functionErrors: Record<keyof typeof SERVICE, cloudwatch.Alarm> };

  constructor(scope: Construct, id: string, props: DepartmentMetricsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const metricsNamespace = `DepartmentMetrics/${config.envName}`;

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: `Encrypts the department metrics data of ${config.envName}: objects and items`,
      enableKeyRotation: true,
    });
    // A second key for queues and the alarm topic: S3 and CloudWatch get to use it, never the data key.
    this.messagesKey = new kms.Key(this, 'MessagesKey', {
      description: `Encrypts the department metrics queues and alarm topic of ${config.envName}`,
      enableKeyRotation: true,
    });

    // Who read or wrote which object is part of the record; the log bucket itself is not logged, which would loop.
    this.accessLogsBucket = new SecureBucket(this, 'AccessLogsBucket', { noncurrentVersions: { expireAfter: Duration.days(90) } });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "The access logs bucket receives the other buckets' logs; logging it into itself would loop.",
    });
    this.uploadBucket = new SecureBucket(this, 'UploadBucket', {
      encryptionKey: this.dataKey,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'upload/',
      // Replaced uploads stay the lineage of the figures they produced: archived, never deleted.
      noncurrentVersions: { archiveAfter: Duration.days(90) },
    });
    this.snapshotBucket = new SecureBucket(this, 'SnapshotBucket', {
      encryptionKey: this.dataKey,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'snapshot/',
      // A snapshot can be rebuilt from the table at any time; old renderings need not be kept long.
      noncurrentVersions: { expireAfter: Duration.days(365) },
    });
    this.observationsTable = new SecureTable(this, 'ObservationsTable', { ...OBSERVATION_TABLE_KEY, encryptionKey: this.dataKey });
    // Powertools' default layout: one item per object version, gone a day after its import.
    this.idempotencyTable = new SecureTable(this, 'IdempotencyTable', {
      partitionKey: 'id',
      encryptionKey: this.dataKey,
      timeToLiveAttribute: 'expiration',
    });

    this.ingestDeadLetterQueue = new SecureQueue(this, 'IngestDeadLetterQueue', { encryptionKey: this.messagesKey });
    this.ingestQueue = new SecureQueue(this, 'IngestQueue', {
      encryptionKey: this.messagesKey,
      deadLetterQueue: { queue: this.ingestDeadLetterQueue, maxReceiveCount: DELIVERY.maxReceiveCount },
      // Six times the function timeout, as Lambda advises, so a message is never received twice at once.
      visibilityTimeout: Duration.seconds(INGEST_TIMEOUT.toSeconds() * 6),
    });
    // Reports are written to the same bucket: only `incoming/` may trigger an import. No suffix filter, so a
    // file that is not a workbook still gets a report saying so. SqsDestination also lets S3 use the key.
    this.uploadBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.ingestQueue), {
      prefix: INCOMING_PREFIX,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "Only CDK's own bucket-notifications custom resource uses this managed policy, to write its logs during deployment.",
    });

    this.ingest = new PipelineFunction(this, 'Ingest', {
      entry: 'functions/ingest/handler.ts',
      description: 'Validates an uploaded workbook, records its figures and writes its import report',
      serviceName: SERVICE.ingest,
      metricsNamespace,
      // Parsing a workbook is memory-bound; memory also buys CPU.
      memorySize: 1024,
      timeout: INGEST_TIMEOUT,
      reservedConcurrentExecutions: config.ingestConcurrency,
    });
    this.ingest.useTable(this.observationsTable, { access: 'readWrite', envVar: ENV.observationsTable });
    this.ingest.useTable(this.idempotencyTable, { access: 'idempotency', envVar: ENV.idempotencyTable });
    // The bucket comes with each S3 event, so the ingest function needs no variable for it.
    this.ingest.useBucket(this.uploadBucket, { read: INCOMING_PREFIX, write: REPORTS_PREFIX });
    this.ingest.function.addEventSource(
      new SqsEventSource(this.ingestQueue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        // Polling no faster than the reserved concurrency: a throttled receive would count towards the dead-letter limit.
        maxConcurrency: config.ingestConcurrency,
      }),
    );

    this.snapshotDeadLetterQueue = new SecureQueue(this, 'SnapshotDeadLetterQueue', { encryptionKey: this.messagesKey });
    this.snapshot = new PipelineFunction(this, 'Snapshot', {
      entry: 'functions/snapshot/handler.ts',
      description: 'Writes the monthly consolidated progress snapshot',
      serviceName: SERVICE.snapshot,
      metricsNamespace,
      timeout: Duration.minutes(5),
      deadLetterQueue: this.snapshotDeadLetterQueue,
    });
    this.snapshot.useTable(this.observationsTable, { access: 'read', envVar: ENV.observationsTable });
    this.snapshot.useBucket(this.snapshotBucket, { write: SNAPSHOTS_PREFIX, envVar: ENV.snapshotBucket });
    this.snapshot.function.addEnvironment(ENV.dueDay, String(config.dueDay));

    this.deadlines = new PipelineFunction(this, 'Deadlines', {
      entry: 'functions/deadlines/handler.ts',
      description: "Checks daily that last month's snapshot exists and every department has reported by the due day",
      serviceName: SERVICE.deadlines,
      metricsNamespace,
      deadLetterQueue: this.snapshotDeadLetterQueue,
    });
    this.deadlines.useTable(this.observationsTable, { access: 'read', envVar: ENV.observationsTable });
    // HeadObject is authorized as GetObject.
    this.deadlines.useBucket(this.snapshotBucket, { read: SNAPSHOTS_PREFIX, envVar: ENV.snapshotBucket });
    this.deadlines.function.addEnvironment(ENV.dueDay, String(config.dueDay));

    this.scheduleDeadLetterQueue = new SecureQueue(this, 'ScheduleDeadLetterQueue', { encryptionKey: this.messagesKey });
    const schedules: [string, PipelineFunction, Omit<CronOptionsWithTimezone, 'timeZone'>, string][] = [
      ['MonthlySnapshot', this.snapshot, { minute: '0', hour: '2', day: '1' }, 'Monthly progress snapshot, 02:00 on the 1st'],
      ['DailyDeadlineCheck', this.deadlines, { minute: '0', hour: '9' }, 'Daily check of the snapshot and reporting deadlines, 09:00'],
    ];
    for (const [scheduleId, fn, cron, description] of schedules) {
      new Schedule(this, scheduleId, {
        description: `${description} in the district time zone`,
        schedule: ScheduleExpression.cron({ ...cron, timeZone: TimeZone.ASIA_SHANGHAI }),
        target: new LambdaInvoke(fn.function, {
          role: this.scheduleRole(scheduleId, fn),
          input: ScheduleTargetInput.fromObject({}),
          retryAttempts: 5,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: this.scheduleDeadLetterQueue,
        }),
      });
    }

    this.departmentRoles = new Map(config.departments.map((department) => [department, this.departmentRole(department)]));
    this.analytics = new SnapshotAnalytics(this, 'Analytics', {
      snapshotBucket: this.snapshotBucket,
      accessLogsBucket: this.accessLogsBucket,
      resultsKey: this.dataKey,
      // Glue database names are account-wide: one per environment.
      databaseName: `department_metrics_${config.envName.replace(/-/g, '_')}`,
    });

    const alarmEmail = new CfnParameter(this, 'AlarmEmail', {
      type: 'String',
      description: 'Where alarms are e-mailed; the address must confirm the subscription',
      allowedPattern: '^[^@\\s]+@[^@\\s]+$',
      default: config.alarmEmail,
    });
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { masterKey: this.messagesKey, enforceSSL: true });
    this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(alarmEmail.valueAsString));
    // CloudWatch publishes the alarms, so it must be able to use the topic's key.
    this.messagesKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');

    const dailyCheck = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: metricsNamespace,
        metricName,
        dimensionsMap: { service: SERVICE.deadlines },
        statistic: 'Maximum',
        period: Duration.days(1),
      });
    const { BREACHING, NOT_BREACHING } = cloudwatch.TreatMissingData;
    this.alarms = {
      ingestDeadLetters: this.queueAlarm(
        'IngestDeadLettersAlarm',
        this.ingestDeadLetterQueue,
        'An upload failed every delivery: fix the cause, then replay the ingest dead-letter queue',
      ),
      snapshotDeadLetters: this.queueAlarm(
        'SnapshotDeadLettersAlarm',
        this.snapshotDeadLetterQueue,
        'A snapshot or deadline check failed all its retries',
      ),
      scheduleDeadLetters: this.queueAlarm('ScheduleDeadLettersAlarm', this.scheduleDeadLetterQueue, 'The scheduler could not invoke a function'),
      // Emitted every day by the check: a day without it means the check itself did not run.
      snapshotMissing: this.alarm(
        'SnapshotMissingAlarm',
        dailyCheck(METRIC.snapshotMissing),
        BREACHING,
        "Last month's snapshot was not written by the 2nd",
      ),
      lateDepartments: this.alarm(
        'LateDepartmentsAlarm',
        dailyCheck(METRIC.lateDepartments),
        NOT_BREACHING,
        'A department has not reported last month by the due day',
      ),
      functionErrors: {
        ingest: this.functionErrorsAlarm('IngestErrorsAlarm', this.ingest, 'A whole batch of uploads failed'),
        snapshot: this.functionErrorsAlarm('SnapshotErrorsAlarm', this.snapshot, 'The snapshot function failed'),
        deadlines: this.functionErrorsAlarm('DeadlinesErrorsAlarm', this.deadlines, 'The daily deadline check failed'),
      },
    };

    new CfnOutput(this, 'UploadBucketName', { value: this.uploadBucket.bucketName });
    new CfnOutput(this, 'SnapshotBucketName', { value: this.snapshotBucket.bucketName });
    new CfnOutput(this, 'ObservationsTableName', { value: this.observationsTable.tableName });
    new CfnOutput(this, 'IngestQueueUrl', { value: this.ingestQueue.queueUrl });
    new CfnOutput(this, 'IngestDeadLetterQueueArn', { value: this.ingestDeadLetterQueue.queueArn });
    new CfnOutput(this, 'IngestFunctionName', { value: this.ingest.function.functionName });
    new CfnOutput(this, 'SnapshotFunctionName', { value: this.snapshot.function.functionName });
    new CfnOutput(this, 'BiRoleArn', { value: this.analytics.biRole.roleArn });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.analytics.workGroup.ref });
    new CfnOutput(this, 'GlueDatabase', { value: this.analytics.database.ref });
    for (const [department, role] of this.departmentRoles) {
      new CfnOutput(this, `UploadRoleArn-${department}`, { value: role.roleArn, description: `Upload role of ${department}` });
    }
  }

  /** A clerk's role: put workbooks into the department's own folder, read its own reports, nothing else. */
  private departmentRole(department: string): iam.Role {
    const role = new iam.Role(this, `UploadRole-${department}`, {
      // Whoever in the account is allowed to assume it (through IAM Identity Center, typically).
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Uploads ${department} workbooks and reads their import reports`,
    });
    const incoming: KeyPrefix = `${INCOMING_PREFIX}${department}/`;
    const reports: KeyPrefix = `${REPORTS_PREFIX}${department}/`;
    allowObjects(role, this.uploadBucket, incoming, ['s3:PutObject']);
    allowObjects(role, this.uploadBucket, reports, ['s3:GetObject']);
    allowListing(role, this.uploadBucket, reports);
    return role;
  }

  /** The scheduler's role for one schedule: invoke that function, and dead-letter what it could not deliver. */
  private scheduleRole(scheduleId: string, fn: PipelineFunction): iam.Role {
    const role = new iam.Role(this, `${scheduleId}Role`, { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    // The dead-letter queue is encrypted; LambdaInvoke grants the SendMessage, not the key.
    this.messagesKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    const functionId: unknown = this.resolve(this.getLogicalId(fn.function.node.defaultChild as CfnFunction));
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${String(functionId)}.Arn>:*]`,
      reason: 'The scheduler target grant covers the versions and aliases of this one function.',
    });
    return role;
  }

  /** ListBucket limited to one prefix, so a reader sees the names of its own objects only. */

  private alarm(id: string, metric: cloudwatch.IMetric, treatMissingData: cloudwatch.TreatMissingData, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    return alarm;
  }

  private queueAlarm(id: string, queue: SecureQueue, description: string): cloudwatch.Alarm {
    return this.alarm(
      id,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      cloudwatch.TreatMissingData.NOT_BREACHING,
      description,
    );
  }

  private functionErrorsAlarm(id: string, fn: PipelineFunction, description: string): cloudwatch.Alarm {
    return this.alarm(
      id,
      fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      cloudwatch.TreatMissingData.NOT_BREACHING,
      description,
    );
  }
}
