import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPortal } from '../../portal/build.js';
import { gzippedSize, PORTAL_GZIP_BUDGET } from '../../portal/size.js';

/** Namespace names Preact writes to create SVG and MathML elements: identifiers no browser fetches. */
const XML_NAMESPACES = new Set(['http://www.w3.org/1999/xhtml', 'http://www.w3.org/2000/svg', 'http://www.w3.org/1998/Math/MathML']);

describe('the built portal', () => {
  let outDir = '';
  let files: string[] = [];
  const text = (file: string) => readFile(join(outDir, file), 'utf8');

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'portal-build-'));
    await buildPortal(outDir);
    files = (await readdir(outDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(outDir.length + 1));
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('is index.html with hashed scripts and styles beside it', () => {
    expect(files).toContain('index.html');
    expect(files.filter((f) => /^assets\/[\w-]+-[\w-]{8}\.js$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => /^assets\/[\w-]+-[\w-]{8}\.css$/.test(f))).toHaveLength(1);
  });

  it('stays within the gzipped budget', async () => {
    const size = await gzippedSize(outDir);
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(PORTAL_GZIP_BUDGET);
  });

  it('has no inline script or style for the CSP to refuse: every script has a src, no element a style attribute', async () => {
    const html = await text('index.html');
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toMatch(/\ssrc="\/assets\//);
    expect(html).not.toMatch(/<style\b|\sstyle=|data:/i);
    expect(html).toMatch(/<link rel="stylesheet"[^>]* href="\/assets\//);
  });

  it('fetches nothing from another host: no URL but XML namespace names in any file', async () => {
    const urls = (await Promise.all(files.map(text))).flatMap((content) => content.match(/https?:\/\/[^\s"'`)<>]+/g) ?? []);
    expect(urls.filter((url) => !XML_NAMESPACES.has(url))).toEqual([]);
  });

  it('carries neither zod nor exceljs, which only the functions need', async () => {
    const scripts = await Promise.all(files.filter((f) => f.endsWith('.js')).map(text));
    for (const script of scripts) expect(script).not.toMatch(/ZodError|\$ZodType|ExcelJS|exceljs/);
  });

  it('carries not the holiday table: the page reads due dates from the API and never asks for a working day', async () => {
    const scripts = await Promise.all(files.filter((f) => f.endsWith('.js')).map(text));
    for (const script of scripts) expect(script).not.toMatch(/Spring Festival|国庆节|2026-10-01/);
  });
});
