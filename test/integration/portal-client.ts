import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import { startLocalPipeline, type LocalPipeline } from '../../cli/local/pipeline.js';
import { startLocalPortal, type LocalPortal } from '../../cli/local/portal-server.js';
import type { UploadGrant, UploadView } from '../../shared/portal/contract.js';

/**
 * The local pipeline and the portal's server on it, started before the file's tests and closed after them, in a
 * folder of their own: the real API and ingest functions on the S3 and DynamoDB stand-ins.
 */
export function localPortalForTests(name: string): { pipeline: () => LocalPipeline; portal: () => LocalPortal } {
  let directory = '';
  let pipeline: (LocalPipeline & { close(): Promise<void> }) | undefined;
  let portal: LocalPortal | undefined;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), `${name}-`));
    pipeline = await startLocalPipeline(directory);
    portal = await startLocalPortal({ stores: pipeline.stores, pageDirectory: directory, port: 0, outboxDirectory: directory });
  }, 60_000);
  afterAll(async () => {
    // The verdict comes before the annotated copy: the imports finish writing before the stores close.
    await pipeline?.stores.settled();
    await portal?.close();
    await pipeline?.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const started = <T>(what: T | undefined): T => {
    if (what === undefined) throw new Error('the local portal has not started');
    return what;
  };
  return { pipeline: () => started(pipeline), portal: () => started(portal) };
}

/** The portal's API as the page calls it, on a local server: sign-in, JSON calls, the upload form and its verdict. */
export function portalClient(portal: () => LocalPortal) {
  async function tokenOf(user: string): Promise<string> {
    const response = await fetch(new URL('api/local/sign-in', portal().url), { method: 'POST', body: JSON.stringify({ user }) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  }

  async function api(path: string, options: { token?: string; method?: string; body?: unknown } = {}): Promise<Response> {
    return fetch(new URL(path.slice(1), portal().url), {
      method: options.method ?? 'GET',
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  }

  async function verdictOf(token: string, department: string, uploadId: string): Promise<UploadView> {
    for (let attempt = 0; attempt < 300; attempt++) {
      const view = (await (await api(`/api/departments/${department}/uploads/${uploadId}`, { token })).json()) as UploadView;
      if (view.status !== 'processing') return view;
      await sleep(100);
    }
    throw new Error(`upload ${uploadId} had no verdict after 30 seconds`);
  }

  return { tokenOf, api, verdictOf };
}

/** The form a browser sends: the grant's fields as they are, then the file. */
export function formOf(grant: UploadGrant, bytes: Uint8Array, fileName: string, fields: Record<string, string> = grant.fields): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), fileName);
  return form;
}
