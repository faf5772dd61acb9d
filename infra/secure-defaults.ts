import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ENV } from '../shared/config.js';

/** Entries and the lock file are resolved from here, not from the working directory of whoever synthesizes. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export type SecureBucketProps = Pick<s3.BucketProps, 'serverAccessLogsBucket' | 'serverAccessLogsPrefix'>;

/**
 * A private, encrypted, versioned bucket that refuses plain HTTP and outlives the stack.
 * The defaults cannot be overridden: a bucket that needs to differ should not be a SecureBucket.
 */
export class SecureBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    super(scope, id, {
      ...props,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Every upload version is the lineage of the figures it produced; an overwrite must not erase it.
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

export interface SecureTableProps {
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** An on-demand table with string keys, encrypted at rest and restorable to any second of the last 35 days. */
export class SecureTable extends dynamodb.Table {
  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id, {
      partitionKey: { name: props.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: props.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/** The name of an environment variable a function reads through `readConfig`. */
export type EnvVarName = (typeof ENV)[keyof typeof ENV];

/** Item-level actions only: no Scan and no table-level actions. BatchWriteItem is authorized as the puts it carries. */
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;
const TABLE_ACTIONS = {
  read: TABLE_READ_ACTIONS,
  readWrite: [...TABLE_READ_ACTIONS, 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
} as const;

export interface TableUse {
  readonly access: keyof typeof TABLE_ACTIONS;
  /** The variable that tells the function the table's name. */
  readonly envVar: EnvVarName;
}

/** Key prefixes end with `/` so that `incoming/` cannot also match `incoming-old/`. */
type KeyPrefix = `${string}/`;

export interface BucketUse {
  /** Objects the function may read, any version of them. */
  readonly read?: KeyPrefix;
  /** Objects the function may create or overwrite. */
  readonly write?: KeyPrefix;
  /** The variable that tells the function the bucket's name, when it cannot learn it from its event. */
  readonly envVar?: EnvVarName;
}

export interface PipelineFunctionProps {
  /** The handler module, relative to the project root. */
  readonly entry: string;
  readonly description: string;
  /** Names the function in its logs and traces. */
  readonly serviceName: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
}

/**
 * A Node.js 22 function bundled locally by esbuild as ESM, traced, logging to its own log group,
 * with a dead-letter queue for the asynchronous invocations S3 and EventBridge Scheduler make.
 * Its role starts with nothing but its own log group: `useTable` and `useBucket` add each
 * permission together with the environment variable that goes with it.
 */
export class PipelineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);

    // An explicit role instead of AWSLambdaBasicExecutionRole, whose log permissions cover every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    this.logGroup.grantWrite(this.role);
    // Lambda retries a failed asynchronous invocation twice, then drops it unless it has somewhere to go.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        // Bundled CommonJS dependencies still call require(), which ESM does not define.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // Ship the AWS SDK the tests ran against rather than whichever version the runtime carries.
        externalModules: [],
        minify: true,
        sourceMap: true,
      },
    });
  }

  /** Lets the function use the table's items and tells it the table's name. */
  useTable(table: SecureTable, use: TableUse): void {
    this.function.addEnvironment(use.envVar, table.tableName);
    // SecureTable's key is AWS-managed, so the table grant is the whole grant.
    table.grant(this.role, ...TABLE_ACTIONS[use.access]);
  }

  /** Lets the function read and/or write objects under the given prefixes, and optionally tells it the bucket's name. */
  useBucket(bucket: SecureBucket, use: BucketUse): void {
    if (use.envVar) this.function.addEnvironment(use.envVar, bucket.bucketName);
    // SecureBucket encrypts with S3-managed keys, so no KMS grant goes with these.
    if (use.read) this.allowObjects(bucket, use.read, ['s3:GetObject', 's3:GetObjectVersion']);
    if (use.write) this.allowObjects(bucket, use.write, ['s3:PutObject']);
  }

  private allowObjects(bucket: s3.IBucket, prefix: KeyPrefix, actions: string[]): void {
    iam.Grant.addToPrincipal({ grantee: this.role, actions, resourceArns: [bucket.arnForObjects(`${prefix}*`)] });
  }
}
