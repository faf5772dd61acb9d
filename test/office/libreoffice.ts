import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** Saving a workbook again with LibreOffice, as a clerk's office suite does, by its command line. */

const run = promisify(execFile);
const SOFFICE = 'soffice';
/** A first start sets up the profile, which takes seconds; a busy machine needs more. */
const TIMEOUT_MS = 180_000;

/** LibreOffice's setting "Recalculation on file load" for Excel 2007 and later set to "Always recalculate" (0). */
const ALWAYS_RECALCULATE = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

function missing(error: unknown): never {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
    throw new Error(`LibreOffice is not installed (no ${SOFFICE} on the PATH): apt-get install libreoffice-calc-nogui`, { cause: error });
  }
  throw error;
}

/** "7.4" for LibreOffice 7.4.7.2. */
export async function libreOfficeVersion(): Promise<string> {
  const { stdout } = await run(SOFFICE, ['--version'], { timeout: TIMEOUT_MS }).catch(missing);
  const version = /LibreOffice (\d+\.\d+)/.exec(stdout)?.[1];
  if (version === undefined) throw new Error(`cannot tell LibreOffice's version from: ${stdout}`);
  return version;
}

export interface Saving {
  /** Recalculate every formula on load; otherwise LibreOffice's default for Excel files, which keeps the saved results. */
  recalculate?: boolean;
}

/**
 * The workbook opened and saved as .xlsx by `soffice --convert-to`, in a profile of its own
 * so that runs at the same time do not share (and lock) one.
 */
export function savedByLibreOffice(bytes: Uint8Array, saving: Saving = {}): Promise<Uint8Array> {
  return convertedByLibreOffice(bytes, 'xlsx', saving);
}

/** The workbook printed to PDF by LibreOffice, as its Export as PDF does with the sheets' page set-up. */
export function pdfByLibreOffice(bytes: Uint8Array): Promise<Uint8Array> {
  return convertedByLibreOffice(bytes, 'pdf');
}

async function convertedByLibreOffice(bytes: Uint8Array, format: 'xlsx' | 'pdf', { recalculate = false }: Saving = {}): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'libreoffice-'));
  try {
    const [input, output, profile] = ['in', 'out', 'profile'].map((name) => join(dir, name)) as [string, string, string];
    await mkdir(input);
    await writeFile(join(input, 'workbook.xlsx'), bytes);
    if (recalculate) {
      await mkdir(join(profile, 'user'), { recursive: true });
      await writeFile(join(profile, 'user', 'registrymodifications.xcu'), ALWAYS_RECALCULATE);
    }
    const args = [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--convert-to', format, '--outdir', output, join(input, 'workbook.xlsx')];
    await run(SOFFICE, args, { timeout: TIMEOUT_MS }).catch(missing);
    return new Uint8Array(await readFile(join(output, `workbook.${format}`)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
