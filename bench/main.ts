import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench`: five sections, each a script of its own run as a child process in turn, printing its own table.
 * Figures, not assertions: each section prints ratios measured in its own run, beside the goals they answer to.
 */

const SECTIONS = [
  { script: 'workbook.ts', title: 'reading workbooks' },
  { script: 'cold-start.ts', title: 'module init of the Lambda bundles' },
  { script: 'reads.ts', title: 'DynamoDB items read' },
  { script: 'hostile.ts', title: 'hostile uploads' },
  { script: 'portal.ts', title: 'upload to verdict through the portal' },
] as const;

function runSection(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const failed: string[] = [];
for (const { script, title } of SECTIONS) {
  const path = join(import.meta.dirname, script);
  console.log(`\n# ${title} (bench/${script})\n`);
  if (!existsSync(path)) {
    console.log('not present');
    continue;
  }
  const status = await runSection(path);
  if (status !== 0) failed.push(`bench/${script} exited with ${status}`);
}
if (failed.length > 0) {
  console.error(`\n${failed.join('\n')}`);
  process.exitCode = 1;
}
