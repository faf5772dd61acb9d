import type { Jwks } from 'aws-jwt-verify/jwk';
import { z } from 'zod';
import { dueDaySchema } from './calendar.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './workbook/limits.js';

/** Environment variable names shared by the functions and the stack that sets them. */
export const ENV = {
  observationsTable: 'OBSERVATIONS_TABLE_NAME',
  snapshotBucket: 'SNAPSHOT_BUCKET_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  /** The day of the month by which every department's workbook for the month before is due. */
  dueDay: 'REPORTING_DUE_DAY',
  /** The read limits of a workbook (ReadLimits), each in its own variable; the size in MiB. */
  maxUncompressedBytes: 'WORKBOOK_MAX_UNPACKED_MB',
  maxCells: 'WORKBOOK_MAX_CELLS',
  maxRows: 'WORKBOOK_MAX_ROWS',
  maxColumns: 'WORKBOOK_MAX_COLUMNS',
  /** The portal's API: where uploads go, whose tokens it takes, and the most bytes an upload through it may have, in MiB. */
  uploadBucket: 'UPLOAD_BUCKET_NAME',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  /** The user pool's public keys as JSON, given rather than fetched: set by the local run only, whose pool Cognito does not know. */
  userPoolJwks: 'USER_POOL_JWKS',
  maxUploadBytes: 'UPLOAD_MAX_MB',
  /** Notices (shared/notify): the queue functions put requests on, the record of what was sent, who sends. */
  noticeQueueUrl: 'NOTICE_QUEUE_URL',
  sentNoticesTable: 'SENT_NOTICES_TABLE_NAME',
  /** The SES identity notices are sent from, and the configuration set that handles bounces and complaints. */
  senderAddress: 'NOTICE_SENDER_ADDRESS',
  configurationSet: 'SES_CONFIGURATION_SET',
  /** The contacts document (shared/notify/contacts.ts): a Secrets Manager secret, as webhook URLs hold their keys. */
  contactsSecret: 'CONTACTS_SECRET_ARN',
  /** The portal's address, for the links in notices. */
  portalUrl: 'PORTAL_URL',
  /** How many working days before the due day reminders start. */
  reminderDays: 'REMINDER_WORKING_DAYS',
} as const;

/**
 * Delivery limits shared by the stack and the local run, so that both give up on a message alike.
 * A workbook that fails this many receives goes to the dead-letter queue.
 */
export const DELIVERY = { maxReceiveCount: 3 } as const;

/** A monthly workbook is tens of kilobytes: an upload through the portal may have 20 MiB unless the stack says otherwise. */
export const DEFAULT_MAX_UPLOAD_MB = 20;

/** The keys of a JSON Web Key Set, as aws-jwt-verify takes them; each key is checked by the verifier itself. */
const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional() })).min(1) });

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const named = (name: string) => z.string({ error: `${name} must be set` }).min(1, `${name} must not be empty`);

/** A read limit: unset or empty gives the default; otherwise a positive whole number, times `scale`. */
const limit = (name: string, fallback: number, scale = 1) =>
  z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined || text === '') return fallback;
      const value = Number(text);
      if (Number.isInteger(value) && value > 0) return value * scale;
      context.addIssue({ code: 'custom', message: `${name} must be a positive whole number, not "${text}"` });
      return z.NEVER;
    });

/** How many working days before the due day reminders start, unless the stack says otherwise. */
export const DEFAULT_REMINDER_DAYS = 3;

/** What each variable must hold; a value that does not fit fails at cold start, naming the variable. */
const SCHEMAS = {
  observationsTable: named(ENV.observationsTable),
  snapshotBucket: named(ENV.snapshotBucket),
  idempotencyTable: named(ENV.idempotencyTable),
  dueDay: named(ENV.dueDay).pipe(dueDaySchema<string>(ENV.dueDay)),
  maxUncompressedBytes: limit(ENV.maxUncompressedBytes, DEFAULT_READ_LIMITS.maxUncompressedBytes, 2 ** 20),
  maxCells: limit(ENV.maxCells, DEFAULT_READ_LIMITS.maxCells),
  maxRows: limit(ENV.maxRows, DEFAULT_READ_LIMITS.maxRows),
  maxColumns: limit(ENV.maxColumns, DEFAULT_READ_LIMITS.maxColumns),
  uploadBucket: named(ENV.uploadBucket),
  userPoolId: named(ENV.userPoolId),
  userPoolClientId: named(ENV.userPoolClientId),
  userPoolJwks: z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined || text === '') return undefined;
      const parsed = jwksSchema.safeParse(parseJson(text));
      // The verifier checks each key itself; this only makes sure the setting is a key set at all.
      if (parsed.success) return parsed.data as Jwks;
      context.addIssue({ code: 'custom', message: `${ENV.userPoolJwks} must be a JSON Web Key Set ({"keys": [...]})` });
      return z.NEVER;
    }),
  maxUploadBytes: limit(ENV.maxUploadBytes, DEFAULT_MAX_UPLOAD_MB * 2 ** 20, 2 ** 20),
  noticeQueueUrl: named(ENV.noticeQueueUrl).pipe(z.url(`${ENV.noticeQueueUrl} must be a queue URL`)),
  sentNoticesTable: named(ENV.sentNoticesTable),
  senderAddress: named(ENV.senderAddress).pipe(z.email(`${ENV.senderAddress} must be an e-mail address`)),
  configurationSet: named(ENV.configurationSet),
  contactsSecret: named(ENV.contactsSecret),
  portalUrl: named(ENV.portalUrl).pipe(z.url({ protocol: /^https?$/, error: `${ENV.portalUrl} must be an http(s) URL` })),
  reminderDays: limit(ENV.reminderDays, DEFAULT_REMINDER_DAYS),
} satisfies Record<keyof typeof ENV, z.ZodType>;

type Config<K extends keyof typeof ENV> = { [P in K]: z.infer<(typeof SCHEMAS)[P]> };

/** Reads and validates a function's configuration once, at cold start. */
export function readConfig<K extends keyof typeof ENV>(keys: readonly K[], env: NodeJS.ProcessEnv = process.env): Config<K> {
  const problems: string[] = [];
  const entries = keys.map((key) => {
    const parsed = SCHEMAS[key].safeParse(env[ENV[key]]);
    if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => issue.message));
    return [key, parsed.data] as const;
  });
  if (problems.length > 0) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  return Object.fromEntries(entries) as Config<K>;
}

const READ_LIMIT_KEYS = ['maxUncompressedBytes', 'maxCells', 'maxRows', 'maxColumns'] as const satisfies readonly (keyof ReadLimits)[];

/** The limits a workbook is read with, the one way the ingest function and the CLI's dry run both take them. */
export function readLimits(env: NodeJS.ProcessEnv = process.env): ReadLimits {
  return readConfig(READ_LIMIT_KEYS, env);
}
