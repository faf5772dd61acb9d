import { CfnOutput, Duration, Stack, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { OBSERVATION_TABLE_KEY } from '../shared/aws/observation-table.js';
import { Alarms } from './alarms.js';
import { SnapshotAnalytics } from './analytics.js';
import { DeadlineWatch } from './deadline-watch.js';
import { DepartmentAccess } from './department-access.js';
import { IngestPipeline } from './ingest-pipeline.js';
import { MonthlySnapshot } from './monthly-snapshot.js';
import { Notifications } from './notifications.js';
import { Portal } from './portal.js';
import { SecureBucket, SecureTable, type PipelineFunction } from './secure-defaults.js';
import { logicalIdWithoutParts } from './stack-part.js';
import type { StackConfig } from './stack-config.js';

/** The principal a configured account id or IAM ARN names; none, when the setting is absent. */
function principalOf(accountOrArn: string | undefined): iam.IPrincipal | undefined {
  if (accountOrArn === undefined) return undefined;
  return /^\d{12}$/.test(accountOrArn) ? new iam.AccountPrincipal(accountOrArn) : new iam.ArnPrincipal(accountOrArn);
}

export interface DepartmentMetricsStackProps extends StackProps {
  readonly config: StackConfig;
}

/**
 * Clerks' workbooks land under `incoming/<department>/` of the upload bucket; S3 announces each on the
 * ingest queue, and the ingest function validates it into the observations table and answers with a
 * report under `reports/<department>/`. On the 1st of each month the snapshot function consolidates the
 * table into the snapshot bucket; a daily check raises an alarm when a snapshot or a department is late.
 *
 * The portal (a page and its API behind CloudFront, users in a Cognito user pool) lets clerks upload the
 * same workbooks through a browser and everyone read what they may.
 *
 * The stack holds the keys, buckets and tables; its named parts (IngestPipeline, MonthlySnapshot,
 * DeadlineWatch, DepartmentAccess, Portal, Alarms, SnapshotAnalytics) hold what works on them.
 */
export class DepartmentMetricsStack extends Stack {
  readonly dataKey: kms.Key;
  readonly messagesKey: kms.Key;
  readonly uploadBucket: SecureBucket;
  readonly snapshotBucket: SecureBucket;
  readonly accessLogsBucket: SecureBucket;
  readonly observationsTable: SecureTable;
  readonly idempotencyTable: SecureTable;
  readonly ingestPipeline: IngestPipeline;
  readonly monthlySnapshot: MonthlySnapshot;
  readonly deadlineWatch: DeadlineWatch;
  readonly departmentAccess: DepartmentAccess;
  readonly portal: Portal;
  readonly analytics: SnapshotAnalytics;
  readonly notifications: Notifications;
  readonly alarms: Alarms;
  /** Every function of the stack, by the name the README and the alarms use. */
  readonly functions: Record<'ingest' | 'snapshot' | 'deadlines' | 'api' | 'notify' | 'remind', PipelineFunction>;

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

    this.ingestPipeline = new IngestPipeline(this, 'IngestPipeline', {
      uploadBucket: this.uploadBucket,
      observationsTable: this.observationsTable,
      idempotencyTable: this.idempotencyTable,
      messagesKey: this.messagesKey,
      metricsNamespace,
      concurrency: config.ingestConcurrency,
    });
    const reads = { observationsTable: this.observationsTable, snapshotBucket: this.snapshotBucket, metricsNamespace, dueDay: config.dueDay };
    this.monthlySnapshot = new MonthlySnapshot(this, 'MonthlySnapshot', { ...reads, messagesKey: this.messagesKey });
    this.deadlineWatch = new DeadlineWatch(this, 'DeadlineWatch', {
      ...reads,
      // One dead-letter queue of each kind for both scheduled functions, watched by one alarm each.
      deadLetterQueue: this.monthlySnapshot.deadLetterQueue,
      scheduleDeadLetterQueue: this.monthlySnapshot.scheduleDeadLetterQueue,
    });

    this.departmentAccess = new DepartmentAccess(this, 'DepartmentAccess', {
      departments: config.departments,
      uploadBucket: this.uploadBucket,
      principal: principalOf(config.uploadPrincipal),
      departmentTagKey: config.departmentTag,
    });
    this.portal = new Portal(this, 'Portal', {
      departments: config.departments,
      observationsTable: this.observationsTable,
      uploadBucket: this.uploadBucket,
      snapshotBucket: this.snapshotBucket,
      accessLogsBucket: this.accessLogsBucket,
      metricsNamespace,
      dueDay: config.dueDay,
      domainPrefix: config.portalDomainPrefix,
      maxUploadMb: config.portalMaxUploadMb,
    });
    this.notifications = new Notifications(this, 'Notifications', {
      ...reads,
      uploadBucket: this.uploadBucket,
      messagesKey: this.messagesKey,
      dataKey: this.dataKey,
      portalUrl: this.portal.url,
      deadLetterQueue: this.monthlySnapshot.deadLetterQueue,
      scheduleDeadLetterQueue: this.monthlySnapshot.scheduleDeadLetterQueue,
      senderAddress: config.noticeSender,
      reminderDays: config.reminderDays,
    });
    // Receipts and the submitted notice from the ingest, returns and approvals from the API, the monthly report from the snapshot.
    for (const fn of [this.ingestPipeline.function, this.portal.function, this.monthlySnapshot.function]) this.notifications.allowRequests(fn);
    this.functions = {
      ingest: this.ingestPipeline.function,
      snapshot: this.monthlySnapshot.function,
      deadlines: this.deadlineWatch.function,
      api: this.portal.function,
      notify: this.notifications.notifier,
      remind: this.notifications.remind,
    };
    this.analytics = new SnapshotAnalytics(this, 'Analytics', {
      snapshotBucket: this.snapshotBucket,
      accessLogsBucket: this.accessLogsBucket,
      resultsKey: this.dataKey,
      // Glue database names are account-wide: one per environment.
      databaseName: `department_metrics_${config.envName.replace(/-/g, '_')}`,
      biTrust: {
        principal: principalOf(config.biPrincipal),
        principalTag: { key: config.biTagKey, value: config.biTagValue },
        externalId: config.biExternalId,
      },
    });
    this.alarms = new Alarms(this, 'Alarms', {
      messagesKey: this.messagesKey,
      alarmEmail: config.alarmEmail,
      metricsNamespace,
      deadLetterQueues: {
        ingest: this.ingestPipeline.deadLetterQueue,
        snapshot: this.monthlySnapshot.deadLetterQueue,
        schedule: this.monthlySnapshot.scheduleDeadLetterQueue,
        notify: this.notifications.deadLetterQueue,
      },
      noticeFeedback: this.notifications.feedbackTopic,
      functions: this.functions,
    });

    new CfnOutput(this, 'UploadBucketName', { value: this.uploadBucket.bucketName });
    new CfnOutput(this, 'SnapshotBucketName', { value: this.snapshotBucket.bucketName });
    new CfnOutput(this, 'ObservationsTableName', { value: this.observationsTable.tableName });
    new CfnOutput(this, 'IngestQueueUrl', { value: this.ingestPipeline.queue.queueUrl });
    new CfnOutput(this, 'IngestDeadLetterQueueArn', { value: this.ingestPipeline.deadLetterQueue.queueArn });
    new CfnOutput(this, 'IngestFunctionName', { value: this.functions.ingest.function.functionName });
    new CfnOutput(this, 'SnapshotFunctionName', { value: this.functions.snapshot.function.functionName });
    new CfnOutput(this, 'BiRoleArn', { value: this.analytics.biRole.roleArn });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.analytics.workGroup.ref });
    new CfnOutput(this, 'GlueDatabase', { value: this.analytics.database.ref });
    new CfnOutput(this, 'PortalUrl', { value: this.portal.url });
    new CfnOutput(this, 'NoticeDeadLetterQueueArn', { value: this.notifications.deadLetterQueue.queueArn });
    new CfnOutput(this, 'ContactsSecretArn', { value: this.notifications.contacts.secretArn, description: 'Put the contacts document here (README, Notices on AWS)' });
    new CfnOutput(this, 'UserPoolId', { value: this.portal.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.portal.client.userPoolClientId });
    new CfnOutput(this, 'ApiEndpoint', { value: this.portal.api.apiEndpoint, description: 'The HTTP API itself; the page calls it through the distribution, under /api/' });
    new CfnOutput(this, 'SignInDomain', { value: this.portal.signInDomain.baseUrl() });
    for (const [department, role] of this.departmentAccess.roles) {
      new CfnOutput(this, `UploadRoleArn-${department}`, { value: role.roleArn, description: `Upload role of ${department}` });
    }
  }

  /** Deployed resources keep their logical ids whichever named part holds them (see StackPart). */
  protected override allocateLogicalId(element: CfnElement): string {
    return logicalIdWithoutParts(this, element);
  }
}
