import { z } from 'zod';
import { DEFAULT_DUE_DAY, dueDaySchema } from '../shared/calendar.js';
import { DEFAULT_MAX_UPLOAD_MB } from '../shared/config.js';

/** An account id, or the ARN of an account root, a role or a user, in any partition. */
const principal = (name: string) =>
  z
    .string()
    .regex(/^(\d{12}|arn:aws(-[a-z]+)*:iam::\d{12}:(root|(role|user)\/[\w+=,.@/-]+))$/, `${name} must be a 12-digit account id or an IAM ARN (…:root, …:role/…, …:user/…)`)
    .optional();
/** IAM tag keys and values: letters, digits, spaces and _ . : / = + - @; keys starting with aws: are reserved. */
const TAG_TEXT = /^[\p{L}\p{N}\s_.:/=+\-@]+$/u;
const tagKey = (name: string) =>
  z
    .string()
    .max(128)
    .regex(TAG_TEXT, `${name} may hold letters, digits, spaces and _ . : / = + - @`)
    .refine((key) => !key.toLowerCase().startsWith('aws:'), `${name} must not start with aws:, which AWS reserves`);

/** What differs between instances of the stack: `dev` and `prod` live side by side in one account. */
const stackConfigSchema = z.object({
  /** Part of the stack name and of the metrics namespace; resources get generated, stack-prefixed names. */
  envName: z.string().regex(/^[a-z][a-z0-9-]*$/, 'env must be lowercase letters, digits and dashes, starting with a letter'),
  /** Catalog department ids: one upload role each. */
  departments: z.array(z.string().min(1)).min(1),
  /** The default of the AlarmEmail stack parameter; without it, deploying asks for the parameter. */
  alarmEmail: z.email().optional(),
  /** The default of the NoticeSenderAddress stack parameter; without it, deploying asks for the parameter. */
  noticeSender: z.email().optional(),
  /** Working days before the due day on which the departments that have not submitted are reminded. */
  reminderDays: z.coerce.number().int().min(1).max(10).default(3),
  /** The day of the month by which last month's workbooks are due. */
  dueDay: dueDaySchema('dueDay').default(DEFAULT_DUE_DAY),
  /** Ingest functions running at once: bounds the table's write rate when many files arrive together. */
  ingestConcurrency: z.coerce.number().int().min(2).max(100).default(5),
  /** Who may assume the upload roles, as an account id or IAM ARN. @default the deploying account */
  uploadPrincipal: principal('uploadPrincipal'),
  /** The principal tag holding a clerk's department: the role of `science` asks `aws:PrincipalTag/<key>` = `science`. @default 'department' */
  departmentTag: tagKey('departmentTag').default('department'),
  /** Who may assume the BI role, as an account id or IAM ARN. @default the deploying account */
  biPrincipal: principal('biPrincipal'),
  /** The principal tag a BI caller must carry, with `biTagValue`. @default 'department-metrics' */
  biTagKey: tagKey('biTagKey').default('department-metrics'),
  /** @default 'bi' */
  biTagValue: z.string().max(256).regex(TAG_TEXT, 'biTagValue may hold letters, digits, spaces and _ . : / = + - @').default('bi'),
  /** The `sts:ExternalId` a BI tool in another account must send. @default none asked */
  biExternalId: z
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, 'biExternalId must be 2 to 1224 letters, digits or _ + = , . @ : / -')
    .optional(),
  /**
   * The prefix of the portal's sign-in domain, `<prefix>.auth.<region>.amazoncognito.com`: unique in its region
   * across all accounts, hence a setting. @default 'department-metrics-<envName>'
   */
  portalDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'portalDomainPrefix must be 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen')
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'portalDomainPrefix must not contain aws, amazon or cognito, which Cognito reserves'),
  /** The most MiB one upload through the portal may have. @default DEFAULT_MAX_UPLOAD_MB */
  portalMaxUploadMb: z.coerce.number().int().min(1).max(5120, 'portalMaxUploadMb is at most 5120: S3 takes no larger POST').default(DEFAULT_MAX_UPLOAD_MB),
});

export type StackConfig = z.infer<typeof stackConfigSchema>;

/** The configuration from CDK context (`-c env=prod -c dueDay=12`), with the catalog's departments. */
export function stackConfigOf(context: (key: string) => unknown, departments: readonly string[]): StackConfig {
  const envName = context('env') ?? 'dev';
  const parsed = stackConfigSchema.safeParse({
    envName,
    departments,
    alarmEmail: context('alarmEmail'),
    noticeSender: context('noticeSender'),
    reminderDays: context('reminderDays'),
    dueDay: context('dueDay'),
    ingestConcurrency: context('ingestConcurrency'),
    uploadPrincipal: context('uploadPrincipal'),
    departmentTag: context('departmentTag'),
    biPrincipal: context('biPrincipal'),
    biTagKey: context('biTagKey'),
    biTagValue: context('biTagValue'),
    biExternalId: context('biExternalId'),
    portalDomainPrefix: context('portalDomainPrefix') ?? `department-metrics-${String(envName)}`,
    portalMaxUploadMb: context('portalMaxUploadMb'),
  });
  if (!parsed.success) throw new Error(`Invalid CDK context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
