import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DepartmentMetricsStack } from '../../infra/pipeline-stack.js';
import type { PipelineFunction } from '../../infra/secure-defaults.js';

// The feature flags `cdk synth` applies, so the template under test is the one that gets deployed.
const { context } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

let stack: DepartmentMetricsStack;
let template: Template;

beforeAll(() => {
  stack = new DepartmentMetricsStack(new App({ context }), 'Test');
  template = Template.fromStack(stack);
});

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The logical ID behind a resource's name token (`{ Ref: id }`). */
const logicalIdOf = (nameToken: string): string => (stack.resolve(nameToken) as { Ref: string }).Ref;

const resourceOf = (nameToken: string) => template.toJSON().Resources[logicalIdOf(nameToken)];

function statementsOf(roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((r) => isDeepStrictEqual(r, { Ref: roleId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** Every action a function's role is allowed, with the resources it is allowed on. */
function grantsOf(fn: PipelineFunction): Map<string, unknown[]> {
  const grants = new Map<string, unknown[]>();
  for (const statement of statementsOf(logicalIdOf(fn.role.roleName))) {
    expect(statement.Effect).toBe('Allow');
    for (const action of asArray(statement.Action)) {
      grants.set(action, [...(grants.get(action) ?? []), ...asArray(statement.Resource)]);
    }
  }
  return grants;
}

const actionsOf = (fn: PipelineFunction) => [...grantsOf(fn).keys()].sort();

describe('buckets', () => {
  const buckets = () => ({
    upload: stack.uploadBucket,
    snapshot: stack.snapshotBucket,
    'access logs': stack.accessLogsBucket,
  });

  it('are encrypted, private, versioned and retained', () => {
    template.resourceCountIs('AWS::S3::Bucket', 3);
    template.allResourcesProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it.each(['upload', 'snapshot', 'access logs'] as const)('the %s bucket refuses requests without TLS 1.2', (name) => {
    const bucket = buckets()[name];
    const everything = [stack.resolve(bucket.bucketArn), stack.resolve(bucket.arnForObjects('*'))];
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: stack.resolve(bucket.bucketName),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: everything,
          },
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            Resource: everything,
          },
        ]),
      },
    });
  });

  it.each(['upload', 'snapshot'] as const)('the %s bucket writes access logs to the access logs bucket', (name) => {
    expect(resourceOf(buckets()[name].bucketName).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: stack.resolve(stack.accessLogsBucket.bucketName),
      LogFilePrefix: `${name}/`,
    });
  });
});

describe('observations table', () => {
  it('is on-demand, recoverable to a point in time, encrypted, keyed by pk/sk and retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      },
    });
  });
});

describe('functions', () => {
  it('both run Node.js 22 on arm64, traced, with source maps and a one-year log group', () => {
    for (const fn of [stack.ingest, stack.snapshot]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: stack.resolve(fn.role.roleArn),
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: stack.resolve(fn.logGroup.logGroupName) },
        DeadLetterConfig: { TargetArn: stack.resolve(fn.deadLetterQueue.queueArn) },
        Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('ingest has 1 GB and a minute, and is told only the table', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: stack.resolve(stack.ingest.role.roleArn),
      MemorySize: 1024,
      Timeout: 60,
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'department-metrics-ingest',
          OBSERVATIONS_TABLE_NAME: stack.resolve(stack.observationsTable.tableName),
        },
      },
    });
  });

  it('snapshot has five minutes and is told the table and the snapshot bucket', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: stack.resolve(stack.snapshot.role.roleArn),
      Timeout: 300,
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'department-metrics-snapshot',
          OBSERVATIONS_TABLE_NAME: stack.resolve(stack.observationsTable.tableName),
          SNAPSHOT_BUCKET_NAME: stack.resolve(stack.snapshotBucket.bucketName),
        },
      },
    });
  });

  it('dead-letter queues are encrypted and refuse requests without TLS', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      2,
    );
  });
});

describe('triggers', () => {
  it('an object created under incoming/ of the upload bucket invokes ingest', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: stack.resolve(stack.uploadBucket.bucketName),
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
            LambdaFunctionArn: stack.resolve(stack.ingest.function.functionArn),
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: stack.resolve(stack.ingest.function.functionArn),
      Principal: 's3.amazonaws.com',
      SourceArn: stack.resolve(stack.uploadBucket.bucketArn),
    });
  });

  it('snapshot runs at 02:00 on the 1st of each month, Asia/Shanghai time, with an empty event', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 1 * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: stack.resolve(stack.snapshot.function.functionArn), Input: '{}' }),
    });
  });
});

describe('least privilege', () => {
  it('execution roles carry no managed or inline policies of their own', () => {
    for (const fn of [stack.ingest, stack.snapshot]) {
      const { Properties } = resourceOf(fn.role.roleName);
      expect(Properties).not.toHaveProperty('ManagedPolicyArns');
      expect(Properties).not.toHaveProperty('Policies');
    }
  });

  it('ingest may use only item-level table actions, never Scan and never a wildcard action', () => {
    const actions = actionsOf(stack.ingest);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:GetObjectVersion',
      's3:PutObject',
      'sqs:SendMessage',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    const grants = grantsOf(stack.ingest);
    const table = stack.resolve(stack.observationsTable.tableArn);
    for (const action of actions.filter((a) => a.startsWith('dynamodb:'))) expect(grants.get(action)).toEqual([table]);
  });

  it('ingest reads only incoming/* and writes only reports/* of the upload bucket', () => {
    const grants = grantsOf(stack.ingest);
    const incoming = stack.resolve(stack.uploadBucket.arnForObjects('incoming/*'));
    const reports = stack.resolve(stack.uploadBucket.arnForObjects('reports/*'));
    expect(grants.get('s3:GetObject')).toEqual([incoming]);
    expect(grants.get('s3:GetObjectVersion')).toEqual([incoming]);
    expect(grants.get('s3:PutObject')).toEqual([reports]);
    const s3Resources = [...grants].filter(([action]) => action.startsWith('s3:')).flatMap(([, resources]) => resources);
    expect(s3Resources.every((r) => isDeepStrictEqual(r, incoming) || isDeepStrictEqual(r, reports))).toBe(true);
  });

  it('snapshot may only read the table, never Scan, and only write snapshots/* of the snapshot bucket', () => {
    const actions = actionsOf(stack.snapshot);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual(['s3:PutObject']);
    expect(grantsOf(stack.snapshot).get('s3:PutObject')).toEqual([
      stack.resolve(stack.snapshotBucket.arnForObjects('snapshots/*')),
    ]);
  });

  it('the schedule may invoke only the snapshot function', () => {
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    const functionArn = stack.snapshot.function.functionArn;
    expect(statementsOf(schedule?.Properties.Target.RoleArn['Fn::GetAtt'][0])).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [stack.resolve(functionArn), stack.resolve(`${functionArn}:*`)],
      },
    ]);
  });
});
