import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { AssetHashType, Duration, FileSystem, Stack, Validations, type CfnElement, type ILocalBundling } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigateway from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { ENV } from '../shared/config.js';
import { PORTAL_CONFIG_FILE, type PortalConfig } from '../shared/portal/contract.js';
import { securityHeaders, type PortalOrigins } from '../shared/portal/security-headers.js';
import { roleName, type Role } from '../shared/roles.js';
import { INCOMING_PREFIX, REPORTS_PREFIX, SNAPSHOTS_PREFIX } from '../shared/s3-keys.js';
import { PipelineFunction, PROJECT_ROOT, SecureBucket, UNUSED_BUNDLING_IMAGE, type SecureTable } from './secure-defaults.js';
import { StackPart } from './stack-part.js';

/** Builds the page with the project's Vite into the folder CDK stages as the page's asset. */
class PageBundler implements ILocalBundling {
  /** A property, not a closure: CDK keys its cache of staged assets on these options, serialized. */
  constructor(readonly configFile: string) {}

  tryBundle(outputDir: string): boolean {
    const vite = path.join(PROJECT_ROOT, 'node_modules/vite/bin/vite.js');
    // Vite's progress would drown the synth's own output; its warnings and errors still show.
    execFileSync(process.execPath, [vite, 'build', '--config', this.configFile, '--outDir', outputDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return true;
  }
}

/** What the page is built from: its own folder, the shared code and data it imports, and the locked versions of its tools. */
const PAGE_SOURCES = ['portal', 'shared', 'package-lock.json'] as const;

function pageSourceHash(): string {
  const hash = createHash('sha256');
  for (const source of PAGE_SOURCES) hash.update(FileSystem.fingerprint(path.join(PROJECT_ROOT, source), { exclude: ['node_modules', 'dist'] }));
  return hash.digest('hex');
}

/**
 * CloudFront takes the security headers as typed settings, not as name and value: each of `securityHeaders()` is
 * translated here, and one it does not know fails the synth rather than go unsent.
 */
function securityHeadersBehavior(headers: Record<string, string>): cloudfront.ResponseSecurityHeadersBehavior {
  const behavior: { -readonly [K in keyof cloudfront.ResponseSecurityHeadersBehavior]: cloudfront.ResponseSecurityHeadersBehavior[K] } = {};
  const refuse = (name: string, value: string) => new Error(`CloudFront cannot send the security header ${name}: ${value}`);
  for (const [name, value] of Object.entries(headers)) {
    switch (name) {
      case 'content-security-policy':
        behavior.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'strict-transport-security': {
        const hsts = /^max-age=(\d+)(; includeSubDomains)?(; preload)?$/.exec(value);
        if (!hsts) throw refuse(name, value);
        behavior.strictTransportSecurity = {
          accessControlMaxAge: Duration.seconds(Number(hsts[1])),
          includeSubdomains: hsts[2] !== undefined,
          preload: hsts[3] !== undefined,
          override: true,
        };
        break;
      }
      case 'x-content-type-options':
        if (value !== 'nosniff') throw refuse(name, value);
        behavior.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options': {
        const frameOption = Object.values(cloudfront.HeadersFrameOption).find((option) => option === value);
        if (!frameOption) throw refuse(name, value);
        behavior.frameOptions = { frameOption, override: true };
        break;
      }
      case 'referrer-policy': {
        const referrerPolicy = Object.values(cloudfront.HeadersReferrerPolicy).find((policy) => policy === value);
        if (!referrerPolicy) throw refuse(name, value);
        behavior.referrerPolicy = { referrerPolicy, override: true };
        break;
      }
      default:
        throw refuse(name, value);
    }
  }
  return behavior;
}

/** The logical id of a resource's CloudFormation element, as cdk-nag names it in its findings. */
function logicalIdOf(construct: IConstruct): string {
  const stack = Stack.of(construct);
  return String(stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)));
}

/**
 * The role and log group of a function CDK runs during deployment (copying the page, setting the CORS rule): the role
 * may write to that one-year log group and does what CDK grants it, with no managed policy whose logs cover every group.
 */
class DeploymentFunctionRole extends Construct {
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, description: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    this.logGroup.grantWrite(this.role);
  }

  /** Acknowledges wildcards of CDK's own grants to the role. */
  acknowledgeWildcards(findings: readonly string[], reason: string): void {
    Validations.of(this.role).acknowledge(...findings.map((finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason })));
  }

  /** Acknowledges a finding on the function itself, which CDK creates once per stack, outside the construct that asked for it. */
  acknowledgeFunction(finding: string, reason: string): void {
    const runsWithRole = (child: IConstruct) => child instanceof lambda.Function && child.role === this.role;
    const fn = Stack.of(this).node.children.find(runsWithRole);
    if (!fn) throw new Error(`${this.node.path}: no function of the stack runs with this role`);
    Validations.of(fn).acknowledge({ id: finding, reason });
  }
}

/** Every role of the portal, as the groups of the user pool name them. */
function rolesOf(departments: readonly string[]): Role[] {
  return [...departments.flatMap((department): Role[] => [{ kind: 'clerk', department }, { kind: 'head', department }]), { kind: 'office' }];
}

export interface PortalProps {
  /** Catalog department ids: a clerks' and a heads' group each. */
  readonly departments: readonly string[];
  /** The API records the uploads it grants here, reads the months' figures and writes their sign-off. */
  readonly observationsTable: SecureTable;
  /** Where browsers POST workbooks, under `incoming/`, and the API reads reports, under `reports/`. */
  readonly uploadBucket: SecureBucket;
  /** The API reads snapshots, under `snapshots/`. */
  readonly snapshotBucket: SecureBucket;
  /** Receives the server access logs of the portal's two buckets. */
  readonly accessLogsBucket: SecureBucket;
  readonly metricsNamespace: string;
  /** Day of the following month by which a month's workbooks are on time. */
  readonly dueDay: number;
  /** The sign-in domain's prefix: `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** The most MiB one upload may have. */
  readonly maxUploadMb: number;
  /** @default 'department-metrics-api' */
  readonly serviceName?: string;
  /** Requests per second the API's stage takes, on average. @default 50 */
  readonly throttlingRateLimit?: number;
  /** Requests the API's stage takes at once above the rate. @default 100 */
  readonly throttlingBurstLimit?: number;
}

/**
 * The portal: a page served by CloudFront from a private bucket, its API under `/api/*` of the same origin (an HTTP
 * API whose JWT authorizer takes the user pool's ID tokens, in front of one function), and the user pool whose
 * groups are the roles. Browsers POST workbooks straight to the upload bucket with a policy the API signs; the
 * upload bucket allows that from the portal's origin alone.
 */
export class Portal extends StackPart {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly signInDomain: cognito.UserPoolDomain;
  readonly groups: ReadonlyMap<string, cognito.UserPoolGroup>;
  readonly function: PipelineFunction;
  readonly api: apigateway.HttpApi;
  readonly stage: apigateway.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly pageBucket: SecureBucket;
  /** CloudFront's standard logs of the distribution. */
  readonly distributionLogsBucket: SecureBucket;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  readonly distribution: cloudfront.Distribution;
  /** The page's address, `https://<distribution domain>/`: the app client's callback and logout URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are what give roles: an administrator creates each, and the invitation proves the address.
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: '部门指标门户账户 Department metrics portal account',
        emailBody:
          '您的用户名是 {username}，临时密码是 {####}，请在 7 天内登录并设置新密码。<br>' +
          'Your username is {username} and your temporary password is {####}; sign in within 7 days and choose a new password.',
      },
      // Also the message of a password reset.
      userVerification: {
        emailSubject: '部门指标门户验证码 Department metrics portal verification code',
        emailBody: '您的验证码是 {####}。Your verification code is {####}.',
      },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
    });
    Validations.of(this.userPool).acknowledge(
      { id: 'AwsSolutions-COG2', reason: 'MFA is optional by the product owner\'s choice: every user may turn TOTP on; none is made to.' },
      { id: 'AwsSolutions-COG3', reason: 'Threat protection (advanced security) needs the Plus feature plan, which the district does not buy.' },
      { id: 'AwsSolutions-COG8', reason: 'The Essentials feature plan has the managed login the portal uses; Plus would add threat protection only.' },
    );
    this.groups = new Map(
      rolesOf(props.departments).map((role) => {
        const name = roleName(role);
        const group = new cognito.UserPoolGroup(this, `Group-${name.replace(':', '-')}`, { userPool: this.userPool, groupName: name });
        return [name, group];
      }),
    );

    this.signInDomain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.pageBucket = new SecureBucket(this, 'PortalBucket', {
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'portal/',
      // Every version of the page is rebuilt from the source on deploy; old ones need not be kept long.
      noncurrentVersions: { expireAfter: Duration.days(30) },
    });
    this.distributionLogsBucket = new SecureBucket(this, 'PortalLogsBucket', {
      cloudFrontLogDelivery: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'portal-logs/',
      noncurrentVersions: { expireAfter: Duration.days(90) },
    });

    this.api = new apigateway.HttpApi(this, 'HttpApi', {
      apiName: `${stack.stackName}-portal`,
      description: 'The portal API, reached through the portal distribution under /api/',
      createDefaultStage: false,
    });
    const apiDomain = `${this.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;

    const origins: PortalOrigins = {
      upload: `https://${props.uploadBucket.bucketRegionalDomainName}`,
      signIn: this.signInDomain.baseUrl(),
    };
    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'PortalHeaders', {
      comment: 'Security headers of every portal response (shared/portal/security-headers.ts)',
      securityHeadersBehavior: securityHeadersBehavior(securityHeaders(origins)),
    });
    this.distribution = new cloudfront.Distribution(this, 'PortalDistribution', {
      comment: `Department metrics portal of ${stack.stackName}`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.pageBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(apiDomain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
          // An API call over plain HTTP has already sent its token; it is refused rather than redirected.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Host would name CloudFront, which API Gateway does not serve; Authorization passes since nothing is cached.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.responseHeadersPolicy,
        },
      },
      enableLogging: true,
      logBucket: this.distributionLogsBucket,
      logFilePrefix: 'portal/',
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'The portal serves the district wherever its staff are; every request is signed in, and a geo restriction would add nothing.' },
      { id: 'AwsSolutions-CFR2', reason: 'No WAF: the page is static and every API call needs a user pool token; the API stage is throttled.' },
      { id: 'AwsSolutions-CFR4', reason: 'The distribution uses the default CloudFront certificate, with which CloudFront does not let a minimum viewer TLS version be set.' },
    );
    this.url = `https://${this.distribution.distributionDomainName}/`;

    this.client = this.userPool.addClient('PortalClient', {
      // The page is public code: no secret; the authorization code grant with PKCE instead.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      idTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });
    // The managed login pages are drawn by a branding of the client; Cognito's own look.
    new cognito.CfnManagedLoginBranding(this, 'SignInBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    this.function = new PipelineFunction(this, 'Api', {
      entry: 'functions/api/handler.ts',
      description: 'Answers the portal API: who is signed in, months and their sign-off, uploads, reports and snapshots',
      serviceName: props.serviceName ?? 'department-metrics-api',
      metricsNamespace: props.metricsNamespace,
      // It writes the template workbook in memory.
      memorySize: 1024,
      timeout: Duration.seconds(10),
      settings: {
        [ENV.dueDay]: String(props.dueDay),
        [ENV.userPoolId]: this.userPool.userPoolId,
        [ENV.userPoolClientId]: this.client.userPoolClientId,
        [ENV.maxUploadBytes]: String(props.maxUploadMb),
      },
    });
    this.function.useTable(props.observationsTable, { access: 'readPut', envVar: ENV.observationsTable });
    // It signs presigned POSTs under incoming/; each policy fixes the exact key, in the caller's department.
    this.function.useBucket(props.uploadBucket, { write: INCOMING_PREFIX, read: REPORTS_PREFIX, list: REPORTS_PREFIX, envVar: ENV.uploadBucket });
    // A head's return writes the reason into the month's annotated copy: the upload is read, its copy rewritten.
    this.function.useBucket(props.uploadBucket, { read: INCOMING_PREFIX, write: REPORTS_PREFIX });
    this.function.useBucket(props.snapshotBucket, { read: SNAPSHOTS_PREFIX, envVar: ENV.snapshotBucket });

    this.accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    this.stage = new apigateway.HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttlingRateLimit ?? 50, burstLimit: props.throttlingBurstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigateway.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            user: '$context.authorizer.claims.cognito:username',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.api.addRoutes({
      path: '/api/{proxy+}',
      methods: [apigateway.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('ApiIntegration', this.function.function),
      authorizer: new HttpUserPoolAuthorizer('PortalAuthorizer', this.userPool, { userPoolClients: [this.client] }),
    });

    const pageConfig = {
      signIn: 'cognito',
      domain: this.signInDomain.baseUrl(),
      clientId: this.client.userPoolClientId,
      redirectUri: this.url,
    } satisfies PortalConfig;
    const deployer = new DeploymentFunctionRole(this, 'PortalDeployment', 'Copies the portal page into its bucket and invalidates the distribution');
    new BucketDeployment(this, 'PortalFiles', {
      sources: [
        Source.asset(path.join(PROJECT_ROOT, 'portal'), {
          // Named by its sources, so that one synth builds the page once however many stacks deploy it.
          assetHashType: AssetHashType.CUSTOM,
          assetHash: pageSourceHash(),
          bundling: { image: UNUSED_BUNDLING_IMAGE, local: new PageBundler(path.join(PROJECT_ROOT, 'portal/vite.config.ts')) },
        }),
        Source.jsonData(PORTAL_CONFIG_FILE, pageConfig),
      ],
      destinationBucket: this.pageBucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      role: deployer.role,
      logGroup: deployer.logGroup,
    });
    deployer.acknowledgeWildcards(
      ['Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', 'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*'],
      "CDK's grant to read the page's asset from the deployment's asset bucket.",
    );
    deployer.acknowledgeWildcards(
      ['Action::s3:Abort*', 'Action::s3:DeleteObject*', `Resource::<${logicalIdOf(this.pageBucket)}.Arn>/*`],
      "CDK's grant to replace the page bucket's files, and to delete those no longer in the page.",
    );
    deployer.acknowledgeWildcards(['Resource::*'], 'CloudFront invalidations name no resource narrower than "*".');
    deployer.acknowledgeFunction('AwsSolutions-L1', "CDK's BucketDeployment function runs the Python runtime its AWS CLI layer is built for; CDK moves it on.");

    // The CORS rule names the distribution, whose headers name the upload bucket: set on the bucket after both
    // exist, by a call of its own, since a property of the bucket would make the two depend on each other.
    const uploadCors = {
      Bucket: props.uploadBucket.bucketName,
      CORSConfiguration: { CORSRules: [{ AllowedMethods: ['POST'], AllowedOrigins: [`https://${this.distribution.distributionDomainName}`], AllowedHeaders: ['*'] }] },
    };
    const corsSetter = new DeploymentFunctionRole(this, 'UploadCorsSetter', "Sets the upload bucket's CORS rule for the portal");
    new AwsCustomResource(this, 'UploadCors', {
      onUpdate: { service: 'S3', action: 'PutBucketCors', parameters: uploadCors, physicalResourceId: PhysicalResourceId.of(`${props.uploadBucket.bucketName}-cors`) },
      onDelete: { service: 'S3', action: 'DeleteBucketCors', parameters: { Bucket: props.uploadBucket.bucketName } },
      // S3 authorizes both calls as s3:PutBucketCORS.
      policy: AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [props.uploadBucket.bucketArn] })]),
      installLatestAwsSdk: false,
      role: corsSetter.role,
      logGroup: corsSetter.logGroup,
    });
  }
}
