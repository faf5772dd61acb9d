import { Duration, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { parquetFolder, PERIOD_PARTITION, SNAPSHOTS_PREFIX } from '../shared/s3-keys.js';
import { COMPLETENESS_DATASET, PROGRESS_DATASET, RESTATEMENTS_DATASET, type ColumnType, type Dataset } from '../shared/snapshot/columns.js';
import { allowListing, allowObjects, assumableBy, SecureBucket, type RoleTrust } from './secure-defaults.js';

/** Hive/Athena types of the documented column types (docs/snapshot-schema.md). */
const GLUE_TYPES: Record<ColumnType, string> = {
  text: 'string',
  month: 'string',
  decimal: 'double',
  integer: 'int',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};

/** The partition column: Athena refuses a table whose data columns repeat a partition key. */
const PARTITION_KEY = PERIOD_PARTITION;
const RESULTS_PREFIX = 'athena/';
const DATASETS = [PROGRESS_DATASET, COMPLETENESS_DATASET, RESTATEMENTS_DATASET] as Dataset<unknown>[];

export interface SnapshotAnalyticsProps {
  /** The bucket the snapshot function writes `snapshots/period=YYYY-MM/` to; the tables and the BI role read under `snapshots/` only, not the `latest/` copy. */
  readonly snapshotBucket: s3.Bucket;
  /** Where the results bucket logs its access: the stack's access logs bucket. */
  readonly accessLogsBucket: s3.IBucket;
  /** Encrypts query results; a key of its own when absent. */
  readonly resultsKey?: kms.IKey;
  /** The first month partition projection offers; later months appear as the calendar reaches them. */
  readonly firstPeriod?: string;
  /** Glue database name: lower-case letters, digits and underscores. */
  readonly databaseName?: string;
  /** Who may assume the BI role: a principal, the tag its callers carry and, for a tool in another account, an external id. */
  readonly biTrust: RoleTrust;
}

/**
 * Makes the snapshot bucket queryable where it lands: a Glue database with one table per Parquet
 * dataset, partitioned by month through partition projection (so new months need no crawler and no
 * MSCK REPAIR), an Athena workgroup writing encrypted results to a bucket of its own, and a role BI
 * tools assume that can read the snapshots and run queries, nothing else.
 */
export class SnapshotAnalytics extends Construct {
  readonly database: glue.CfnDatabase;
  readonly tables: glue.CfnTable[];
  readonly resultsBucket: SecureBucket;
  readonly resultsKey: kms.IKey;
  readonly workGroup: athena.CfnWorkGroup;
  readonly biRole: iam.Role;

  constructor(scope: Construct, id: string, props: SnapshotAnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const databaseName = props.databaseName ?? 'department_metrics';

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: databaseName, description: 'Monthly progress snapshots of the department metrics pipeline' },
    });
    this.tables = DATASETS.map((dataset) => this.table(dataset, databaseName, props.snapshotBucket, props.firstPeriod ?? '2026-01'));

    this.resultsKey = props.resultsKey ?? new kms.Key(this, 'ResultsKey', { enableKeyRotation: true, description: 'Athena query results' });
    this.resultsBucket = new SecureBucket(this, 'ResultsBucket', {
      encryptionKey: this.resultsKey,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      noncurrentVersions: { expireAfter: Duration.days(1) },
    });
    // Results are a cache of the snapshots: a month is plenty to download them again.
    this.resultsBucket.addLifecycleRule({ prefix: RESULTS_PREFIX, expiration: Duration.days(30) });

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${databaseName}_bi`,
      description: 'BI queries over the monthly progress snapshots',
      state: 'ENABLED',
      workGroupConfiguration: {
        // Clients cannot send results elsewhere or unencrypted.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        // A month is a few kilobytes; a query reading a gigabyte is a mistake.
        bytesScannedCutoffPerQuery: 1024 ** 3,
        resultConfiguration: {
          outputLocation: this.resultsBucket.s3UrlForObject(RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.resultsKey.keyArn },
        },
      },
    });

    this.biRole = new iam.Role(this, 'BiRole', {
      assumedBy: assumableBy(props.biTrust),
      description: 'Read-only access for BI tools: query the snapshot tables through the Athena workgroup',
      maxSessionDuration: Duration.hours(12),
    });
    this.biRole.addToPolicy(
      new iam.PolicyStatement({
        // The JDBC and ODBC drivers (Tableau, Power BI, DBeaver) fetch results through GetQueryResultsStream.
        actions: [
          'athena:StartQueryExecution',
          'athena:StopQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:GetQueryResultsStream',
          'athena:GetWorkGroup',
          'athena:ListQueryExecutions',
        ],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroup.name })],
      }),
    );
    this.biRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: databaseName }),
          ...DATASETS.map((dataset) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseName}/${dataset.name}` })),
        ],
      }),
    );
    allowObjects(this.biRole, props.snapshotBucket, SNAPSHOTS_PREFIX, ['s3:GetObject']);
    // Athena lists a partition's folder and writes results with the caller's own permissions.
    allowObjects(this.biRole, this.resultsBucket, RESULTS_PREFIX, ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']);
    for (const [bucket, prefix] of [[props.snapshotBucket, SNAPSHOTS_PREFIX], [this.resultsBucket, RESULTS_PREFIX]] as const) {
      this.biRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }));
      allowListing(this.biRole, bucket, prefix);
    }
  }


  private table(dataset: Dataset<unknown>, databaseName: string, bucket: s3.IBucket, firstPeriod: string): glue.CfnTable {
    const table = new glue.CfnTable(this, dataset.name, {
      catalogId: Stack.of(this).account,
      databaseName,
      tableInput: {
        name: dataset.name,
        description: `${dataset.name} of the monthly snapshots, one partition per month`,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: PARTITION_KEY, type: 'string', comment: 'reporting month, YYYY-MM' }],
        parameters: {
          classification: 'parquet',
          'parquet.compression': 'SNAPPY',
          'projection.enabled': 'true',
          'projection.period.type': 'date',
          'projection.period.format': 'yyyy-MM',
          'projection.period.range': `${firstPeriod},NOW`,
          'projection.period.interval': '1',
          'projection.period.interval.unit': 'MONTHS',
          'storage.location.template': `s3://${bucket.bucketName}/${SNAPSHOTS_PREFIX}${PARTITION_KEY}=\${${PARTITION_KEY}}/${parquetFolder(dataset.name)}`,
        },
        storageDescriptor: {
          location: `s3://${bucket.bucketName}/${SNAPSHOTS_PREFIX}`,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          columns: dataset.columns
            .filter((column) => column.name !== PARTITION_KEY)
            .map((column) => ({ name: column.name, type: GLUE_TYPES[column.type], comment: column.description })),
        },
      },
    });
    table.addResourceDependency(this.database);
    return table;
  }
}
