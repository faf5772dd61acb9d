import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Stage } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { PipelineFunction } from './secure-defaults.js';

/** The code files of a function's bundle as the stack staged it (see BUNDLING), source maps aside. */
export interface BundleFiles {
  /** The handler's module, `index.mjs`. */
  entry: string;
  all: string[];
  /** What importing the entry reads: it and the chunks it imports statically. Chunks reached by `import()` wait for their first use. */
  loadedAtInit: string[];
}

/** esbuild writes a static import of a chunk as `from"./chunks/…"` or `import"./chunks/…"`; `import("…")` is dynamic. */
const STATIC_IMPORT = /(?:from|import)\s*"(\.\.?\/[^"]+\.mjs)"/g;

function withStaticImports(file: string, found: Set<string>): Set<string> {
  if (found.has(file)) return found;
  found.add(file);
  for (const [, specifier = ''] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) withStaticImports(join(dirname(file), specifier), found);
  return found;
}

/** Needs the function's stage synthesized or its stack constructed: assets are bundled as they are created. */
export function bundleFilesOf(fn: PipelineFunction): BundleFiles {
  const asset = fn.function.node.findChild('Code') as Asset;
  const folder = join(Stage.of(fn)?.outdir ?? '', asset.assetPath);
  const entry = join(folder, 'index.mjs');
  const all = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.mjs')).map((file) => join(folder, file));
  return { entry, all, loadedAtInit: [...withStaticImports(entry, new Set())] };
}

/** The source files a bundle file was built from, as its source map lists them. */
export function sourcesOf(file: string): string[] {
  return (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources;
}
