import { z } from 'zod';

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

/**
 * Reads and validates a function's configuration once, at cold start.
 * A missing or empty variable fails fast with its name.
 */
export function readConfig<K extends keyof typeof ENV>(keys: readonly K[], env: NodeJS.ProcessEnv = process.env): Record<K, string> {
  const shape = Object.fromEntries(
    keys.map((k) => [ENV[k], z.string({ error: `${ENV[k]} must be set` }).min(1, `${ENV[k]} must not be empty`)]),
  );
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return Object.fromEntries(keys.map((k) => [k, parsed.data[ENV[k]]])) as Record<K, string>;
}
