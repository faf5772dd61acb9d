import { z } from 'zod';
import { outboxFiles } from '../local/outbox.js';
import { startLocalPipeline } from '../local/pipeline.js';
import { terminalText } from '../print.js';
import { UsageError } from '../usage.js';

/** What the remind command reads of the command line. */
export interface RemindArgs {
  values: { at?: string; data: string };
}

/**
 * Runs the reminder and escalation function as of `--at` on the local stores, as the schedule runs it each day, and
 * lists the files its notices added to the outbox. Run again on the same day, it adds none.
 */
export async function remindCommand({ values }: RemindArgs): Promise<number> {
  const on = values.at;
  if (on === undefined || !z.iso.date().safeParse(on).success) throw new UsageError('--at must be a date written YYYY-MM-DD, e.g. 2026-12-08');
  const pipeline = await startLocalPipeline(values.data);
  try {
    const before = new Set(await outboxFiles(values.data));
    const { requested } = await pipeline.remind(on);
    const written = (await outboxFiles(values.data)).filter((name) => !before.has(name));
    console.log(`${on}: ${requested} 个部门需要提醒或督办 / departments reminded or escalated; ${written.length} 条消息写入发件箱 / messages written to the outbox`);
    for (const name of written) console.log(`  ${terminalText(`${pipeline.outbox}/${name}`)}`);
    return 0;
  } finally {
    await pipeline.close();
  }
}
