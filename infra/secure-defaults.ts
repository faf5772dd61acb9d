import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, TimeZone, Validations, type ILocalBundling } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput, type CronOptionsWithTimezone } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { buildSync, type BuildOptions } from 'esbuild';
import { DISTRICT_TIME_ZONE } from '../shared/calendar.js';
import type { ENV } from '../shared/config.js';

/** Entries and the lock file are resolved from here, not from the working directory of whoever synthesizes. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What happens to object versions once a newer upload replaces them. */
export interface NoncurrentVersions {
  /** Moved to Glacier Instant Retrieval after this long: still readable at once, at a fraction of the cost. */
  readonly archiveAfter?: Duration;
  /** Deleted after this long; never, when absent. */
  readonly expireAfter?: Duration;
}

export interface SecureBucketProps extends Pick<s3.BucketProps, 'serverAccessLogsBucket' | 'serverAccessLogsPrefix'> {
  /**
   * The customer-managed key objects are encrypted with. Absent only for buckets that a service writes or reads
   * without the key: S3 server access logging and CloudFront deliver to, and CloudFront reads through OAC, SSE-S3 buckets.
   */
  readonly encryptionKey?: kms.IKey;
  readonly noncurrentVersions: NoncurrentVersions;
  /**
   * For the bucket CloudFront's standard logging delivers to, which writes through ACLs: ACLs are enabled, and an
   * object written with `bucket-owner-full-control` (as CloudFront's are) belongs to the bucket owner, so that the
   * bucket's policy governs it. Only with SSE-S3, which is all CloudFront delivers to. @default false: ACLs disabled
   */
  readonly cloudFrontLogDelivery?: boolean;
}

/**
 * A private, encrypted, versioned bucket that refuses plain HTTP and outlives the stack.
 * The defaults cannot be overridden: a bucket that needs to differ should not be a SecureBucket.
 */
export class SecureBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    const { encryptionKey, noncurrentVersions, cloudFrontLogDelivery = false, ...logging } = props;
    if (cloudFrontLogDelivery && encryptionKey) throw new Error(`${id}: CloudFront delivers logs to SSE-S3 buckets only, not to one with a customer-managed key`);
    super(scope, id, {
      ...logging,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: cloudFrontLogDelivery ? s3.ObjectOwnership.BUCKET_OWNER_PREFERRED : s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      ...(encryptionKey
        ? // A bucket key cuts KMS requests (and their cost) to about one per bucket and hour.
          { encryption: s3.BucketEncryption.KMS, encryptionKey, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Every upload version is the lineage of the figures it produced; an overwrite must not erase it.
      versioned: true,
      lifecycleRules: [
        {
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          noncurrentVersionTransitions: noncurrentVersions.archiveAfter
            ? [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: noncurrentVersions.archiveAfter }]
            : undefined,
          noncurrentVersionExpiration: noncurrentVersions.expireAfter,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

export interface SecureTableProps {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly encryptionKey: kms.IKey;
  /** The attribute holding an item's expiry (epoch seconds), for tables whose items expire. */
  readonly timeToLiveAttribute?: string;
}

/**
 * An on-demand table with string keys, encrypted with a customer-managed key, restorable to any second
 * of the last 35 days, that neither a stack update nor a console click can delete.
 */
export class SecureTable extends dynamodb.Table {
  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id, {
      partitionKey: { name: props.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: props.sortKey ? { name: props.sortKey, type: dynamodb.AttributeType.STRING } : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: props.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

export interface SecureQueueProps {
  readonly encryptionKey: kms.IKey;
  /** Where a message goes after this many failed receives; absent for a dead-letter queue itself. */
  readonly deadLetterQueue?: sqs.DeadLetterQueue;
  readonly visibilityTimeout?: Duration;
}

/** A queue encrypted with a customer-managed key that refuses plain HTTP and keeps messages the longest SQS allows. */
export class SecureQueue extends sqs.Queue {
  /** The key the queue is encrypted with: always set, where `encryptionMasterKey` is typed as optional. */
  readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: SecureQueueProps) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      deadLetterQueue: props.deadLetterQueue,
      visibilityTimeout: props.visibilityTimeout,
    });
    this.encryptionKey = props.encryptionKey;
    if (!props.deadLetterQueue) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is a dead-letter queue: its messages wait for an operator, not for another retry.',
      });
    }
  }
}

/** The name of an environment variable a function reads through `readConfig`. */
export type EnvVarName = (typeof ENV)[keyof typeof ENV];

/** Item-level actions only: no Scan and no table-level actions. BatchWriteItem is authorized as the puts it carries. */
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;
/** Records claimed by a conditional put, completed by an update and given back by a delete. */
const CLAIM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;
const TABLE_ACTIONS = {
  read: TABLE_READ_ACTIONS,
  readWrite: [...TABLE_READ_ACTIONS, 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
  /**
   * Reads, and whole items put one at a time: what the portal's API does with the uploads it records and with a month's
   * sign-off, each step a PutItem conditional on the month item's version (and an approved correction's copy of the slice it replaces).
   */
  readPut: [...TABLE_READ_ACTIONS, 'dynamodb:PutItem'],
  /** What Powertools idempotency does with its records. */
  idempotency: CLAIM_ACTIONS,
  /** What the notifier does with its record of what was sent (shared/aws/sent-notices.ts). */
  claims: CLAIM_ACTIONS,
} as const;

export interface TableUse {
  readonly access: keyof typeof TABLE_ACTIONS;
  /** The variable that tells the function the table's name. */
  readonly envVar: EnvVarName;
}

/** Key prefixes end with `/` so that `incoming/` cannot also match `incoming-old/`. */
export type KeyPrefix = `${string}/`;

export interface BucketUse {
  /** Objects the function may read, any version of them. */
  readonly read?: KeyPrefix;
  /** Objects the function may create or overwrite. */
  readonly write?: KeyPrefix;
  /** Keys the function may list. */
  readonly list?: KeyPrefix;
  /** The variable that tells the function the bucket's name, when it cannot learn it from its event. */
  readonly envVar?: EnvVarName;
}

export interface PipelineFunctionProps {
  /** The handler module, relative to the project root. */
  readonly entry: string;
  readonly description: string;
  /** Names the function in its logs, traces and metrics. */
  readonly serviceName: string;
  /** The CloudWatch namespace its metrics go to. */
  readonly metricsNamespace: string;
  /** MiB of memory, which also buys CPU. @default 512 */
  readonly memorySize?: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** @default none: the account's unreserved concurrency */
  readonly reservedConcurrentExecutions?: number;
  /** For functions invoked asynchronously (by the scheduler): where an invocation goes once Lambda's retries are spent. */
  readonly deadLetterQueue?: sqs.IQueue;
  /** Settings that name no resource; a table's or bucket's name comes with its grant from `useTable` and `useBucket`. */
  readonly settings?: Partial<Record<EnvVarName, string>>;
}

/**
 * How every function's handler is bundled, the one home of these options (the bench bundles through the
 * stack to use them too). ESM for Node.js 24, minified, the source map beside the bundle. Everything is
 * bundled, the AWS SDK included: the version the tests ran against, not whichever the runtime carries.
 * Code reached only through `import()` goes into chunks of its own that are read at their first use: the
 * workbook reader and the report renderers are half of what ingest and snapshot bundle, and parsing them
 * at every cold start would cost most of its time (bench/cold-start.ts).
 */
export const BUNDLING = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies still call require(), which ESM does not define.
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  minify: true,
  sourcemap: true,
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** Bundles one handler module with the local esbuild, into the folder CDK stages as the function's asset. */
class LocalBundler implements ILocalBundling {
  /** A property, not a closure: CDK keys its cache of staged assets on these options, serialized. */
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    buildSync({ ...BUNDLING, entryPoints: { index: path.join(PROJECT_ROOT, this.entry) }, outdir: outputDir });
    return true;
  }
}

/** CDK asks bundled assets for an image to fall back on; the stack's local bundlers never decline, so none is pulled. */
export const UNUSED_BUNDLING_IMAGE = DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x');

/** A handler module bundled locally; the asset's hash is that of the bundle. */
function bundled(entry: string): lambda.Code {
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: UNUSED_BUNDLING_IMAGE,
      local: new LocalBundler(entry),
    },
  });
}

/**
 * A Node.js 24 function bundled locally by esbuild as ESM, traced, logging JSON to its own log group.
 * Its role starts with nothing but its own log group and X-Ray: `useTable` and `useBucket` add each
 * permission together with the environment variable that goes with it.
 */
export class PipelineFunction extends Construct {
  readonly function: lambda.Function;
  readonly serviceName: string;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    this.serviceName = props.serviceName;

    // An explicit role instead of AWSLambdaBasicExecutionRole, whose log permissions cover every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, 'Function', {
      code: bundled(props.entry),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      // No NODE_OPTIONS=--enable-source-maps: Node would parse each bundle's source map at every cold start
      // (bench/cold-start.ts measures what that costs). The map ships beside the bundle; see the README's Operations.
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        ...props.settings,
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray accepts trace segments and telemetry on no narrower resource than "*".',
    });
  }

  /** Lets the function use the table's items and tells it the table's name. */
  useTable(table: SecureTable, use: TableUse): void {
    this.function.addEnvironment(use.envVar, table.tableName);
    table.grant(this.role, ...TABLE_ACTIONS[use.access]);
    // The table's key must be usable for the items to be: reads decrypt, writes encrypt; through DynamoDB, for this table only.
    if (table.encryptionKey) {
      allowKeyVia(this.role, table.encryptionKey, use.access === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], {
        service: 'dynamodb',
        context: { name: 'aws:dynamodb:tableName', values: [table.tableName] },
      });
    }
  }

  /** Lets the function read and/or write objects under the given prefixes, and optionally tells it the bucket's name. */
  useBucket(bucket: SecureBucket, use: BucketUse): void {
    if (use.envVar) this.function.addEnvironment(use.envVar, bucket.bucketName);
    if (use.read) allowObjects(this.role, bucket, use.read, ['s3:GetObject', 's3:GetObjectVersion']);
    if (use.write) allowObjects(this.role, bucket, use.write, ['s3:PutObject']);
    if (use.list) allowListing(this.role, bucket, use.list);
  }
}

export interface PipelineScheduleProps {
  readonly target: PipelineFunction;
  /** What the schedule is for; the time zone is added. */
  readonly description: string;
  /** When it runs, in the district's time zone. */
  readonly cron: Omit<CronOptionsWithTimezone, 'timeZone'>;
  /** Where an invocation goes that the scheduler gave up on; its key is granted to the schedule's role. */
  readonly deadLetterQueue: SecureQueue;
}

/**
 * An EventBridge Scheduler schedule in the district's time zone that invokes one function with `{}`,
 * retried 5 times for up to 6 hours and then dead-lettered, through a role of its own (`<id>Role`)
 * that may invoke that function and nothing else.
 */
export class PipelineSchedule extends Schedule {
  constructor(scope: Construct, id: string, props: PipelineScheduleProps) {
    const { target, deadLetterQueue } = props;
    const role = new iam.Role(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    // The dead-letter queue is encrypted; LambdaInvoke grants the SendMessage, not the key: through SQS, for that queue only.
    if (deadLetterQueue.encryptionMasterKey) {
      allowKeyVia(role, deadLetterQueue.encryptionMasterKey, ['kms:GenerateDataKey', 'kms:Decrypt'], {
        service: 'sqs',
        context: { name: 'aws:sqs:arn', values: [deadLetterQueue.queueArn] },
      });
    }
    const stack = Stack.of(scope);
    const functionId: unknown = stack.resolve(stack.getLogicalId(target.function.node.defaultChild as lambda.CfnFunction));
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${String(functionId)}.Arn>:*]`,
      reason: 'The scheduler target grant covers the versions and aliases of this one function.',
    });
    super(scope, id, {
      description: `${props.description} in the district time zone`,
      schedule: ScheduleExpression.cron({ ...props.cron, timeZone: TimeZone.of(DISTRICT_TIME_ZONE) }),
      target: new LambdaInvoke(target.function, {
        role,
        input: ScheduleTargetInput.fromObject({}),
        retryAttempts: 5,
        maxEventAge: Duration.hours(6),
        deadLetterQueue,
      }),
    });
  }
}

const KMS_ACTIONS = { read: ['kms:Decrypt'], write: ['kms:GenerateDataKey'] } as const;

/** How a role may use a customer-managed key: through which service, for what. */
export interface KeyUse {
  readonly service: 's3' | 'dynamodb' | 'sqs' | 'secretsmanager';
  /**
   * The encryption context entry the service sends (`aws:s3:arn`, `aws:dynamodb:tableName`, `aws:sqs:arn`)
   * and the values, or patterns, it may have: which bucket, table or queue the key is used for.
   */
  readonly context: { readonly name: string; readonly values: readonly string[] };
}

/** Lets a role use a key only through one service (`kms:ViaService`) and only for what the encryption context names. */
export function allowKeyVia(role: iam.IRole, key: kms.IKey, actions: readonly string[], use: KeyUse): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...actions],
      resources: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `${use.service}.${Stack.of(role).region}.amazonaws.com` },
        StringLike: { [`kms:EncryptionContext:${use.context.name}`]: [...use.context.values] },
      },
    }),
  );
}

/**
 * What an upload may say about its encryption, for a bucket whose default is its customer-managed key.
 * IAM sees only the request's headers, not the encryption S3 then applies: a put without them is
 * encrypted with the bucket's key by default and is allowed; one that names an encryption must name
 * SSE-KMS with that very key. No customer-provided key (SSE-C), which the pipeline could not read.
 * A put naming aws:kms without a key would get the account's aws/s3 key: refused by `denyAwsManagedKey`.
 */
function putEncryptionConditions(key: kms.IKey): Record<string, Record<string, unknown>> {
  return {
    StringEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': key.keyArn },
    Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'true' },
  };
}

/**
 * Lets an AWS service use a key on behalf of the resources whose ARNs match `sourceArn`, in this account only:
 * an ARN without an account (a bucket's) or a pattern would otherwise also let the same names elsewhere in.
 * Returns the condition, for the service's other grants on the same resources.
 */
export function allowServiceToUseKey(key: kms.IKey, service: string, sourceArn: string): Record<string, Record<string, string>> {
  const fromSource = { ArnLike: { 'aws:SourceArn': sourceArn }, StringEquals: { 'aws:SourceAccount': Stack.of(key).account } };
  key.addToResourcePolicy(
    new iam.PolicyStatement({ principals: [new iam.ServicePrincipal(service)], actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['*'], conditions: fromSource }),
  );
  return fromSource;
}

/**
 * Allows actions on the objects under one prefix, with the KMS use that goes with them when the bucket
 * has a customer-managed key, only through S3 and only for this bucket: every SecureBucket has a bucket
 * key, with which S3's encryption context is the bucket's ARN (a put that turns the bucket key off would
 * have the object's ARN, and is refused by KMS). Puts must leave the encryption to the bucket or name its
 * key (`putEncryptionConditions`). The object wildcard is the point of a prefix grant, so its cdk-nag
 * finding is acknowledged here, for this prefix alone.
 */
export function allowObjects(role: iam.Role, bucket: s3.Bucket, prefix: KeyPrefix, actions: string[]): void {
  const objects = bucket.arnForObjects(`${prefix}*`);
  const puts = actions.includes('s3:PutObject');
  const key = bucket.encryptionKey;
  iam.Grant.addToPrincipal({ grantee: role, actions, resourceArns: [objects], conditions: puts && key ? putEncryptionConditions(key) : undefined });
  const bucketId: unknown = Stack.of(bucket).resolve(Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket));
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${String(bucketId)}.Arn>/${prefix}*]`,
    reason: `Object names are chosen by whoever uploads them; the grant covers ${actions.join(', ')} under ${prefix} only.`,
  });
  if (!key) return;
  if (puts) denyAwsManagedKey(role, objects);
  allowKeyVia(role, key, puts ? [...KMS_ACTIONS.read, ...KMS_ACTIONS.write] : [...KMS_ACTIONS.read], {
    service: 's3',
    context: { name: 'aws:s3:arn', values: [bucket.bucketArn] },
  });
}

/** Refuses a put that names SSE-KMS without a key: S3 would encrypt it with the account's aws/s3 key, not the bucket's. */
function denyAwsManagedKey(role: iam.Role, objects: string): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['s3:PutObject'],
      resources: [objects],
      conditions: {
        StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' },
      },
    }),
  );
}

/** Lets a role list the keys under one prefix of a bucket, and no others. */
export function allowListing(role: iam.Role, bucket: s3.IBucket, prefix: KeyPrefix): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
  );
}

/** A principal tag the caller of `sts:AssumeRole` must carry: the tag is what says who the caller is. */
export interface PrincipalTag {
  readonly key: string;
  readonly value: string;
}

/** Who may assume a role that people or their tools use. */
export interface RoleTrust {
  /** The account or IAM principal trusted. @default the deploying account: those of its identities whose own policies allow it */
  readonly principal?: iam.IPrincipal;
  /** Asked of every caller, as `aws:PrincipalTag/<key>`: a role nobody is tagged for cannot be assumed. */
  readonly principalTag: PrincipalTag;
  /** Asked as `sts:ExternalId`, for a tool that assumes the role from another account. @default none asked */
  readonly externalId?: string;
}

/** The trusted principal with the conditions every assume-role call must meet. */
export function assumableBy(trust: RoleTrust): iam.IPrincipal {
  const { principal = new iam.AccountRootPrincipal(), principalTag, externalId } = trust;
  return new iam.PrincipalWithConditions(principal, {
    StringEquals: {
      [`aws:PrincipalTag/${principalTag.key}`]: principalTag.value,
      ...(externalId === undefined ? {} : { 'sts:ExternalId': externalId }),
    },
  });
}
