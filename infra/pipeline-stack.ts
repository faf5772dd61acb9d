import { CfnOutput, Duration, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { OBSERVATION_TABLE_KEY } from '../shared/aws/observation-table.js';
import { ENV } from '../shared/config.js';
import { INCOMING_PREFIX, REPORTS_PREFIX } from '../shared/ingest/upload.js';
import { SNAPSHOTS_PREFIX } from '../shared/snapshot/make-snapshot.js';
import { PipelineFunction, SecureBucket, SecureTable } from './secure-defaults.js';

/**
 * Clerks' workbooks land under `incoming/` of the upload bucket; the ingest function validates them into
 * the observations table and answers with a report under `reports/`. On the 1st of each month the snapshot
 * function consolidates the table into the snapshot bucket.
 */
export class DepartmentMetricsStack extends Stack {
  readonly uploadBucket: SecureBucket;
  readonly snapshotBucket: SecureBucket;
  readonly accessLogsBucket: SecureBucket;
  readonly observationsTable: SecureTable;
  readonly ingest: PipelineFunction;
  readonly snapshot: PipelineFunction;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Who read or wrote which object is part of the record; the log bucket itself is not logged, which would loop.
    this.accessLogsBucket = new SecureBucket(this, 'AccessLogsBucket');
    this.uploadBucket = new SecureBucket(this, 'UploadBucket', {
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'upload/',
    });
    this.snapshotBucket = new SecureBucket(this, 'SnapshotBucket', {
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'snapshot/',
    });
    this.observationsTable = new SecureTable(this, 'ObservationsTable', OBSERVATION_TABLE_KEY);

    this.ingest = new PipelineFunction(this, 'Ingest', {
      entry: 'functions/ingest/handler.ts',
      description: 'Validates an uploaded workbook, records its figures and writes its import report',
      serviceName: 'department-metrics-ingest',
      // Parsing a workbook is memory-bound; memory also buys CPU.
      memorySize: 1024,
      timeout: Duration.seconds(60),
    });
    this.ingest.useTable(this.observationsTable, { access: 'readWrite', envVar: ENV.observationsTable });
    // The bucket comes with each S3 event, so the ingest function needs no variable for it.
    this.ingest.useBucket(this.uploadBucket, { read: INCOMING_PREFIX, write: REPORTS_PREFIX });
    // Reports are written to the same bucket: only `incoming/` may trigger an import. No suffix filter, so a
    // file that is not a workbook still gets a report saying so.
    this.uploadBucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.LambdaDestination(this.ingest.function),
      { prefix: INCOMING_PREFIX },
    );

    this.snapshot = new PipelineFunction(this, 'Snapshot', {
      entry: 'functions/snapshot/handler.ts',
      description: 'Writes the monthly consolidated progress snapshot',
      serviceName: 'department-metrics-snapshot',
      timeout: Duration.minutes(5),
    });
    this.snapshot.useTable(this.observationsTable, { access: 'read', envVar: ENV.observationsTable });
    this.snapshot.useBucket(this.snapshotBucket, { write: SNAPSHOTS_PREFIX, envVar: ENV.snapshotBucket });
    new Schedule(this, 'MonthlySnapshot', {
      description: 'Monthly progress snapshot, 02:00 on the 1st in the district time zone',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '2', day: '1', timeZone: TimeZone.ASIA_SHANGHAI }),
      target: new LambdaInvoke(this.snapshot.function, { input: ScheduleTargetInput.fromObject({}) }),
    });

    new CfnOutput(this, 'UploadBucketName', { value: this.uploadBucket.bucketName });
    new CfnOutput(this, 'SnapshotBucketName', { value: this.snapshotBucket.bucketName });
    new CfnOutput(this, 'ObservationsTableName', { value: this.observationsTable.tableName });
    new CfnOutput(this, 'IngestFunctionName', { value: this.ingest.function.functionName });
    new CfnOutput(this, 'SnapshotFunctionName', { value: this.snapshot.function.functionName });
  }
}
