import { z } from 'zod';
import { dueDaySchema } from './calendar.js';

/** Environment variable names shared by the functions and the stack that sets them. */
export const ENV = {
  observationsTable: 'OBSERVATIONS_TABLE_NAME',
  snapshotBucket: 'SNAPSHOT_BUCKET_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  /** The day of the month by which every department's workbook for the month before is due. */
  dueDay: 'REPORTING_DUE_DAY',
} as const;

/**
 * Delivery limits shared by the stack and the local run, so that both give up on a message alike.
 * A workbook that fails this many receives goes to the dead-letter queue.
 */
export const DELIVERY = { maxReceiveCount: 3 } as const;

const named = (name: string) => z.string({ error: `${name} must be set` }).min(1, `${name} must not be empty`);

/** What each variable must hold; a value that does not fit fails at cold start, naming the variable. */
const SCHEMAS = {
  observationsTable: named(ENV.observationsTable),
  snapshotBucket: named(ENV.snapshotBucket),
  idempotencyTable: named(ENV.idempotencyTable),
  dueDay: named(ENV.dueDay).pipe(dueDaySchema<string>(ENV.dueDay)),
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
