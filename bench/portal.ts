import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalPipeline } from '../cli/local/pipeline.js';
import { startLocalPortal } from '../cli/local/portal-server.js';
import { sampleWorkbooks } from '../cli/samples.js';
import { catalog } from '../shared/catalog/catalog.js';
import type { UploadGrant, UploadView } from '../shared/portal/contract.js';

/**
 * `npx tsx bench/portal.ts`: from an upload finishing (the browser's POST to the bucket answered) to its verdict
 * being available through the API, over 20 uploads on the local stores, as the page sees it. The API is asked
 * every 20 ms, so a figure is at most that much late. Goal: p95 ≤ 3 s.
 */

const UPLOADS = 20;
const POLL_MS = 20;
const GOAL_P95_MS = 3000;

const directory = mkdtempSync(join(tmpdir(), 'bench-portal-'));
const pipeline = await startLocalPipeline(directory);
const portal = await startLocalPortal({ stores: pipeline.stores, pageDirectory: directory, port: 0 });

async function call<T>(path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(path.slice(1), portal.url), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A local ID token for the user, asked once per department: a token lasts an hour. */
async function signedIn(user: string): Promise<string> {
  const response = await fetch(new URL('api/local/sign-in', portal.url), { method: 'POST', body: JSON.stringify({ user }) });
  return ((await response.json()) as { token: string }).token;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

try {
  const samples = (await sampleWorkbooks(catalog)).slice(0, UPLOADS);
  const tokens = new Map<string, string>();
  const timings: number[] = [];
  for (const sample of samples) {
    const token = tokens.get(sample.department) ?? (await signedIn(`${sample.department}-clerk`));
    tokens.set(sample.department, token);
    const base = `/api/departments/${sample.department}/uploads`;
    const grant = await call<UploadGrant>(base, token, { fileName: sample.fileName, size: sample.bytes.length, period: sample.period });
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
    form.append('file', new Blob([sample.bytes]), sample.fileName);
    const posted = await fetch(grant.url, { method: 'POST', body: form });
    if (!posted.ok) throw new Error(`POST ${grant.url}: ${posted.status} ${await posted.text()}`);
    const finished = performance.now();
    for (;;) {
      const view = await call<UploadView>(`${base}/${grant.uploadId}`, token);
      if (view.status !== 'processing') break;
      await sleep(POLL_MS);
    }
    timings.push(performance.now() - finished);
  }
  const sorted = [...timings].sort((a, b) => a - b);
  const [p50, p95] = [percentile(sorted, 50), percentile(sorted, 95)];
  console.log(`uploads                      ${timings.length} (sample workbooks of every department, one at a time)`);
  console.log(`upload finished → verdict    p50 ${p50.toFixed(0)} ms   p95 ${p95.toFixed(0)} ms   max ${(sorted.at(-1) ?? NaN).toFixed(0)} ms`);
  console.log(`p95 against the goal         ${(p95 / GOAL_P95_MS).toFixed(2)}× of ${GOAL_P95_MS} ms ${p95 <= GOAL_P95_MS ? '(met)' : '(NOT met)'}`);
} finally {
  // The verdict comes before the annotated copy: the imports finish writing before the stores close.
  await pipeline.stores.settled();
  await portal.close();
  await pipeline.close();
  rmSync(directory, { recursive: true, force: true });
}
