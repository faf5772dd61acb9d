import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { App, Validations, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFilesOf, sourcesOf } from '../../infra/bundle-files.js';
import { DepartmentMetricsStack } from '../../infra/pipeline-stack.js';
import type { PipelineFunction } from '../../infra/secure-defaults.js';
import { stackConfigOf, type StackConfig } from '../../infra/stack-config.js';
import { catalog } from '../../shared/catalog/catalog.js';

// The feature flags `cdk synth` applies, so the template under test is the one that gets deployed.
const { context } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

const departments = catalog.departments.map((d) => d.id);
/** The configuration CDK context gives (`-c key=value`), with a due day of 10. */
const configOf = (values: Record<string, string>): StackConfig => stackConfigOf((key) => ({ dueDay: '10', ...values })[key], departments);
const config = (envName: string): StackConfig => configOf({ env: envName });

let stack: DepartmentMetricsStack;
let template: Template;

beforeAll(() => {
  stack = new DepartmentMetricsStack(new App({ context }), 'Test', { config: config('dev') });
  template = Template.fromStack(stack);
});

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

interface KeyPolicyStatement extends Statement {
  Principal: unknown;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const resolve = (value: unknown) => stack.resolve(value);

/** The logical ID behind a resource's name token (`{ Ref: id }`). */
const logicalIdOf = (nameToken: string): string => (resolve(nameToken) as { Ref: string }).Ref;
const resourceOf = (nameToken: string) => template.toJSON().Resources[logicalIdOf(nameToken)];

function statementsOf(role: iam.Role): Statement[] {
  const roleId = logicalIdOf(role.roleName);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((r) => isDeepStrictEqual(r, { Ref: roleId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** The statements of the role through which a function's schedule invokes it. */
function scheduleStatementsOf(fn: PipelineFunction): Statement[] {
  const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule')).find((s) => isDeepStrictEqual(s.Properties.Target.Arn, resolve(fn.function.functionArn)));
  const roleId = schedule?.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => isDeepStrictEqual(p.Properties.Roles, [{ Ref: roleId }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** Every action a role is allowed, with the resources it is allowed on (its Deny statements narrow these, and are left out). */
function grantsOf(role: iam.Role): Map<string, unknown[]> {
  const grants = new Map<string, unknown[]>();
  for (const statement of statementsOf(role).filter((s) => s.Effect === 'Allow')) {
    for (const action of asArray(statement.Action)) grants.set(action, [...(grants.get(action) ?? []), ...asArray(statement.Resource)]);
  }
  return grants;
}

const actionsOf = (role: iam.Role) => [...grantsOf(role).keys()].sort();
const objectsUnder = (prefix: string) => resolve(stack.uploadBucket.arnForObjects(`${prefix}*`));
const via = (service: string) => ({ 'kms:ViaService': { 'Fn::Join': ['', [`${service}.`, { Ref: 'AWS::Region' }, '.amazonaws.com']] } });
/** The key's use through S3, for the bucket whose ARN S3 sends as encryption context (every bucket has a bucket key). */
const viaS3For = (bucket: { bucketArn: string }) => ({
  StringEquals: via('s3'),
  StringLike: { 'kms:EncryptionContext:aws:s3:arn': [resolve(bucket.bucketArn)] },
});
/** A put may leave the encryption to the bucket or name SSE-KMS with the data key; no SSE-C. */
const putConditions = () => ({
  StringEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': resolve(stack.dataKey.keyArn) },
  Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'true' },
});
const denyAwsManagedKey = (objects: unknown) => ({
  Effect: 'Deny',
  Action: 's3:PutObject',
  Resource: objects,
  Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' }, Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' } },
});
const keyPolicyOf = (key: { keyId: string }) => resourceOf(key.keyId).Properties.KeyPolicy.Statement as KeyPolicyStatement[];
const accountRoot = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
/** The trust policy of a role, in the template of its stack (the stack under test unless given). */
function trustOf(role: iam.Role, of: { stack: Stack; template: Template } = { stack, template }): KeyPolicyStatement[] {
  const { Ref: roleId } = of.stack.resolve(role.roleName) as { Ref: string };
  return of.template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement as KeyPolicyStatement[];
}

describe('cdk-nag', () => {
  it('the AwsSolutions pack finds nothing unacknowledged in the stack', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'nag-'));
    try {
      const app = new App({ context, outdir });
      new DepartmentMetricsStack(app, 'Nag', { config: config('dev') });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      // A violation makes synth throw and leaves the report behind.
      expect(() => app.synth()).not.toThrow();
      const report = join(outdir, 'validation-report.json');
      const violations = existsSync(report)
        ? (JSON.parse(readFileSync(report, 'utf8')) as { pluginReports: { violations: unknown[] }[] }).pluginReports.flatMap((p) => p.violations)
        : [];
      expect(violations).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('identity of deployed resources', () => {
  // CloudFormation replaces a resource whose logical id changes: an empty bucket or table, new role ARNs for the
  // clerks, an e-mail subscription to confirm again, and an event source mapping Lambda refuses to create twice.
  it.each([
    ['keys', ['DataKey17AFBB84', 'MessagesKey44305758']],
    ['buckets', ['AccessLogsBucket83982689', 'UploadBucketD2C1DA78', 'SnapshotBucketB2BF31D3', 'AnalyticsResultsBucket8D578079']],
    ['tables', ['ObservationsTable8FE9FF9C', 'IdempotencyTable22A5A209']],
    ['queues', ['IngestQueue2280FF4E', 'IngestDeadLetterQueue48D59084', 'SnapshotDeadLetterQueueD1DC1B4E', 'ScheduleDeadLetterQueue0D6B48D2']],
    ['the ingest mapping', ['IngestFunctionSqsEventSourceTestIngestQueue69D6EC3DCC23D93A']],
    ['roles people assume', ['UploadRolescienceF98235F8', 'UploadRoleeducationE92F9A9F', 'UploadRolevocationalB342CC0E', 'AnalyticsBiRole273DE669']],
    ['functions', ['IngestFunctionB02ED0EB', 'SnapshotFunctionDEDBAA53', 'DeadlinesFunction06DFFDB6']],
    ['the alarm e-mail', ['AlarmTopicD01E77F9', 'AlarmTopicTokenSubscription17F7316A1']],
  ])('%s keep the logical ids they were deployed with', (_, ids) => {
    expect(Object.keys(template.toJSON().Resources as object)).toEqual(expect.arrayContaining(ids));
  });
});

describe('encryption keys', () => {
  it('are customer-managed and rotate yearly', () => {
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('let S3 use the messages key only for notifications of the upload bucket of this account', () => {
    expect(keyPolicyOf(stack.messagesKey).filter((s) => JSON.stringify(s.Principal).includes('s3.amazonaws'))).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { ArnLike: { 'aws:SourceArn': resolve(stack.uploadBucket.bucketArn) }, StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it("let CloudWatch use the messages key only for this stack's alarms in this account", () => {
    expect(keyPolicyOf(stack.messagesKey).filter((s) => JSON.stringify(s.Principal).includes('cloudwatch'))).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: {
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:alarm:${stack.stackName}-*`]],
            },
          },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      },
    ]);
  });

  it('the alarms CloudWatch publishes are named after the stack, as the key policy expects', () => {
    // CloudFormation names an alarm without a name "<stack>-<logical id>-<suffix>"; a fixed name would escape the pattern.
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmName: Match.absent() });
  });

  it('the data key is used by no service principal: S3 and DynamoDB use it on behalf of the roles granted it', () => {
    // The account itself, and through Secrets Manager for the contacts secret (its own statement), never a service.
    expect([...new Set(keyPolicyOf(stack.dataKey).map((s) => JSON.stringify(s.Principal)))]).toEqual([JSON.stringify({ AWS: accountRoot })]);
  });

  it('S3 may send to the ingest queue only from the upload bucket of this account', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [resolve(stack.ingestPipeline.queue.queueUrl)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: resolve(stack.ingestPipeline.queue.queueArn),
            Condition: { ArnLike: { 'aws:SourceArn': resolve(stack.uploadBucket.bucketArn) }, StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ]),
      },
    });
  });
});

describe('grants of the data key', () => {
  /** The statements of a role on a key. */
  const keyStatementsOf = (role: iam.Role, key: { keyArn: string }) =>
    statementsOf(role).filter((s) => isDeepStrictEqual(s.Resource, resolve(key.keyArn)));

  it.each([
    ['ingest', () => [stack.observationsTable, stack.idempotencyTable], ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']],
    ['snapshot', () => [stack.observationsTable], ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']],
    ['deadlines', () => [stack.observationsTable], ['kms:Decrypt']],
  ] as const)('%s uses the data key for its tables only through DynamoDB, for each table by name', (name, tables, actions) => {
    const throughDynamoDb = keyStatementsOf(stack.functions[name].role, stack.dataKey).filter((s) => JSON.stringify(s.Condition).includes('dynamodb'));
    expect(throughDynamoDb).toEqual(
      tables().map((table) => ({
        Effect: 'Allow',
        Action: actions.length === 1 ? actions[0] : [...actions],
        Resource: resolve(stack.dataKey.keyArn),
        Condition: { StringEquals: via('dynamodb'), StringLike: { 'kms:EncryptionContext:aws:dynamodb:tableName': [resolve(table.tableName)] } },
      })),
    );
  });

  it.each([
    ['ingest', () => stack.uploadBucket],
    ['snapshot', () => stack.snapshotBucket],
  ] as const)('%s uses the data key for objects only through S3, for its bucket alone', (name, bucket) => {
    const throughS3 = keyStatementsOf(stack.functions[name].role, stack.dataKey).filter((s) => JSON.stringify(s.Condition).includes('aws:s3:arn'));
    expect(throughS3.map((s) => s.Condition)).toEqual([viaS3For(bucket())]);
  });

  it('no role uses the data key without naming the service and what it is used for', () => {
    const dataKey = resolve(stack.dataKey.keyArn);
    const unconditioned = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => isDeepStrictEqual(s.Resource, dataKey))
      .filter((s) => !JSON.stringify(s.Condition ?? {}).includes('kms:ViaService') || !JSON.stringify(s.Condition).includes('kms:EncryptionContext:'));
    expect(unconditioned).toEqual([]);
  });

  it.each([
    ['monthly snapshot', () => stack.functions.snapshot],
    ['daily deadline check', () => stack.functions.deadlines],
  ] as const)("the %s schedule uses the messages key only through SQS, for its dead-letter queue", (_, fn) => {
    const statements = scheduleStatementsOf(fn()).filter((s) => isDeepStrictEqual(s.Resource, resolve(stack.messagesKey.keyArn)));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: resolve(stack.messagesKey.keyArn),
        Condition: { StringEquals: via('sqs'), StringLike: { 'kms:EncryptionContext:aws:sqs:arn': [resolve(stack.monthlySnapshot.scheduleDeadLetterQueue.queueArn)] } },
      },
    ]);
  });
});

describe('buckets', () => {
  const buckets = () => ({
    upload: stack.uploadBucket,
    snapshot: stack.snapshotBucket,
    'access logs': stack.accessLogsBucket,
    'query results': stack.analytics.resultsBucket,
    'portal page': stack.portal.pageBucket,
    'portal distribution logs': stack.portal.distributionLogsBucket,
  });

  it('are private, versioned and retained', () => {
    template.resourceCountIs('AWS::S3::Bucket', Object.keys(buckets()).length);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it.each(['upload', 'snapshot', 'query results'] as const)('the %s bucket is encrypted with the data key', (name) => {
    expect(resourceOf(buckets()[name].bucketName).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: resolve(stack.dataKey.keyArn) } },
      ],
    });
  });

  it('the access logs bucket uses S3-managed keys, the only kind server access logging delivers to', () => {
    expect(resourceOf(stack.accessLogsBucket.bucketName).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it.each([
    ['upload', { NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }] }],
    ['snapshot', { NoncurrentVersionExpiration: { NoncurrentDays: 365 } }],
    ['access logs', { NoncurrentVersionExpiration: { NoncurrentDays: 90 } }],
  ] as const)('the %s bucket keeps old versions as its lifecycle says', (name, rule) => {
    expect(resourceOf(buckets()[name].bucketName).Properties.LifecycleConfiguration).toEqual({
      Rules: [{ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled', ...rule }],
    });
  });

  it.each(['upload', 'snapshot', 'access logs'] as const)('the %s bucket refuses requests without TLS 1.2', (name) => {
    const bucket = buckets()[name];
    const everything = [resolve(bucket.bucketArn), resolve(bucket.arnForObjects('*'))];
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: resolve(bucket.bucketName),
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: everything },
          { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } }, Resource: everything },
        ]),
      },
    });
  });

  it.each(['upload', 'snapshot'] as const)('the %s bucket writes access logs to the access logs bucket', (name) => {
    expect(resourceOf(buckets()[name].bucketName).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: resolve(stack.accessLogsBucket.bucketName),
      LogFilePrefix: `${name}/`,
    });
  });
});

describe('tables', () => {
  it('are on-demand, recoverable to a point in time, protected from deletion, encrypted with the data key and retained', () => {
    // Observations, idempotency records, and the record of the notices sent.
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
    template.allResources('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: resolve(stack.dataKey.keyArn) },
      }),
    });
  });

  it('observations are keyed by pk/sk; idempotency records by id and expire', () => {
    expect(resourceOf(stack.observationsTable.tableName).Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const idempotency = resourceOf(stack.idempotencyTable.tableName).Properties;
    expect(idempotency.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(idempotency.TimeToLiveSpecification).toEqual({ AttributeName: 'expiration', Enabled: true });
  });
});

describe('delivery', () => {
  it('an object created under incoming/ of the upload bucket is announced on the ingest queue, and only there', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: resolve(stack.uploadBucket.bucketName),
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
            QueueArn: resolve(stack.ingestPipeline.queue.queueArn),
          },
        ],
      },
    });
    template.resourcePropertiesCountIs('AWS::Lambda::Permission', { Principal: 's3.amazonaws.com' }, 0);
  });

  it('the ingest queue is encrypted, hides a message for six function timeouts and dead-letters it after three receives', () => {
    const queue = resourceOf(stack.ingestPipeline.queue.queueUrl).Properties;
    expect(queue).toEqual({
      KmsMasterKeyId: resolve(stack.messagesKey.keyArn),
      MessageRetentionPeriod: 1_209_600,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: resolve(stack.ingestPipeline.deadLetterQueue.queueArn), maxReceiveCount: 3 },
    });
  });

  it('every queue is encrypted with the messages key and refuses requests without TLS', () => {
    // Ingest, notices, each with its dead-letter queue; and the scheduled functions' two dead-letter queues.
    template.resourceCountIs('AWS::SQS::Queue', 6);
    template.allResourcesProperties('AWS::SQS::Queue', { KmsMasterKeyId: resolve(stack.messagesKey.keyArn) });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } },
      6,
    );
  });

  it('ingest takes batches of five, reports failed messages alone, and polls no faster than its reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: resolve(stack.functions.ingest.function.functionName),
      EventSourceArn: resolve(stack.ingestPipeline.queue.queueArn),
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: resolve(stack.functions.ingest.role.roleArn),
      ReservedConcurrentExecutions: 5,
    });
  });
});

describe('functions', () => {
  it('all run Node.js 24 on arm64, traced, logging JSON to a one-year log group, with their metrics namespace and no source maps loaded', () => {
    for (const fn of Object.values(stack.functions)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: resolve(fn.role.roleArn),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: resolve(fn.logGroup.logGroupName) },
        Environment: { Variables: Match.objectLike({ NODE_OPTIONS: Match.absent(), POWERTOOLS_METRICS_NAMESPACE: 'DepartmentMetrics/dev' }) },
      });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('ingest has 1 GB and a minute, and is told only its two tables', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: resolve(stack.functions.ingest.role.roleArn),
      MemorySize: 1024,
      Timeout: 60,
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'department-metrics-ingest',
          POWERTOOLS_METRICS_NAMESPACE: 'DepartmentMetrics/dev',
          OBSERVATIONS_TABLE_NAME: resolve(stack.observationsTable.tableName),
          IDEMPOTENCY_TABLE_NAME: resolve(stack.idempotencyTable.tableName),
        },
      },
    });
  });

  it.each(['snapshot', 'deadlines'] as const)('%s is told the table, the snapshot bucket and the due day, and dead-letters failed invocations', (name) => {
    const fn = stack.functions[name];
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: resolve(fn.role.roleArn),
      DeadLetterConfig: { TargetArn: resolve(stack.monthlySnapshot.deadLetterQueue.queueArn) },
      Environment: {
        Variables: Match.objectLike({
          OBSERVATIONS_TABLE_NAME: resolve(stack.observationsTable.tableName),
          SNAPSHOT_BUCKET_NAME: resolve(stack.snapshotBucket.bucketName),
          REPORTING_DUE_DAY: '10',
        }),
      },
    });
  });
});

describe('function bundles', () => {
  const exceljsIn = (files: string[]) => files.filter((file) => sourcesOf(file).some((source) => source.includes('node_modules/exceljs/')));

  it('the deadline check bundles no exceljs: it imports nothing of the snapshot', () => {
    expect(exceljsIn(bundleFilesOf(stack.functions.deadlines).all)).toEqual([]);
  });

  it.each(['ingest', 'snapshot', 'api'] as const)('%s reads exceljs only at its first event that needs it, from a chunk its cold start does not load', (name) => {
    const files = bundleFilesOf(stack.functions[name]);
    expect(exceljsIn(files.all).length).toBeGreaterThan(0);
    expect(exceljsIn(files.loadedAtInit)).toEqual([]);
  });

  it.each(['ingest', 'snapshot', 'deadlines', 'api'] as const)('%s ships a source map beside every file of its bundle', (name) => {
    const { entry, all } = bundleFilesOf(stack.functions[name]);
    expect(all.filter((file) => !existsSync(`${file}.map`))).toEqual([]);
    expect(sourcesOf(entry).filter((source) => source.endsWith(`functions/${name}/handler.ts`))).toHaveLength(1);
  });
});

describe('schedules', () => {
  it.each([
    ['snapshot', 'cron(0 2 15 * ? *)'],
    ['deadlines', 'cron(0 9 * * ? *)'],
  ] as const)('%s runs on %s, Asia/Shanghai time, retried and dead-lettered', (name, expression) => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: resolve(stack.functions[name].function.functionArn),
        Input: '{}',
        RetryPolicy: { MaximumEventAgeInSeconds: 21_600, MaximumRetryAttempts: 5 },
        DeadLetterConfig: { Arn: resolve(stack.monthlySnapshot.scheduleDeadLetterQueue.queueArn) },
      }),
    });
  });
});

describe('least privilege', () => {
  it('execution roles carry no managed or inline policies of their own, and no wildcard action', () => {
    for (const fn of Object.values(stack.functions)) {
      const { Properties } = resourceOf(fn.role.roleName);
      expect(Properties).not.toHaveProperty('ManagedPolicyArns');
      expect(Properties).not.toHaveProperty('Policies');
      expect(actionsOf(fn.role).filter((a) => a.includes('*'))).toEqual([]);
    }
  });

  it('ingest uses item-level actions on its two tables, never Scan, and its queue', () => {
    expect(actionsOf(stack.functions.ingest.role)).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:GetObjectVersion',
      's3:PutObject',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    const grants = grantsOf(stack.functions.ingest.role);
    const observations = resolve(stack.observationsTable.tableArn);
    const idempotency = resolve(stack.idempotencyTable.tableArn);
    for (const action of ['dynamodb:BatchWriteItem', 'dynamodb:Query']) expect(grants.get(action)).toEqual([observations]);
    for (const action of ['dynamodb:DeleteItem', 'dynamodb:UpdateItem']) expect(grants.get(action)).toEqual([idempotency]);
    expect(grants.get('sqs:ReceiveMessage')).toEqual([resolve(stack.ingestPipeline.queue.queueArn)]);
  });

  it('ingest reads only incoming/* and writes only reports/* of the upload bucket', () => {
    const grants = grantsOf(stack.functions.ingest.role);
    expect(grants.get('s3:GetObject')).toEqual([objectsUnder('incoming/')]);
    expect(grants.get('s3:GetObjectVersion')).toEqual([objectsUnder('incoming/')]);
    expect(grants.get('s3:PutObject')).toEqual([objectsUnder('reports/')]);
  });

  it('snapshot may only read the table and put its items (the lock), list, read and write snapshots/* and write latest/*; the deadline check only read the table and list snapshots/', () => {
    const snapshots = resolve(stack.snapshotBucket.arnForObjects('snapshots/*'));
    const snapshot = grantsOf(stack.functions.snapshot.role);
    expect(actionsOf(stack.functions.snapshot.role).filter((a) => /^(dynamodb|s3):/.test(a))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(snapshot.get('dynamodb:PutItem')).toEqual([resolve(stack.observationsTable.tableArn)]);
    expect(snapshot.get('s3:PutObject')).toEqual([resolve(stack.snapshotBucket.arnForObjects('latest/*')), snapshots]);
    expect(snapshot.get('s3:GetObject')).toEqual([snapshots]);
    const listingSnapshots = {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: resolve(stack.snapshotBucket.bucketArn),
      Condition: { StringLike: { 's3:prefix': ['snapshots/*'] } },
    };
    expect(statementsOf(stack.functions.snapshot.role).find((s) => s.Action === 's3:ListBucket')).toEqual(listingSnapshots);
    // The deadline check asks for the manifest by listing its key (a HEAD of a missing key is 403 without ListBucket) and reads no object.
    expect(actionsOf(stack.functions.deadlines.role).filter((a) => /^(dynamodb|s3):/.test(a))).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 's3:ListBucket']);
    expect(statementsOf(stack.functions.deadlines.role).filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:')))).toEqual([listingSnapshots]);
    // Listing decrypts nothing: the data key is the deadline check's for its table alone.
    expect(statementsOf(stack.functions.deadlines.role).filter((s) => JSON.stringify(s.Condition ?? {}).includes('aws:s3:arn'))).toEqual([]);
  });

  it('every put into a bucket leaves the encryption to the bucket or names SSE-KMS with the data key, never the aws/s3 key', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    // The page's deployment writes the built page into its own bucket, which has no customer-managed key.
    const page = resolve(stack.portal.pageBucket.arnForObjects('*'));
    const puts = statements.filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes('s3:PutObject') && !asArray(s.Resource).some((r) => isDeepStrictEqual(r, page)));
    // Ingest's reports, the snapshots with the latest copy, the BI role's query results, the portal's uploads and one folder per department.
    expect(puts).toHaveLength(4 + departments.length);
    for (const put of puts) {
      expect(put.Condition).toEqual(putConditions());
      expect(statements).toContainEqual(denyAwsManagedKey(put.Resource));
    }
  });

  it('each schedule may invoke only its own function', () => {
    for (const fn of [stack.functions.snapshot, stack.functions.deadlines]) {
      const statements = scheduleStatementsOf(fn);
      expect(statements.find((s) => s.Action === 'lambda:InvokeFunction')?.Resource).toEqual([
        resolve(fn.function.functionArn),
        resolve(`${fn.function.functionArn}:*`),
      ]);
      expect(statements.find((s) => s.Action === 'sqs:SendMessage')?.Resource).toEqual(resolve(stack.monthlySnapshot.scheduleDeadLetterQueue.queueArn));
    }
  });
});

describe('department upload roles', () => {
  it('there is one per catalog department', () => {
    expect([...stack.departmentAccess.roles.keys()]).toEqual(departments);
  });

  it.each(departments)('%s may put only under its own incoming/ folder, read and list only its own reports/', (department) => {
    const role = stack.departmentAccess.roles.get(department);
    if (!role) throw new Error(`no role for ${department}`);
    expect(statementsOf(role)).toEqual([
      { Effect: 'Allow', Action: 's3:PutObject', Resource: objectsUnder(`incoming/${department}/`), Condition: putConditions() },
      denyAwsManagedKey(objectsUnder(`incoming/${department}/`)),
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: resolve(stack.dataKey.keyArn), Condition: viaS3For(stack.uploadBucket) },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objectsUnder(`reports/${department}/`) },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: resolve(stack.uploadBucket.bucketArn),
        Condition: { StringLike: { 's3:prefix': [`reports/${department}/*`] } },
      },
    ]);
  });

  it.each(departments)("%s's role reaches no other department's folder", (department) => {
    const role = stack.departmentAccess.roles.get(department);
    if (!role) throw new Error(`no role for ${department}`);
    const granted = JSON.stringify(statementsOf(role));
    for (const other of departments.filter((d) => d !== department)) {
      expect(granted).not.toContain(`/${other}/`);
    }
  });

  it.each(departments)('%s may be assumed only by a caller of this account tagged with that department', (department) => {
    const role = stack.departmentAccess.roles.get(department);
    if (!role) throw new Error(`no role for ${department}`);
    expect(trustOf(role)).toEqual([
      { Effect: 'Allow', Principal: { AWS: accountRoot }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/department': department } } },
    ]);
  });

  it('a department added to the catalog gets its role with no code change', () => {
    const wider = new DepartmentMetricsStack(new App({ context }), 'Wider', { config: { ...config('dev'), departments: [...departments, 'health'] } });
    expect([...wider.departmentAccess.roles.keys()]).toEqual([...departments, 'health']);
  });

  it('the BI role reads snapshots/* of the snapshot bucket and writes nothing there', () => {
    const statements = statementsOf(stack.analytics.biRole);
    const snapshotBucket = JSON.stringify(resolve(stack.snapshotBucket.bucketArn));
    const onSnapshots = statements.filter((s) => JSON.stringify(s.Resource).includes(snapshotBucket.slice(1, -1)));
    expect(onSnapshots).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: resolve(stack.snapshotBucket.arnForObjects('snapshots/*')) },
      {
        Effect: 'Allow',
        Action: 's3:GetBucketLocation',
        Resource: [resolve(stack.analytics.resultsBucket.bucketArn), resolve(stack.snapshotBucket.bucketArn)],
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: resolve(stack.snapshotBucket.bucketArn),
        Condition: { StringLike: { 's3:prefix': ['snapshots/*'] } },
      },
    ]);
    // Reading needs the data key, through S3 only and for each bucket by itself; Athena writing results adds GenerateDataKey.
    const keyUse = statements.filter((s) => isDeepStrictEqual(s.Resource, resolve(stack.dataKey.keyArn)));
    expect(keyUse).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: resolve(stack.dataKey.keyArn), Condition: viaS3For(stack.snapshotBucket) },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: resolve(stack.dataKey.keyArn), Condition: viaS3For(stack.analytics.resultsBucket) },
    ]);
  });

  it('the BI role may be assumed only by a caller of this account tagged department-metrics=bi', () => {
    expect(trustOf(stack.analytics.biRole)).toEqual([
      { Effect: 'Allow', Principal: { AWS: accountRoot }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/department-metrics': 'bi' } } },
    ]);
  });
});

describe('roles people assume, trusted as CDK context says', () => {
  let configured: DepartmentMetricsStack;
  let configuredTemplate: Template;
  beforeAll(() => {
    configured = new DepartmentMetricsStack(new App({ context }), 'Trusted', {
      config: configOf({
        uploadPrincipal: 'arn:aws:iam::111122223333:role/ClerkAccess',
        departmentTag: 'dept',
        biPrincipal: '444455556666',
        biTagKey: 'team',
        biTagValue: 'reform office',
        biExternalId: 'bi-tool-7f3a',
      }),
    });
    configuredTemplate = Template.fromStack(configured);
  });
  const trustOfConfigured = (role: iam.Role) => trustOf(role, { stack: configured, template: configuredTemplate });

  it.each(departments)('the %s upload role trusts the configured principal, tagged by the configured key', (department) => {
    const role = configured.departmentAccess.roles.get(department);
    if (!role) throw new Error(`no role for ${department}`);
    expect(trustOfConfigured(role)).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:role/ClerkAccess' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalTag/dept': department } },
      },
    ]);
  });

  it('the BI role trusts the configured account, asking its tag and the external id', () => {
    expect(trustOfConfigured(configured.analytics.biRole)).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444455556666:root']] } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'reform office', 'sts:ExternalId': 'bi-tool-7f3a' } },
      },
    ]);
  });
});

describe('alarms', () => {
  it('go to an encrypted topic whose e-mail subscription is the AlarmEmail parameter', () => {
    template.hasParameter('AlarmEmail', { Type: 'String' });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: resolve(stack.messagesKey.keyArn) });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } });
    // Ten of the pipeline and the portal, and the notices' dead letters, bounces, and the errors of the notifier and the reminder job.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 14);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [resolve(stack.alarms.topic.topicArn)], Threshold: 1 });
  });

  it.each([
    ['ingestDeadLetters', 'the ingest dead-letter queue', () => stack.ingestPipeline.deadLetterQueue],
    ['snapshotDeadLetters', 'the invocations dead-letter queue', () => stack.monthlySnapshot.deadLetterQueue],
    ['scheduleDeadLetters', 'the schedules dead-letter queue', () => stack.monthlySnapshot.scheduleDeadLetterQueue],
  ] as const)('%s fires on the first message in %s', (alarm, _, queue) => {
    expect(resourceOf(stack.alarms[alarm].alarmName).Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: resolve(queue().queueName) }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each(['ingest', 'snapshot', 'deadlines', 'api'] as const)('%s errors raise an alarm', (name) => {
    expect(resourceOf(stack.alarms.functionErrors[name].alarmName).Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: resolve(stack.functions[name].function.functionName) }],
      Statistic: 'Sum',
    });
  });

  it('an upload the ingest could not check raises an alarm on the first one', () => {
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ChecksFailed' } });
    expect(Object.values(alarms).map((alarm) => alarm.Properties)).toEqual([
      expect.objectContaining({
        Namespace: 'DepartmentMetrics/dev',
        Dimensions: [{ Name: 'service', Value: stack.functions.ingest.serviceName }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
    ]);
  });

  it.each([
    ['snapshotMissing', 'SnapshotMissing', 'breaching'],
    ['lateDepartments', 'LateDepartments', 'notBreaching'],
  ] as const)('%s watches the daily check\'s %s metric, a silent day counting as %s', (alarm, metricName, missing) => {
    expect(resourceOf(stack.alarms[alarm].alarmName).Properties).toMatchObject({
      Namespace: 'DepartmentMetrics/dev',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'department-metrics-deadlines' }],
      Period: 86_400,
      TreatMissingData: missing,
    });
  });
});

describe('environments', () => {
  it('dev and prod in one account share no physical name and no metrics namespace', () => {
    const app = new App({ context });
    // Both stacks exist before the app synthesizes, as they would in one account.
    const stacks = ['dev', 'prod'].map((envName) => new DepartmentMetricsStack(app, `DepartmentMetrics-${envName}`, { config: config(envName) }));
    const [dev, prod] = stacks.map((instance) => {
      const json = Template.fromStack(instance).toJSON();
      const resources = Object.values(json.Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>);
      // Names left to CloudFormation derive from the stack name; only account-wide names written out could clash.
      // A user pool's groups and an API's authorizer are named within their pool and API, not the account.
      const names = resources
        .filter((r) => !['AWS::Cognito::UserPoolGroup', 'AWS::ApiGatewayV2::Authorizer'].includes(r.Type))
        .flatMap((r) =>
          Object.entries(r.Properties ?? {})
            .filter(([key, value]) => /^(Bucket|Table|Queue|Role|Function|Topic|Alarm|LogGroup|ManagedPolicy|Group)?Name$/.test(key) && typeof value === 'string')
            .map(([key, value]) => `${r.Type}.${key}=${String(value)}`),
        );
      return { names, namespaces: new Set(JSON.stringify(json).match(/DepartmentMetrics\/[a-z]+/g)) };
    });
    expect(dev?.names.filter((name) => prod?.names.includes(name))).toEqual([]);
    expect(dev?.namespaces).toEqual(new Set(['DepartmentMetrics/dev']));
    expect(prod?.namespaces).toEqual(new Set(['DepartmentMetrics/prod']));
  });

  const trustDefaults = { uploadPrincipal: undefined, departmentTag: 'department', biPrincipal: undefined, biTagKey: 'department-metrics', biTagValue: 'bi', biExternalId: undefined };
  const portalDefaults = (envName: string) => ({ portalDomainPrefix: `department-metrics-${envName}`, portalMaxUploadMb: 20 });
  it.each([
    [{}, { envName: 'dev', dueDay: 10, ingestConcurrency: 5, alarmEmail: undefined, ...trustDefaults, ...portalDefaults('dev') }],
    [
      { env: 'prod', dueDay: '12', ingestConcurrency: '8', alarmEmail: 'ops@example.gov.cn' },
      { envName: 'prod', dueDay: 12, ingestConcurrency: 8, alarmEmail: 'ops@example.gov.cn', ...trustDefaults, ...portalDefaults('prod') },
    ],
    [
      { env: 'prod', portalDomainPrefix: 'district7-metrics', portalMaxUploadMb: '50' },
      { envName: 'prod', dueDay: 10, ingestConcurrency: 5, alarmEmail: undefined, ...trustDefaults, portalDomainPrefix: 'district7-metrics', portalMaxUploadMb: 50 },
    ],
    [
      { uploadPrincipal: '111122223333', departmentTag: 'dept', biPrincipal: 'arn:aws-cn:iam::111122223333:role/bi/Analysts', biTagKey: 'team', biTagValue: 'bi', biExternalId: 'x9-Q' },
      {
        envName: 'dev',
        dueDay: 10,
        ingestConcurrency: 5,
        alarmEmail: undefined,
        uploadPrincipal: '111122223333',
        departmentTag: 'dept',
        biPrincipal: 'arn:aws-cn:iam::111122223333:role/bi/Analysts',
        biTagKey: 'team',
        biTagValue: 'bi',
        biExternalId: 'x9-Q',
        ...portalDefaults('dev'),
      },
    ],
  ])('CDK context %o configures %o', (values, expected) => {
    const read = (key: string) => (values as Record<string, unknown>)[key];
    // The notices' settings keep their defaults here: no sender given, three reminder days.
    expect(stackConfigOf(read, departments)).toEqual({ ...expected, noticeSender: undefined, reminderDays: 3, departments });
  });

  it.each([
    [{ env: 'Prod' }, 'envName'],
    [{ dueDay: '31' }, 'dueDay'],
    [{ alarmEmail: 'nobody' }, 'alarmEmail'],
    [{ ingestConcurrency: '1' }, 'ingestConcurrency'],
    [{ uploadPrincipal: '*' }, 'uploadPrincipal'],
    [{ uploadPrincipal: 'arn:aws:iam::1111:root' }, 'uploadPrincipal'],
    [{ biPrincipal: 'arn:aws:sts::111122223333:assumed-role/x/y' }, 'biPrincipal'],
    [{ departmentTag: 'aws:department' }, 'departmentTag'],
    [{ biTagKey: 'a*b' }, 'biTagKey'],
    [{ biTagValue: '' }, 'biTagValue'],
    [{ biExternalId: 'x' }, 'biExternalId'],
    [{ portalDomainPrefix: 'Metrics' }, 'portalDomainPrefix'],
    [{ portalDomainPrefix: '-metrics' }, 'portalDomainPrefix'],
    [{ portalDomainPrefix: 'a'.repeat(64) }, 'portalDomainPrefix'],
    [{ portalDomainPrefix: 'metrics-on-aws' }, 'portalDomainPrefix'],
    [{ portalMaxUploadMb: '0' }, 'portalMaxUploadMb'],
    [{ portalMaxUploadMb: '5121' }, 'portalMaxUploadMb'],
  ])('CDK context %o is refused, naming %s', (values, field) => {
    expect(() => stackConfigOf((key) => (values as Record<string, unknown>)[key], departments)).toThrow(field);
  });
});

describe('notifications', () => {
  const notifications = () => stack.notifications;

  it('sends from an SES identity of the NoticeSenderAddress parameter, through a configuration set that suppresses bounces and complaints, requires TLS and publishes them to an encrypted topic', () => {
    const { senderAddress, configurationSet, feedbackTopic } = notifications();
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: resolve(senderAddress.valueAsString) });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: resolve(configurationSet.configurationSetName),
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'reject'],
        SnsDestination: { TopicARN: resolve(feedbackTopic.topicArn) },
      }),
    });
    expect(resourceOf(feedbackTopic.topicArn).Properties).toMatchObject({ KmsMasterKeyId: resolve(stack.messagesKey.keyArn) });
  });

  it('lets the notifier send e-mail only from the sender, through the configuration set, and nothing else of SES', () => {
    const { senderAddress, identity, configurationSet, notifier } = notifications();
    const ses = statementsOf(notifier.role).filter((s) => asArray(s.Action).some((a) => a.startsWith('ses:')));
    expect(ses).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: [
          resolve(stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName })),
          resolve(stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity.emailIdentityName })),
        ],
        Condition: { StringEquals: { 'ses:FromAddress': resolve(senderAddress.valueAsString) } },
      },
    ]);
  });

  it("gives the notifier its record of what was sent, read-only months, reports and snapshots, the contacts secret, and its queue's messages", () => {
    const { notifier, sentNotices, contacts, queue } = notifications();
    const grants = grantsOf(notifier.role);
    expect(grants.get('dynamodb:DeleteItem')).toEqual([resolve(sentNotices.tableArn)]);
    expect(grants.get('dynamodb:UpdateItem')).toEqual([resolve(sentNotices.tableArn)]);
    expect(grants.get('dynamodb:PutItem')).toEqual([resolve(sentNotices.tableArn)]);
    expect(grants.get('s3:GetObject')).toEqual(expect.arrayContaining([objectsUnder('reports/')]));
    expect(grants.get('s3:PutObject')).toBeUndefined();
    expect(grants.get('secretsmanager:GetSecretValue')).toEqual([resolve(contacts.secretArn)]);
    expect(grants.get('sqs:ReceiveMessage')).toEqual([resolve(queue.queueArn)]);
    expect(grants.get('sqs:SendMessage')).toBeUndefined();
  });

  it('dead-letters a notice after three receives, each after six function timeouts, and alarms on it and on bounces', () => {
    const { deadLetterQueue, feedbackTopic } = notifications();
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: resolve(deadLetterQueue.queueArn), maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: resolve(deadLetterQueue.queueName) }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SNS',
      MetricName: 'NumberOfMessagesPublished',
      Dimensions: [{ Name: 'TopicName', Value: resolve(feedbackTopic.topicName) }],
    });
  });

  it('runs the reminder job daily at 09:00 district time, and lets the ingest, the API, the snapshot and the job request notices, and only send them', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Arn: resolve(stack.functions.remind.function.functionArn), Input: '{}' }),
    });
    const { queue } = notifications();
    for (const name of ['ingest', 'api', 'snapshot', 'remind'] as const) {
      const fn = stack.functions[name];
      // Beside its own dead-letter queue, if it has one: an asynchronous invocation's failure goes there.
      expect(grantsOf(fn.role).get('sqs:SendMessage'), name).toContainEqual(resolve(queue.queueArn));
      expect(resourceOf(fn.function.functionName).Properties.Environment.Variables, name).toMatchObject({ NOTICE_QUEUE_URL: resolve(queue.queueUrl) });
    }
  });
});
