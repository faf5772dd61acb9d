import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { SnapshotAnalytics } from '../../infra/analytics.js';
import { SecureBucket } from '../../infra/secure-defaults.js';
import { COMPLETENESS_COLUMNS, PROGRESS_COLUMNS, RESTATEMENT_COLUMNS } from '../../shared/snapshot/index.js';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

// The feature flags `cdk synth` applies, so the template under test is the one that gets deployed.
const { context } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

let stack: Stack;
let template: Template;
let analytics: SnapshotAnalytics;
let snapshotBucket: SecureBucket;

/** Analysts are tagged team=bi in the stack's own account. */
const biTrust = { principalTag: { key: 'team', value: 'bi' } };

beforeAll(() => {
  stack = new Stack(new App({ context }), 'Test', { env: { account: '111122223333', region: 'ap-southeast-1' } });
  const dataKey = new kms.Key(stack, 'DataKey');
  const accessLogsBucket = new SecureBucket(stack, 'AccessLogsBucket', { noncurrentVersions: {} });
  snapshotBucket = new SecureBucket(stack, 'SnapshotBucket', { encryptionKey: dataKey, noncurrentVersions: {}, serverAccessLogsBucket: accessLogsBucket });
  analytics = new SnapshotAnalytics(stack, 'Analytics', { snapshotBucket, accessLogsBucket, biTrust });
  template = Template.fromStack(stack);
});

const ref = (token: unknown): unknown => stack.resolve(token);
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function biStatements(): Statement[] {
  const roleRef = ref(analytics.biRole.roleName);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((r) => isDeepStrictEqual(r, roleRef)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

describe('the Glue catalog over the snapshot bucket', () => {
  it('has one table per Parquet dataset of the snapshot, and the BI role may read each', () => {
    const names = Object.values(template.findResources('AWS::Glue::Table')).map((t) => t.Properties.TableInput.Name as string);
    expect(names.sort()).toEqual(['completeness', 'progress', 'restatements']);
    const catalogReads = biStatements().find((s) => asArray(s.Action).includes('glue:GetTable'));
    for (const name of names) {
      expect(asArray(catalogReads?.Resource)).toContainEqual(ref(stack.formatArn({ service: 'glue', resource: 'table', resourceName: `department_metrics/${name}` })));
    }
  });

  it('has one database', () => {
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'department_metrics' } });
  });

  it.each([
    { table: 'progress', columns: PROGRESS_COLUMNS.length - 1, sample: [{ Name: 'value', Type: 'double' }, { Name: 'baseline_date', Type: 'date' }, { Name: 'status', Type: 'string' }] },
    { table: 'completeness', columns: COMPLETENESS_COLUMNS.length - 1, sample: [{ Name: 'on_time', Type: 'boolean' }, { Name: 'months_received', Type: 'int' }, { Name: 'submitted_at', Type: 'timestamp' }] },
    { table: 'restatements', columns: RESTATEMENT_COLUMNS.length - 1, sample: [{ Name: 'restated_period', Type: 'string' }, { Name: 'from_value', Type: 'double' }, { Name: 'to_done', Type: 'boolean' }, { Name: 'approved_at', Type: 'timestamp' }] },
  ])('has a Parquet table $table partitioned by a projected period, its folder in each month', ({ table, columns, sample }) => {
    const tables = template.findResources('AWS::Glue::Table', { Properties: { TableInput: { Name: table } } });
    const [properties] = Object.values(tables).map((t) => t.Properties);
    const input = properties.TableInput;
    expect(input.PartitionKeys).toEqual([{ Name: 'period', Type: 'string', Comment: 'reporting month, YYYY-MM' }]);
    expect(input.StorageDescriptor.Columns).toHaveLength(columns);
    expect(input.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).not.toContain('period');
    for (const column of sample) expect(input.StorageDescriptor.Columns).toContainEqual(expect.objectContaining(column));
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(input.Parameters).toMatchObject({
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.period.type': 'date',
      'projection.period.format': 'yyyy-MM',
      'projection.period.range': '2026-01,NOW',
      'projection.period.interval': '1',
      'projection.period.interval.unit': 'MONTHS',
    });
    expect(input.Parameters['storage.location.template']).toEqual({
      'Fn::Join': ['', ['s3://', ref(snapshotBucket.bucketName), `/snapshots/period=\${period}/${table}/`]],
    });
  });
});

describe('the Athena workgroup', () => {
  it('enforces its own KMS-encrypted results location in its own bucket', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'department_metrics_bi',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 1024 ** 3,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', ref(analytics.resultsBucket.bucketName), '/athena/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: ref(analytics.resultsKey.keyArn) },
        },
      },
    });
  });

  it('writes results to a private, KMS-encrypted bucket that refuses plain HTTP and forgets old results', () => {
    const bucketId = (ref(analytics.resultsBucket.bucketName) as { Ref: string }).Ref;
    const bucket = template.toJSON().Resources[bucketId].Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: ref(analytics.resultsKey.keyArn),
    });
    expect(bucket.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({ Prefix: 'athena/', ExpirationInDays: 30, Status: 'Enabled' }));
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('the BI role', () => {
  it('may run queries in the workgroup and read the catalog, the snapshots and its results', () => {
    const actions = new Set(biStatements().flatMap((s) => asArray(s.Action)));
    for (const action of ['athena:StartQueryExecution', 'athena:GetQueryResults', 'glue:GetTable', 'glue:GetPartitions', 's3:GetObject', 's3:ListBucket', 'kms:Decrypt']) {
      expect(actions, action).toContain(action);
    }
  });

  it('may stream query results in the workgroup, as the JDBC and ODBC drivers of BI tools do', () => {
    const streaming = biStatements().filter((s) => asArray(s.Action).includes('athena:GetQueryResultsStream'));
    expect(streaming.map((s) => s.Resource)).toEqual([ref(stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: 'department_metrics_bi' }))]);
  });

  it('can change nothing in the snapshot bucket and nothing outside its results folder', () => {
    const writes = biStatements().filter((s) => s.Effect === 'Allow' && asArray(s.Action).some((a) => /^s3:(Put|Delete)/.test(a)));
    expect(writes.map((s) => s.Resource)).toEqual([{ 'Fn::Join': ['', [ref(analytics.resultsBucket.bucketArn) , '/athena/*']] }]);
    const everything = biStatements().filter((s) => asArray(s.Action).some((a) => a.endsWith(':*')) || s.Resource === '*');
    expect(everything).toEqual([]);
  });

  it('reads the snapshot bucket under snapshots/ only', () => {
    const reads = biStatements().filter((s) => asArray(s.Action).includes('s3:GetObject'));
    expect(reads.map((s) => s.Resource)).toContainEqual({ 'Fn::Join': ['', [ref(snapshotBucket.bucketArn) , '/snapshots/*']] });
    const listing = biStatements().find((s) => asArray(s.Action).includes('s3:ListBucket') && isDeepStrictEqual(s.Resource, ref(snapshotBucket.bucketArn)));
    expect(listing?.Condition).toEqual({ StringLike: { 's3:prefix': ['snapshots/*'] } });
  });
});

describe('who may assume the BI role', () => {
  const trust = () => {
    const { Ref: roleId } = ref(analytics.biRole.roleName) as { Ref: string };
    return template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement as unknown[];
  };

  it("a caller of the stack's account carrying the BI tag, by default", () => {
    expect(trust()).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'bi' } },
      },
    ]);
  });

  it('a tool of another account, tagged and sending the external id, when so configured', () => {
    const other = new Stack(new App({ context }), 'Other', { env: { account: '111122223333', region: 'ap-southeast-1' } });
    const key = new kms.Key(other, 'DataKey');
    const logs = new SecureBucket(other, 'AccessLogsBucket', { noncurrentVersions: {} });
    const bucket = new SecureBucket(other, 'SnapshotBucket', { encryptionKey: key, noncurrentVersions: {}, serverAccessLogsBucket: logs });
    const principal = new iam.ArnPrincipal('arn:aws:iam::444455556666:role/BiTool');
    const bi = new SnapshotAnalytics(other, 'Analytics', { snapshotBucket: bucket, accessLogsBucket: logs, biTrust: { ...biTrust, principal, externalId: 'bi-tool-7f3a' } });
    const { Ref: roleId } = other.resolve(bi.biRole.roleName) as { Ref: string };
    expect(Template.fromStack(other).toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:role/BiTool' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'bi', 'sts:ExternalId': 'bi-tool-7f3a' } },
      },
    ]);
  });
});

describe('cdk-nag', () => {
  it('the AwsSolutions pack finds nothing in the construct wired as the stack wires it', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'nag-analytics-'));
    try {
      const app = new App({ context, outdir });
      const nagStack = new Stack(app, 'Nag', { env: { account: '111122223333', region: 'ap-southeast-1' } });
      const key = new kms.Key(nagStack, 'DataKey', { enableKeyRotation: true });
      const accessLogsBucket = new SecureBucket(nagStack, 'AccessLogsBucket', { noncurrentVersions: {} });
      const bucket = new SecureBucket(nagStack, 'SnapshotBucket', { encryptionKey: key, noncurrentVersions: {}, serverAccessLogsBucket: accessLogsBucket });
      new SnapshotAnalytics(nagStack, 'Analytics', { snapshotBucket: bucket, accessLogsBucket, resultsKey: key, biTrust });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(() => app.synth()).not.toThrow();
      const report = join(outdir, 'validation-report.json');
      const violations = existsSync(report)
        ? (JSON.parse(readFileSync(report, 'utf8')) as { pluginReports: { violations: { ruleName: string; violatingResources: { resourceLogicalId: string }[] }[] }[] }).pluginReports.flatMap((p) => p.violations)
        : [];
      expect(violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.resourceLogicalId)])).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
