import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { buildPortal } from '../../portal/build.js';
import { roleName } from '../../shared/roles.js';
import { startLocalPipeline } from '../local/pipeline.js';
import { startLocalPortal } from '../local/portal-server.js';
import type { CliArgs } from '../main.js';
import { InputError } from '../usage.js';
import { runDemo } from './demo.js';

/** Where the local portal listens unless PORTAL_PORT says otherwise. */
export const DEFAULT_PORTAL_PORT = 8080;

const portSchema = z.coerce.number().int().min(1).max(65_535);

/** PORTAL_PORT, read once: a port number, or the default. */
export function portalPort(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.PORTAL_PORT;
  if (text === undefined || text === '') return DEFAULT_PORTAL_PORT;
  const parsed = portSchema.safeParse(text);
  if (!parsed.success) throw new InputError(`PORTAL_PORT 须是 1–65535 的端口号，而不是 "${text}"。 PORTAL_PORT must be a port from 1 to 65535, not "${text}".`);
  return parsed.data;
}

/**
 * `npm start`: the demo, then the portal on 127.0.0.1 against the same local stores, until Ctrl-C. Uploads from
 * the page go to the local upload bucket by presigned POST, and the ingest function answers them as on AWS.
 */
export async function start({ values }: CliArgs): Promise<number> {
  const port = portalPort();
  const pipeline = await startLocalPipeline(values.data);
  const pageDirectory = await mkdtemp(join(tmpdir(), 'portal-'));
  try {
    await runDemo(pipeline, values.data);
    await buildPortal(pageDirectory);
    const portal = await startLocalPortal({ stores: pipeline.stores, pageDirectory, port, outboxDirectory: values.data });
    const width = Math.max(...portal.users.map((user) => user.id.length));
    console.log(`\n门户 Portal: ${portal.url}\n发件箱 Outbox (the notices the run wrote): ${portal.url}local/outbox\n\n可登录的用户 Users who can sign in:`);
    for (const user of portal.users) console.log(`  ${user.id.padEnd(width)}  ${user.roles.map(roleName).join(', ')}`);
    console.log('\n按 Ctrl-C 停止 Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    await portal.close();
    return 0;
  } finally {
    await pipeline.close();
    await rm(pageDirectory, { recursive: true, force: true });
  }
}
