import { createReadStream, createWriteStream, realpathSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { decompress } from 'wawoff2';

// Which browser and which fonts the end-to-end tests use: both come from devDependencies, so `npm ci` is the whole
// set-up on any machine, and every machine draws the pages with the same browser and the same fonts.

/** Flags for a quiet, offline, throw-away browser: nothing phones home, nothing persists. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/**
 * npm installs devDependencies at the top of the project's node_modules. Its real path: the fontconfig file written
 * below names folders by path, which must not go stale when node_modules is reached through a link.
 */
const MODULES = `${realpathSync(fileURLToPath(new URL('../../node_modules/', import.meta.url)))}/`;
/** Unpacked once per package version; `npm ci` empties it. */
const CACHE = join(MODULES, '.cache', 'e2e-browser');

/** A code point that no font maps (plane 15 private use): a browser draws it as the font's empty box. */
export const NO_GLYPH = '\u{F0000}';

/** Headless Chromium with its profile in `userDataDir`, seeing only the packaged Chinese font. */
export async function launchBrowser(userDataDir: string): Promise<BrowserContext> {
  const [executablePath, fontConfig] = await Promise.all([packagedChromium(), packagedFonts()]);
  return chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: FLAGS,
    env: { ...process.env, FONTCONFIG_FILE: fontConfig },
  });
}

/** Each character drawn alone in the page's body font, as a PNG data URL: equal prints are equal pictures. */
export function glyphPrints(page: Page, characters: string[]): Promise<string[]> {
  return page.evaluate((characters) => {
    const { document, getComputedStyle } = globalThis as unknown as BrowserWindow;
    const family = getComputedStyle(document.body).fontFamily;
    return characters.map((character) => {
      const canvas = document.createElement('canvas');
      canvas.width = 40;
      canvas.height = 40;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('the browser has no 2D canvas');
      context.font = `32px ${family}`;
      context.fillText(character, 4, 34);
      return canvas.toDataURL();
    });
  }, characters);
}

/** The few browser globals these helpers read; the project compiles without the DOM library. */
interface BrowserWindow {
  document: {
    body: unknown;
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): { font: string; fillText(text: string, x: number, y: number): void } | null;
      toDataURL(): string;
    };
  };
  getComputedStyle(element: unknown): { fontFamily: string };
}

/**
 * The Chromium that @sparticuz/chromium ships brotli-compressed. Its own `executablePath()` reuses whatever
 * `/tmp/chromium` holds, of any version, and writes it in place, so a run beside another could start a half-written
 * binary: this unpacks it per version, atomically.
 */
async function packagedChromium(): Promise<string> {
  const root = join(MODULES, '@sparticuz', 'chromium');
  const dir = await unpackOnce(`chromium-${await versionOf(root)}`, (into) =>
    pipeline(createReadStream(join(root, 'bin', 'chromium.br')), createBrotliDecompress(), createWriteStream(join(into, 'chromium'), { mode: 0o755 })),
  );
  return join(dir, 'chromium');
}

/**
 * Noto Sans SC from @fontsource-variable/noto-sans-sc, and a fontconfig file that lists it alone. The package ships
 * WOFF2, which the packaged Chromium's fontconfig does not read, so each file is decompressed to TrueType once.
 */
async function packagedFonts(): Promise<string> {
  const root = join(MODULES, '@fontsource-variable', 'noto-sans-sc');
  const name = `noto-sans-sc-${await versionOf(root)}`;
  const dir = await unpackOnce(name, async (into) => {
    const files = join(root, 'files');
    for (const file of (await readdir(files)).filter((f) => f.endsWith('.woff2'))) {
      await writeFile(join(into, file.replace(/\.woff2$/, '.ttf')), await decompress(await readFile(join(files, file))));
    }
    // Written with the final folder's path, which the rename below makes true.
    const final = join(CACHE, name);
    await writeFile(
      join(into, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n  <dir>${xml(final)}</dir>\n  <cachedir>${xml(join(final, 'fontconfig-cache'))}</cachedir>\n</fontconfig>\n`,
    );
  });
  return join(dir, 'fonts.conf');
}

/** `CACHE/name`, built by `fill` in a private folder and renamed into place, so a reader never sees it half done. */
async function unpackOnce(name: string, fill: (into: string) => Promise<unknown>): Promise<string> {
  const dir = join(CACHE, name);
  if (await exists(dir)) return dir;
  const into = `${dir}.${process.pid}.partial`;
  await rm(into, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  await fill(into);
  // Another run may have finished first: its copy is as good as this one.
  await rename(into, dir).catch(async (error: NodeJS.ErrnoException) => {
    if (!(await exists(dir))) throw error;
    await rm(into, { recursive: true, force: true });
  });
  return dir;
}

async function versionOf(root: string): Promise<string> {
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  return version;
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function xml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
