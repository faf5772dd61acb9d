import { inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { fillTemplate } from '../../cli/samples.js';
import { catalog } from '../../shared/catalog/catalog.js';
import type { Period } from '../../shared/calendar.js';
import { DEFAULT_READ_LIMITS, MAX_CELL_TEXT } from '../../shared/workbook/limits.js';
import { buildTemplate } from '../../shared/workbook/template.js';
import { packZip } from '../../shared/workbook/zip.js';
import { compoundFile, deflated, sheetWorkbook, storedEntries, zipBomb } from '../corpus/build.js';
import { zipOf } from '../unit/workbook-fixtures.js';

/**
 * Hostile uploads, each built here by code: files made to break the reader, the validator, the report or the
 * key layout. Every case holds to one contract, whichever way it is ingested: a report is written that parses
 * as an import summary, every message in it is short, and a refused file commits nothing. A case may also say
 * what its verdict must be (`verdict`).
 */

/** The import summary as the CLI contract prints it and the import report carries it. */
const problemSchema = z.object({ sheet: z.string().nullable(), cell: z.string().nullable(), code: z.string(), message: z.string() });
const summarySchema = z.object({
  status: z.enum(['accepted', 'rejected']),
  department: z.string(),
  period: z.string().nullable(),
  observations: z.array(z.object({ indicator: z.string(), period: z.string(), value: z.union([z.number(), z.boolean()]), unit: z.string() })),
  errors: z.array(problemSchema),
  warnings: z.array(problemSchema),
});
export type HostileSummary = z.infer<typeof summarySchema>;

/** A message a clerk can read: the 50 MB value once made one of 104 million characters. */
export const MAX_MESSAGE_LENGTH = 2_000;

/** What a case's verdict must be beyond the contract; returns what is wrong, or null. */
export type Verdict = (summary: HostileSummary) => string | null;

export interface HostileCase {
  name: string;
  /** The class of attack, as the bench groups them. */
  attacks: string;
  department: string;
  fileName: string;
  bytes: () => Promise<Uint8Array>;
  verdict?: Verdict;
  /** A name longer than the local disk holds: the local stand-in may refuse the key, the CLI then exits 1 naming it. */
  nameBeyondLocalDisk?: boolean;
}

/** What breaks the contract in a printed or stored summary (empty: it holds), the case's own verdict included. */
export function contractViolations(hostile: HostileCase, text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [`not one JSON value (${text.length} characters, starting ${JSON.stringify(text.slice(0, 80))})`];
  }
  const parsed = summarySchema.safeParse(json);
  if (!parsed.success) return [`not an import summary: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`];
  const summary = parsed.data;
  const long = [...summary.errors, ...summary.warnings].filter((problem) => problem.message.length > MAX_MESSAGE_LENGTH);
  const violations = long.map((problem) => `${problem.code} at ${problem.sheet ?? '-'}!${problem.cell ?? '-'}: a message of ${problem.message.length} characters`);
  if (summary.status === 'rejected' && summary.errors.length === 0) violations.push('rejected without an error');
  const wrong = hostile.verdict?.(summary);
  if (wrong) violations.push(wrong);
  return violations;
}

const codesOf = (summary: HostileSummary) => summary.errors.map((error) => error.code).join(', ') || 'no error';

/** Refused, with one of these codes among its errors. */
function refusedWith(...codes: string[]): Verdict {
  return (summary) =>
    summary.status === 'rejected' && summary.errors.some((error) => codes.includes(error.code))
      ? null
      : `expected a refusal with ${codes.join(' or ')}, got ${summary.status} (${codesOf(summary)})`;
}

/** Refused for a problem of its period (a code `period.*`). */
const refusedForItsPeriod: Verdict = (summary) =>
  summary.status === 'rejected' && summary.errors.some((error) => error.code.startsWith('period.'))
    ? null
    : `expected a refusal with a period.* problem, got ${summary.status} (${codesOf(summary)})`;

/** Refused, whatever the problem: a damaged file must never be accepted with figures missing or wrong. */
const refused: Verdict = (summary) => (summary.status === 'rejected' ? null : `expected a refusal, got accepted with ${summary.observations.length} figures`);

/** Read as the month it states, or refused for its period: never read as another month. */
function periodIsOrRefused(period: Period): Verdict {
  return (summary) => {
    if (summary.status === 'rejected') return refusedForItsPeriod(summary);
    return summary.period === period ? null : `read as ${summary.period}, not ${period}`;
  };
}

/** The base workbook's figures, exactly: what the attack added changed nothing read. */
const acceptedAsTheBase: Verdict = (summary) => {
  const got = summary.observations.map((o) => `${o.indicator}=${String(o.value)}`).sort();
  const want = [...BASE_FIGURES].map(([indicator, value]) => `${indicator}=${value}`).sort();
  if (summary.status !== 'accepted') return `expected the base figures accepted, got rejected (${codesOf(summary)})`;
  return got.join() === want.join() && summary.period === BASE_PERIOD ? null : `expected ${want.join()} for ${BASE_PERIOD}, got ${got.join()} for ${summary.period}`;
};

/** Nothing of a local file (an external entity's target) in any text of the report. */
const noFileContents: Verdict = (summary) => (JSON.stringify(summary).includes('root:') ? 'the report quotes /etc/passwd' : null);

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

const DEPARTMENT = 'science';
const BASE_PERIOD: Period = '2026-10';
const BASE_FIGURES = new Map<string, number>([
  ['sci.bayu_craftsmen', 30],
  ['sci.st_commissioners', 12],
]);
const SHEET_PART = 'xl/worksheets/sheet1.xml';
const WORKBOOK_PART = 'xl/workbook.xml';

let base: Promise<Uint8Array> | undefined;
/** The science department's template for October 2026, two figures filled in: a valid monthly workbook. */
export function monthlyWorkbook(): Promise<Uint8Array> {
  base ??= buildTemplate(catalog, DEPARTMENT, BASE_PERIOD).then((template) => fillTemplate(template, BASE_FIGURES));
  return base;
}

/** The workbook with one part's XML rewritten, re-zipped with its true size and checksum. */
function withPart(bytes: Uint8Array, name: string, edit: (xml: string) => string): Uint8Array {
  return packZip(
    storedEntries(bytes).map((entry) => (entry.name === name ? deflated(name, Buffer.from(edit(inflateRawSync(entry.data).toString('utf8')), 'utf8')) : entry)),
  );
}

/** The monthly workbook with its data sheet's XML rewritten. */
async function monthlyWith(edit: (sheetXml: string) => string): Promise<Uint8Array> {
  return withPart(await monthlyWorkbook(), SHEET_PART, edit);
}

/** Adds a merge to the sheet's own list of merged cells. */
const withMerge = (ref: string) => (xml: string) => xml.replace(/<mergeCells count="(\d+)">/, (_all, count: string) => `<mergeCells count="${Number(count) + 1}"><mergeCell ref="${ref}"/>`);

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A cell of a hand-written sheet: text, a number, a number in the yyyy-mm date format, or raw XML for what no writer produces. */
type RawCell = string | number | { date: number } | { xml: string; type?: string };

function cellXml(address: string, cell: RawCell): string {
  if (typeof cell === 'string') return `<c r="${address}" t="inlineStr"><is><t>${escapeXml(cell)}</t></is></c>`;
  if (typeof cell === 'number') return `<c r="${address}"><v>${cell}</v></c>`;
  if ('date' in cell) return `<c r="${address}" s="1"><v>${cell.date}</v></c>`;
  return `<c r="${address}"${cell.type === undefined ? '' : ` t="${cell.type}"`}>${cell.xml}</c>`;
}

const COLUMNS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function sheetDataXml(rows: readonly (readonly RawCell[])[]): string {
  const rowXml = rows.map((cells, r) => `<row r="${r + 1}">${cells.map((cell, c) => cellXml(`${COLUMNS[c]}${r + 1}`, cell)).join('')}</row>`);
  return `<sheetData>${rowXml.join('')}</sheetData>`;
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/**
 * A one-sheet workbook written by hand, for what Excel would never save: any sheet name, any workbookPr, any
 * prologue (a DOCTYPE) and any cell XML. Style 1 is the date format yyyy-mm.
 */
function rawWorkbook(input: { rows: readonly (readonly RawCell[])[]; sheetName?: string; workbookPr?: string; prologue?: string; sharedStrings?: readonly string[] }): Uint8Array {
  const sheetName = escapeXml(input.sheetName ?? '报表');
  const strings = input.sharedStrings ?? [];
  return zipOf({
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="${strings.length}">${strings.map((text) => `<si><t>${escapeXml(text)}</t></si>`).join('')}</sst>`,
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    [WORKBOOK_PART]: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><workbookPr${input.workbookPr ?? ''}/><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${RELATIONSHIPS}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/styles.xml':
      `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm"/></numFmts>` +
      '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>' +
      '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>',
    [SHEET_PART]: `<?xml version="1.0" encoding="UTF-8"?>${input.prologue ?? ''}<worksheet xmlns="${MAIN}">${sheetDataXml(input.rows)}</worksheet>`,
  });
}

const HEADER: RawCell[] = ['指标', '单位', '数值'];

/** The period line, the header and one figure row: the smallest monthly report, for one hostile cell. */
function periodReport(period: RawCell, figure: readonly RawCell[] = ['巴渝工匠', '人', 12], extra: Partial<Parameters<typeof rawWorkbook>[0]> = {}): Uint8Array {
  return rawWorkbook({ rows: [['填报月份', period], HEADER, figure], ...extra });
}

/** The date serial of the first of a month in the 1904 date system: days since 1904-01-01. */
function serial1904(year: number, month: number): number {
  return (Date.UTC(year, month - 1, 1) - Date.UTC(1904, 0, 1)) / 86_400_000;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** A CSV of the given lines, CRLF as Excel saves it. */
const csv = (...lines: string[]) => utf8(`${lines.join('\r\n')}\r\n`);

/** A CSV of this many bytes at least: the header, then copies of one figure row. */
function csvOfSize(bytes: number): Uint8Array {
  const row = Buffer.from('巴渝工匠,人,12\r\n');
  const header = Buffer.from('指标,单位,数值\r\n');
  const body = Buffer.alloc(Math.ceil((bytes - header.length) / row.length) * row.length, row);
  return new Uint8Array(Buffer.concat([header, body]));
}

/** A small deterministic generator (mulberry32), so a byte-flip case is the same file on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

async function withFlippedBytes(seed: number, flips: number): Promise<Uint8Array> {
  const bytes = Buffer.from(await monthlyWorkbook());
  const random = seeded(seed);
  for (let i = 0; i < flips; i++) {
    const at = Math.floor(random() * bytes.length);
    bytes.writeUInt8(bytes.readUInt8(at) ^ (1 << Math.floor(random() * 8)), at);
  }
  return new Uint8Array(bytes);
}

/** The zip bomb's sheet entry claiming to unpack to a few kilobytes: only inflating it shows the lie. */
async function understatedZipBomb(unpackedBytes: number): Promise<Uint8Array> {
  return packZip(storedEntries(await zipBomb(unpackedBytes)).map((entry) => (entry.name === SHEET_PART ? { ...entry, uncompressedSize: 4096 } : entry)));
}

/** Terminal control: clear the screen, set the window title, then reverse the text direction. */
const TERMINAL_ESCAPES = '\u001b[2J\u001b]0;pwned\u0007\u202e';
/** The same in C1 controls, which XML may carry (ESC and BEL it may not): CSI, OSC, ST. */
const C1_ESCAPES = '\u009b2J\u009d0;pwned\u009c\u202e';

/** The longest file name a Linux file system holds, in bytes. */
const NAME_MAX = 255;

/** A file name of about `bytes` bytes of `unit` repeated, ending `.xlsx`. */
function longName(unit: string, bytes: number): string {
  return `${unit.repeat(Math.floor((bytes - 5) / Buffer.byteLength(unit)))}.xlsx`;
}

/** The file name as a local disk can hold it: cut to NAME_MAX bytes, whole characters, the extension kept. */
export function localFileName(fileName: string): string {
  if (Buffer.byteLength(fileName) <= NAME_MAX) return fileName;
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot) : '';
  let stem = '';
  for (const character of fileName.slice(0, fileName.length - extension.length)) {
    if (Buffer.byteLength(stem + character + extension) > NAME_MAX) break;
    stem += character;
  }
  return stem + extension;
}

/** 200 months from January 2000, a column of figures: all before the catalog's earliest baseline. */
function twoHundredMonths(): Promise<Uint8Array> {
  const months = Array.from({ length: 200 }, (_, i) => [`${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, i + 1]);
  return sheetWorkbook([['大足区科技局科技创新进度表'], ['月份', '巴渝工匠（人）'], ...months]);
}

/** Rows that each give one error of several codes, with messages quoting long texts: an output far past 64 KB. */
function manyErrors(): Uint8Array {
  const unknown = Array.from({ length: 150 }, (_, i) => `未知指标第${i}项${'名'.repeat(200)},人,1`);
  const notNumbers = Array.from({ length: 150 }, (_, i) => `巴渝工匠,人,不是数字${i}${'字'.repeat(200)}`);
  const units = Array.from({ length: 150 }, (_, i) => `科技特派员,斤${i}${'单'.repeat(200)},1`);
  return csv('指标,单位,数值', ...unknown, ...notNumbers, ...units);
}

const BILLION_LAUGHS =
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i + 1};`.repeat(10)}">`).join('') +
  ']>';

// ---------------------------------------------------------------------------------------------------------------
// The cases

const CASES: Omit<HostileCase, 'department'>[] = [
  // 1. Numbers outside the 4-digit-year range where a date is read.
  {
    name: '20261001 typed into a date-formatted period cell',
    attacks: 'date serials',
    fileName: 'report.xlsx',
    bytes: async () => periodReport({ date: 20261001 }),
    verdict: refusedForItsPeriod,
  },
  {
    name: '20261001 typed into a date-formatted value cell',
    attacks: 'date serials',
    fileName: 'report.xlsx',
    bytes: async () => periodReport('2026-10', ['巴渝工匠', '人', { date: 20261001 }]),
  },
  {
    name: 'a negative serial in a date-formatted period cell',
    attacks: 'date serials',
    fileName: 'report.xlsx',
    bytes: async () => periodReport({ date: -5000 }),
    verdict: refusedForItsPeriod,
  },
  {
    name: 'a serial of 1e15 in a date-formatted period cell',
    attacks: 'date serials',
    fileName: 'report.xlsx',
    bytes: async () => periodReport({ date: 1e15 }),
    verdict: refusedForItsPeriod,
  },
  // 2. Ranges that expand to a whole sheet or column in whatever reads or annotates them.
  {
    name: 'a monthly workbook with a merge of the whole sheet A1:XFD1048576',
    attacks: 'range expansion',
    fileName: 'science-2026-10.xlsx',
    bytes: () => monthlyWith(withMerge('A1:XFD1048576')),
  },
  {
    name: 'a monthly workbook with a merge of one full column',
    attacks: 'range expansion',
    fileName: 'science-2026-10.xlsx',
    bytes: () => monthlyWith(withMerge('H1:H1048576')),
    verdict: acceptedAsTheBase,
  },
  {
    name: 'a monthly workbook whose column definition spans columns 1 to 1,000,000,000',
    attacks: 'range expansion',
    fileName: 'science-2026-10.xlsx',
    bytes: () => monthlyWith((xml) => xml.replace(/<cols>.*?<\/cols>/, '<cols><col min="1" max="1000000000" width="20" customWidth="1"/></cols>')),
    verdict: acceptedAsTheBase,
  },
  {
    name: 'a monthly workbook with a data validation over a whole column',
    attacks: 'range expansion',
    fileName: 'science-2026-10.xlsx',
    bytes: () =>
      monthlyWith((xml) =>
        xml.replace(/<dataValidations count="(\d+)">/, (_all, count: string) => `<dataValidations count="${Number(count) + 1}"><dataValidation type="decimal" allowBlank="1" sqref="H1:H1048576"><formula1>0</formula1></dataValidation>`),
      ),
    verdict: acceptedAsTheBase,
  },
  // 3. Past the size limit by its bytes alone.
  {
    name: 'a CSV 64 KB past the unpacked size limit',
    attacks: 'size',
    fileName: 'science-2026-10.csv',
    bytes: async () => csvOfSize(DEFAULT_READ_LIMITS.maxUncompressedBytes + 64 * 2 ** 10),
    verdict: refusedWith('file.too_large'),
  },
  // 5. Long texts, which a message might quote whole.
  {
    name: 'an indicator cell of 10 million characters',
    attacks: 'long text',
    fileName: 'science-2026-10.xlsx',
    bytes: async () => periodReport('2026-10', ['巴'.repeat(10_000_000), '人', 12]),
    verdict: refused,
  },
  {
    name: 'a sheet name of 100,000 characters',
    attacks: 'long text',
    fileName: 'science-2026-10.xlsx',
    bytes: async () => periodReport('2026-10', ['巴渝工匠', '人', '十二'], { sheetName: '报表'.repeat(50_000) }),
    verdict: refused,
  },
  {
    name: '1,200 different notes at Excel’s 32,767-character cap beside a figure',
    attacks: 'long text',
    fileName: 'science-2026-10.xlsx',
    bytes: async () => rawWorkbook({ rows: [['填报月份', '2026-10'], HEADER, ['巴渝工匠', '人', 12], ...Array.from({ length: 1_200 }, (_, row) => [`${row} `.padEnd(MAX_CELL_TEXT, 'x')])] }),
  },
  {
    name: '1,500 shared texts at the cap, each in 20 cells',
    attacks: 'long text',
    fileName: 'science-2026-10.xlsx',
    bytes: async () =>
      rawWorkbook({
        rows: [['填报月份', '2026-10'], HEADER, ['巴渝工匠', '人', 12], ...Array.from({ length: 1_500 }, (_, text) => Array.from({ length: 20 }, () => ({ xml: `<v>${text}</v>`, type: 's' })))],
        sharedStrings: Array.from({ length: 1_500 }, (_, text) => `${text} `.padEnd(MAX_CELL_TEXT, 'x')),
      }),
  },
  {
    name: 'a period text of 1,000,000 characters',
    attacks: 'long text',
    fileName: 'report.xlsx',
    bytes: async () => periodReport(`2026年10月${'月'.repeat(1_000_000)}`),
  },
  // 6. More output than a pipe holds at once.
  { name: 'a CSV with 450 mistakes of three kinds', attacks: 'large output', fileName: 'science-2026-10.csv', bytes: async () => manyErrors(), verdict: refused },
  // 7. The 1904 date system, written the way Excel for Mac spells it.
  {
    name: 'date1904="true" with a date in the period cell',
    attacks: 'date serials',
    fileName: 'report.xlsx',
    bytes: async () => periodReport({ date: serial1904(2026, 10) }, undefined, { workbookPr: ' date1904="true"' }),
    verdict: periodIsOrRefused('2026-10'),
  },
  // 8. A valid zip of damaged content.
  {
    name: 'a monthly workbook whose sheet XML is cut at half, re-zipped with true checksums',
    attacks: 'damaged content',
    fileName: 'science-2026-10.xlsx',
    bytes: () => monthlyWith((xml) => xml.slice(0, Math.floor(xml.length / 2))),
    verdict: refused,
  },
  {
    name: '<v>1,234</v> in a numeric cell',
    attacks: 'damaged content',
    fileName: 'science-2026-10.xlsx',
    bytes: async () => periodReport('2026-10', ['巴渝工匠', '人', { xml: '<v>1,234</v>' }]),
    verdict: refused,
  },
  // 9. File names as long as an S3 key allows.
  { name: 'a file name of 1,000 ASCII bytes', attacks: 'key length', fileName: longName('a', 1000), bytes: monthlyWorkbook, nameBeyondLocalDisk: true },
  { name: 'a file name of 330 Chinese characters', attacks: 'key length', fileName: longName('科', 995), bytes: monthlyWorkbook, nameBeyondLocalDisk: true },
  // 10. Terminal control sequences, which a terminal printing the report would obey.
  {
    name: 'escape codes in a CSV file name, an indicator cell and a value cell',
    attacks: 'terminal escapes',
    fileName: `科技${TERMINAL_ESCAPES}.csv`,
    bytes: async () => csv('填报月份,2026-10', '指标,单位,数值', `巴渝工匠${TERMINAL_ESCAPES},人,12${TERMINAL_ESCAPES}`),
    verdict: refused,
  },
  {
    name: 'C1 controls and U+202E in a sheet name, an indicator cell and a value cell',
    attacks: 'terminal escapes',
    fileName: 'science-2026-10.xlsx',
    bytes: async () => periodReport('2026-10', [`巴渝工匠${C1_ESCAPES}`, '人', `12${C1_ESCAPES}`], { sheetName: `报表${C1_ESCAPES}` }),
    verdict: refused,
  },
  // 12. Months no target reaches back to.
  { name: '200 months from 2000-01 in a wide sheet', attacks: 'periods', fileName: 'report.xlsx', bytes: twoHundredMonths, verdict: refusedForItsPeriod },
  // 13. Attacks already refused, kept refused.
  {
    name: 'an external entity naming /etc/passwd',
    attacks: 'XML',
    fileName: 'science-2026-10.xlsx',
    bytes: async () => periodReport('2026-10', [{ xml: '<is><t>&xxe;</t></is>' }, '人', 12], { prologue: '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' }),
    verdict: noFileContents,
  },
  {
    name: 'billion laughs: entities nested ten deep',
    attacks: 'XML',
    fileName: 'science-2026-10.xlsx',
    bytes: async () => periodReport('2026-10', [{ xml: '<is><t>&lol9;</t></is>' }, '人', 12], { prologue: BILLION_LAUGHS }),
    verdict: refused,
  },
  {
    name: 'elements nested 100,000 deep in a cell',
    attacks: 'XML',
    fileName: 'science-2026-10.xlsx',
    bytes: async () => periodReport('2026-10', ['巴渝工匠', '人', { xml: `<is>${'<r>'.repeat(100_000)}${'</r>'.repeat(100_000)}</is>` }]),
  },
  ...[1, 2, 3].map((seed) => ({
    name: `a monthly workbook with 16 bits flipped (seed ${seed})`,
    attacks: 'damaged content',
    fileName: 'science-2026-10.xlsx',
    bytes: () => withFlippedBytes(seed, 16),
  })),
  { name: 'a zip bomb that declares its 80 MB', attacks: 'size', fileName: 'science-2026-10.xlsx', bytes: () => zipBomb(80 * 2 ** 20), verdict: refusedWith('file.too_large') },
  { name: 'a zip bomb that understates its 80 MB', attacks: 'size', fileName: 'science-2026-10.xlsx', bytes: () => understatedZipBomb(80 * 2 ** 20), verdict: refusedWith('file.corrupt', 'file.too_large') },
  { name: 'an empty file', attacks: 'not a workbook', fileName: 'science-2026-10.xlsx', bytes: async () => new Uint8Array(), verdict: refusedWith('file.empty') },
  { name: 'a PDF', attacks: 'not a workbook', fileName: 'science-2026-10.xlsx', bytes: async () => utf8('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'), verdict: refusedWith('file.not_a_workbook') },
  { name: 'a legacy .xls', attacks: 'not a workbook', fileName: 'science-2026-10.xls', bytes: async () => compoundFile('Workbook'), verdict: refusedWith('file.legacy_xls') },
  { name: 'a password-protected workbook', attacks: 'not a workbook', fileName: 'science-2026-10.xlsx', bytes: async () => compoundFile('EncryptedPackage'), verdict: refusedWith('file.password_protected') },
  // 4. CSV shapes that cost a parser dearly, and 5. a long text in a CSV: the costliest last, so that should one
  // take its process down, the others are reported already.
  { name: 'a CSV of 20 million commas', attacks: 'CSV', fileName: 'science-2026-10.csv', bytes: async () => new Uint8Array(Buffer.alloc(20_000_000, ',')), verdict: refused },
  {
    name: 'a CSV of one record: a quoted field of 20 MB',
    attacks: 'CSV',
    fileName: 'science-2026-10.csv',
    bytes: async () => new Uint8Array(Buffer.concat([Buffer.from('"'), Buffer.alloc(20 * 2 ** 20, 'a'), Buffer.from('"\r\n')])),
    verdict: refused,
  },
  {
    name: 'a CSV value cell of 50 MB',
    attacks: 'long text',
    fileName: 'science-2026-10.csv',
    bytes: async () => new Uint8Array(Buffer.concat([Buffer.from('指标,单位,数值\r\n巴渝工匠,人,'), Buffer.alloc(50 * 2 ** 20, '9'), Buffer.from('\r\n')])),
    verdict: refused,
  },
  { name: 'a CSV of 30 MB of newlines', attacks: 'CSV', fileName: 'science-2026-10.csv', bytes: async () => new Uint8Array(Buffer.alloc(30 * 2 ** 20, '\n')), verdict: refused },
];

export const HOSTILE_CASES: HostileCase[] = CASES.map((hostile) => ({ department: DEPARTMENT, ...hostile }));

/** The case whose human-readable output is checked for raw control characters. */
export const ESCAPE_CASES = HOSTILE_CASES.filter((hostile) => hostile.attacks === 'terminal escapes');

/** ESC, C0 controls but tab and newline, DEL, C1 controls and the bidirectional overrides and isolates: none may reach a terminal raw. */
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Upload keys with `.`, `..` and empty segments, for the function alone (the CLI builds its key from a department
 * and a file name). The report must stay under `reports/<a department>/` or `reports/unknown/`.
 */
export const HOSTILE_KEYS = [
  'incoming/../science-2026-10.xlsx',
  'incoming/./science-2026-10.xlsx',
  'incoming/science/../../reports/science/science-2026-10.xlsx',
  'incoming/science/./science-2026-10.xlsx',
  'incoming/science/..',
  'incoming/science/',
] as const;

/** What is wrong with where a report was written: a segment `.`, `..` or empty, a folder that is neither a department nor unknown, or more than S3's 1,024 bytes. */
export function reportKeyViolations(reportKey: string): string[] {
  const violations: string[] = [];
  const [prefix, folder, ...rest] = reportKey.split('/');
  if (prefix !== 'reports' || rest.length === 0) violations.push(`${reportKey} is not under reports/<folder>/`);
  if (folder !== 'unknown' && !catalog.department(folder ?? '')) violations.push(`${reportKey} is in folder ${JSON.stringify(folder)}, neither a department nor unknown`);
  if (reportKey.split('/').some((segment) => segment === '.' || segment === '..' || segment === '')) violations.push(`${reportKey} has a segment ".", ".." or empty`);
  const bytes = Buffer.byteLength(reportKey);
  if (bytes > 1024) violations.push(`the report key is ${bytes} bytes, S3 allows 1,024`);
  return violations;
}
