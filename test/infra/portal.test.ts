import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { App, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import { DepartmentMetricsStack } from '../../infra/pipeline-stack.js';
import { stackConfigOf } from '../../infra/stack-config.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { DEFAULT_DUE_DAY } from '../../shared/calendar.js';
import { ENV } from '../../shared/config.js';
import { PORTAL_CONFIG_FILE } from '../../shared/portal/contract.js';
import { securityHeaders } from '../../shared/portal/security-headers.js';

// The feature flags `cdk synth` applies, so the template under test is the one that gets deployed.
const { context } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};
const departments = catalog.departments.map((d) => d.id);

let stack: DepartmentMetricsStack;
let template: Template;
let resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[] }>;

beforeAll(() => {
  const config = stackConfigOf((key) => ({ env: 'prod', portalMaxUploadMb: '25' })[key], departments);
  stack = new DepartmentMetricsStack(new App({ context }), 'Portal', { config });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const resolve = (value: unknown) => stack.resolve(value);
const portal = () => stack.portal;
/** The logical id behind a token that CloudFormation renders as `{ Ref: id }`. */
const logicalIdOf = (token: string): string => (resolve(token) as { Ref: string }).Ref;
const propertiesOf = (token: string) => resources[logicalIdOf(token)]?.Properties ?? {};
const distributionConfig = () => propertiesOf(portal().distribution.distributionId).DistributionConfig as Record<string, unknown>;
const distributionDomain = () => resolve(portal().distribution.distributionDomainName) as unknown;

/** Every statement of the policies attached to the API function's role. */
function apiStatements(): Statement[] {
  const roleId = logicalIdOf(portal().function.role.roleName);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((r) => isDeepStrictEqual(r, { Ref: roleId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** What each resource refers to: Ref, GetAtt, Fn::Sub and DependsOn, as CloudFormation orders creation by. */
function referencesOf(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencesOf(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'Ref' && typeof item === 'string' && item in resources) found.add(item);
      else if (key === 'Fn::GetAtt') found.add(String(asArray(item as string | string[])[0]).split('.')[0] ?? '');
      else if (key === 'Fn::Sub') {
        for (const [, name = ''] of String(asArray(item as unknown[])[0]).matchAll(/\$\{([^}.!]+)/g)) if (name in resources) found.add(name);
        referencesOf(item, found);
      } else referencesOf(item, found);
    }
  }
  return found;
}

const dependenciesOf = (id: string): string[] => {
  const resource = resources[id];
  return [...referencesOf(resource?.Properties ?? {}), ...asArray(resource?.DependsOn ?? [])];
};

/** Every resource `id` waits for, directly or not; throws on a cycle, which CloudFormation refuses to deploy. */
function waitsFor(id: string, path: string[] = [], done = new Map<string, Set<string>>()): Set<string> {
  const known = done.get(id);
  if (known) return known;
  if (path.includes(id)) throw new Error(`dependency cycle: ${[...path.slice(path.indexOf(id)), id].join(' → ')}`);
  const all = new Set<string>();
  for (const dependency of dependenciesOf(id)) {
    all.add(dependency);
    for (const further of waitsFor(dependency, [...path, id], done)) all.add(further);
  }
  done.set(id, all);
  return all;
}

describe('user pool', () => {
  it('lets only an administrator create users, who sign in with a username and have an e-mail address', () => {
    expect(propertiesOf(portal().userPool.userPoolId)).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: [{ Name: 'email', Required: true, Mutable: true }],
    });
    expect(propertiesOf(portal().userPool.userPoolId)).not.toHaveProperty('UsernameAttributes');
    expect(propertiesOf(portal().userPool.userPoolId)).not.toHaveProperty('AliasAttributes');
  });

  it('asks passwords of 12 characters or more with upper and lower case, digits and symbols', () => {
    expect(propertiesOf(portal().userPool.userPoolId).Policies).toEqual({
      PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7 },
    });
  });

  it('offers TOTP as an optional second factor, and recovers accounts by e-mail only', () => {
    expect(propertiesOf(portal().userPool.userPoolId)).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('is protected from deletion and retained when the stack goes', () => {
    const id = logicalIdOf(portal().userPool.userPoolId);
    expect(resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
  });

  it('invites users in Chinese, then English', () => {
    const invitation = (propertiesOf(portal().userPool.userPoolId).AdminCreateUserConfig as { InviteMessageTemplate: Record<string, string> }).InviteMessageTemplate;
    expect(invitation.EmailSubject).toMatch(/^[^A-Za-z]+ [A-Z]/);
    expect(invitation.EmailMessage).toMatch(/^您的用户名是 \{username\}.*\{####\}.*Your username is \{username\}/);
  });

  it('has exactly the groups of the roles: a clerks and a heads group per catalog department, and office', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((group) => group.Properties.GroupName as string);
    expect(groups.sort()).toEqual([...departments.flatMap((d) => [`clerk:${d}`, `head:${d}`]), 'office'].sort());
    template.allResourcesProperties('AWS::Cognito::UserPoolGroup', { UserPoolId: resolve(portal().userPool.userPoolId) });
  });

  it('signs in on the managed login of the configured domain prefix, branded for the page', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'department-metrics-prod',
      ManagedLoginVersion: 2,
      UserPoolId: resolve(portal().userPool.userPoolId),
    });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: resolve(portal().client.userPoolClientId),
      UseCognitoProvidedValues: true,
    });
  });

  it("the page's app client has no secret, takes the code grant back to the page, and keeps ID tokens an hour", () => {
    const page = { 'Fn::Join': ['', ['https://', distributionDomain(), '/']] };
    expect(propertiesOf(portal().client.userPoolClientId)).toEqual({
      UserPoolId: resolve(portal().userPool.userPoolId),
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [page],
      LogoutURLs: [page],
      SupportedIdentityProviders: ['COGNITO'],
      IdTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes' },
      PreventUserExistenceErrors: 'ENABLED',
    });
  });
});

describe('HTTP API', () => {
  it('has one route, ANY /api/{proxy+}, to the function, through a JWT authorizer whose audience is the app client', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    const [route] = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(route?.Properties).toMatchObject({ RouteKey: 'ANY /api/{proxy+}', AuthorizationType: 'JWT' });
    const authorizer = resources[(route?.Properties.AuthorizerId as { Ref: string }).Ref];
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [resolve(portal().client.userPoolClientId)],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', resolve(portal().userPool.userPoolId)]] },
      },
    });
    const integration = resources[String((route?.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1].Ref)];
    expect(integration?.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', IntegrationUri: resolve(portal().function.function.functionArn) });
  });

  it('has no CORS: the page reaches it on its own origin', () => {
    expect(propertiesOf(portal().api.apiId)).not.toHaveProperty('CorsConfiguration');
  });

  it('throttles its default stage to 50 requests a second, 100 at once, and logs each request as JSON for a year', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: resolve(portal().accessLogs.logGroupArn) },
    });
    const format = JSON.parse((stage?.Properties.AccessLogSettings as { Format: string }).Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
    expect(propertiesOf(portal().accessLogs.logGroupName)).toEqual({ RetentionInDays: 365 });
  });
});

describe('API function', () => {
  it('has 1 GB and 10 seconds, and is told its tables, buckets and settings, never a key set of its own', () => {
    const fn = propertiesOf(portal().function.function.functionName);
    expect(fn).toMatchObject({ MemorySize: 1024, Timeout: 10, Runtime: 'nodejs24.x' });
    const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'department-metrics-api',
      POWERTOOLS_METRICS_NAMESPACE: 'DepartmentMetrics/prod',
      [ENV.dueDay]: String(DEFAULT_DUE_DAY),
      [ENV.userPoolId]: resolve(portal().userPool.userPoolId),
      [ENV.userPoolClientId]: resolve(portal().client.userPoolClientId),
      [ENV.maxUploadBytes]: '25',
      [ENV.observationsTable]: resolve(stack.observationsTable.tableName),
      // Returns and approvals are told through the notice queue.
      [ENV.noticeQueueUrl]: resolve(stack.notifications.queue.queueUrl),
      [ENV.uploadBucket]: resolve(stack.uploadBucket.bucketName),
      [ENV.snapshotBucket]: resolve(stack.snapshotBucket.bucketName),
    });
    expect(Object.keys(variables)).not.toContain(ENV.userPoolJwks);
  });

  it('may put objects only under incoming/ and reports/ (a returned month\'s copy), read them and snapshots/, list reports/, and get, query and put items (uploads and sign-off), no more', () => {
    const grants = new Map<string, { resource: unknown; condition?: unknown }[]>();
    for (const statement of apiStatements().filter((s) => s.Effect === 'Allow')) {
      for (const action of asArray(statement.Action).filter((a) => /^(s3|dynamodb):/.test(a))) {
        const granted = asArray(statement.Resource).map((resource) => ({ resource, ...(statement.Condition ? { condition: statement.Condition } : {}) }));
        grants.set(action, [...(grants.get(action) ?? []), ...granted]);
      }
    }
    const table = [{ resource: resolve(stack.observationsTable.tableArn) }];
    const reads = [
      { resource: resolve(stack.snapshotBucket.arnForObjects('snapshots/*')) },
      { resource: resolve(stack.uploadBucket.arnForObjects('incoming/*')) },
      { resource: resolve(stack.uploadBucket.arnForObjects('reports/*')) },
    ];
    const encrypted = {
      StringEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': resolve(stack.dataKey.keyArn) },
      Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'true' },
    };
    expect(Object.fromEntries(grants)).toEqual({
      'dynamodb:GetItem': table,
      'dynamodb:Query': table,
      'dynamodb:PutItem': table,
      's3:PutObject': [
        { resource: resolve(stack.uploadBucket.arnForObjects('incoming/*')), condition: encrypted },
        { resource: resolve(stack.uploadBucket.arnForObjects('reports/*')), condition: encrypted },
      ],
      's3:GetObject': reads,
      's3:GetObjectVersion': reads,
      's3:ListBucket': [{ resource: resolve(stack.uploadBucket.bucketArn), condition: { StringLike: { 's3:prefix': ['reports/*'] } } }],
    });
  });
});

describe('page', () => {
  const origins = () => ({
    upload: `https://${String(stack.uploadBucket.bucketRegionalDomainName)}`,
    signIn: portal().signInDomain.baseUrl(),
  });

  it('every response carries the security headers of shared/portal/security-headers.ts, with the upload bucket and sign-in domain as origins', () => {
    const policy = propertiesOf(portal().responseHeadersPolicy.responseHeadersPolicyId).ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const config = policy.SecurityHeadersConfig;
    const hsts = config.StrictTransportSecurity ?? {};
    // The headers as a browser receives them, rebuilt from what CloudFront is told to send.
    const sent = {
      'content-security-policy': config.ContentSecurityPolicy?.ContentSecurityPolicy,
      'strict-transport-security': `max-age=${String(hsts.AccessControlMaxAgeSec)}${hsts.IncludeSubdomains ? '; includeSubDomains' : ''}${hsts.Preload ? '; preload' : ''}`,
      'x-content-type-options': config.ContentTypeOptions ? 'nosniff' : undefined,
      'x-frame-options': config.FrameOptions?.FrameOption,
      'referrer-policy': config.ReferrerPolicy?.ReferrerPolicy,
    };
    const expected = Object.fromEntries(Object.entries(securityHeaders(origins())).map(([name, value]) => [name, resolve(value)]));
    expect(sent).toEqual(expected);
    expect(Object.values(config).every((header) => header.Override === true)).toBe(true);
    expect(JSON.stringify(expected['content-security-policy'])).toContain('RegionalDomainName');
    expect(JSON.stringify(expected['content-security-policy'])).toContain('.amazoncognito.com');
  });

  it('is served by CloudFront from the private portal bucket through origin access control, index.html at the root, HTTP redirected', () => {
    const config = distributionConfig();
    const origins = config.Origins as { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown }[];
    const s3 = origins.find((o) => isDeepStrictEqual(o.DomainName, resolve(portal().pageBucket.bucketRegionalDomainName)));
    expect(s3).toMatchObject({ S3OriginConfig: { OriginAccessIdentity: '' }, OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] } });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    expect(config).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: {
        TargetOriginId: s3?.Id,
        ViewerProtocolPolicy: 'redirect-to-https',
        ResponseHeadersPolicyId: resolve(portal().responseHeadersPolicy.responseHeadersPolicyId),
      },
    });
  });

  it('sends /api/* to the HTTP API uncached, with every method and every viewer header but Host, over HTTPS only', () => {
    const config = distributionConfig();
    const behaviors = config.CacheBehaviors as Record<string, unknown>[];
    expect(behaviors).toHaveLength(1);
    const origins = config.Origins as { Id: string; DomainName: unknown; CustomOriginConfig?: unknown }[];
    const api = origins.find((o) => o.Id === behaviors[0]?.TargetOriginId);
    expect(api).toMatchObject({
      DomainName: { 'Fn::Join': ['', [resolve(portal().api.apiId), '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    expect(behaviors[0]).toMatchObject({
      PathPattern: '/api/*',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      ResponseHeadersPolicyId: resolve(portal().responseHeadersPolicy.responseHeadersPolicyId),
      ViewerProtocolPolicy: 'https-only',
    });
  });

  it("logs every request to a bucket of its own, which takes CloudFront's ACL-written logs as the bucket owner's", () => {
    expect(distributionConfig().Logging).toEqual({ Bucket: resolve(portal().distributionLogsBucket.bucketRegionalDomainName), Prefix: 'portal/' });
    expect(propertiesOf(portal().distributionLogsBucket.bucketName)).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: resolve(stack.accessLogsBucket.bucketName), LogFilePrefix: 'portal-logs/' },
    });
    expect(propertiesOf(portal().pageBucket.bucketName)).toMatchObject({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
  });

  it('deploys the built page with its config.json for the user pool, and invalidates every path', () => {
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    const properties = deployment?.Properties as { SourceObjectKeys: string[]; SourceMarkers: Record<string, unknown>[] } & Record<string, unknown>;
    expect(properties).toMatchObject({
      DestinationBucketName: resolve(portal().pageBucket.bucketName),
      DistributionId: resolve(portal().distribution.distributionId),
      DistributionPaths: ['/*'],
      Prune: true,
    });
    // The config is staged with a marker for each deploy-time value; CloudFormation puts in the values.
    const outdir = Stage.of(stack)?.outdir ?? '';
    const index = properties.SourceMarkers.findIndex((markers) => Object.keys(markers).length > 0);
    const staged = readFileSync(join(outdir, `asset.${String(properties.SourceObjectKeys[index]).replace(/\.zip$/, '')}`, PORTAL_CONFIG_FILE), 'utf8');
    const markers = properties.SourceMarkers[index] ?? {};
    const filled = Object.entries(markers).reduce((text, [marker, value]) => text.replaceAll(marker, `«${JSON.stringify(value).replaceAll('"', "'")}»`), staged);
    const deployed = (token: string) => `«${JSON.stringify(resolve(token)).replaceAll('"', "'")}»`;
    expect(JSON.parse(filled)).toEqual({
      signIn: 'cognito',
      domain: `https://${deployed(portal().signInDomain.domainName)}.auth.«{'Ref':'AWS::Region'}».amazoncognito.com`,
      clientId: deployed(portal().client.userPoolClientId),
      redirectUri: `https://${deployed(portal().distribution.distributionDomainName)}/`,
    });
  });
});

describe('uploads from the page', () => {
  it("the upload bucket takes POSTs, and their preflights, from the portal's origin alone", () => {
    const [cors] = Object.values(template.findResources('Custom::AWS')).filter((r) => JSON.stringify(r.Properties.Create).includes('PutBucketCors'));
    const call = (resolve(cors?.Properties.Create) as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    // The call's JSON with its deploy-time values as they are rendered, to read back.
    const rendered = JSON.parse(call.map((part) => (typeof part === 'string' ? part : `«${JSON.stringify(part).replaceAll('"', "'")}»`)).join('')) as {
      action: string;
      parameters: { Bucket: string; CORSConfiguration: unknown };
    };
    const token = (value: unknown) => `«${JSON.stringify(value).replaceAll('"', "'")}»`;
    expect(rendered.action).toBe('PutBucketCors');
    expect(rendered.parameters).toEqual({
      Bucket: token(resolve(stack.uploadBucket.bucketName)),
      CORSConfiguration: { CORSRules: [{ AllowedMethods: ['POST'], AllowedOrigins: [`https://${token(distributionDomain())}`], AllowedHeaders: ['*'] }] },
    });
    expect(propertiesOf(stack.uploadBucket.bucketName)).not.toHaveProperty('CorsConfiguration');
  });

  it('nothing depends on itself, and the distribution waits for neither the API function nor the upload CORS rule', () => {
    expect(() => Object.keys(resources).forEach((id) => waitsFor(id))).not.toThrow();
    const distribution = logicalIdOf(portal().distribution.distributionId);
    const fn = logicalIdOf(portal().function.function.functionName);
    const cors = Object.keys(template.findResources('Custom::AWS'));
    const waits = waitsFor(distribution);
    expect(cors).toHaveLength(1);
    expect([fn, ...cors].filter((id) => waits.has(id))).toEqual([]);
    expect(waits.has(logicalIdOf(stack.uploadBucket.bucketName))).toBe(true);
    expect(waitsFor(fn).has(distribution)).toBe(true);
  });
});
