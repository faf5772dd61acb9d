import { readFileSync, writeFileSync } from 'node:fs';

/**
 * `node --import ./bench/resource-usage.ts …`: on exit, writes what the process used to the file named by
 * RESOURCE_USAGE_FILE, as one JSON object: CPU (user + system, every thread), getrusage's maxRSS, and VmHWM, the
 * resident high-water mark of this process alone (maxRSS counts from the parent's size at the fork).
 */

const file = process.env.RESOURCE_USAGE_FILE;

function highWaterKb(): number | null {
  const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return line?.[1] ? Number(line[1]) : null;
}

if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpuMicros: usage.userCPUTime + usage.systemCPUTime, maxRssKb: usage.maxRSS, highWaterKb: highWaterKb() }));
  });
}
