import { z } from 'zod';
import { DEFAULT_DUE_DAY, dueDaySchema } from '../shared/calendar.js';

/** What differs between instances of the stack: `dev` and `prod` live side by side in one account. */
const stackConfigSchema = z.object({
  /** Part of the stack name and of the metrics namespace; resources get generated, stack-prefixed names. */
  envName: z.string().regex(/^[a-z][a-z0-9-]*$/, 'env must be lowercase letters, digits and dashes, starting with a letter'),
  /** Catalog department ids: one upload role each. */
  departments: z.array(z.string().min(1)).min(1),
  /** The default of the AlarmEmail stack parameter; without it, deploying asks for the parameter. */
  alarmEmail: z.email().optional(),
  /** The day of the month by which last month's workbooks are due. */
  dueDay: dueDaySchema('dueDay').default(DEFAULT_DUE_DAY),
  /** Ingest functions running at once: bounds the table's write rate when many files arrive together. */
  ingestConcurrency: z.coerce.number().int().min(2).max(100).default(5),
});

export type StackConfig = z.infer<typeof stackConfigSchema>;

/** The configuration from CDK context (`-c env=prod -c dueDay=12`), with the catalog's departments. */
export function stackConfigOf(context: (key: string) => unknown, departments: readonly string[]): StackConfig {
  const parsed = stackConfigSchema.safeParse({
    envName: context('env') ?? 'dev',
    departments,
    alarmEmail: context('alarmEmail'),
    dueDay: context('dueDay'),
    ingestConcurrency: context('ingestConcurrency'),
  });
  if (!parsed.success) throw new Error(`Invalid CDK context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
