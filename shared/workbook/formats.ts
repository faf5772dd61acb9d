import type { BilingualText, FileProblemCode } from './problems.js';

/**
 * Files that are not a workbook this pipeline reads, recognised by their content (never by their name alone, which
 * clerks change), so that the refusal names what the file is and says how to turn it into an .xlsx. Another
 * program's spreadsheet is `file.unsupported_format`; a document that holds no spreadsheet is `file.not_a_workbook`.
 */

/** What a file shows of itself: its bytes (only their start is looked at) and, when it is a zip, its entries and the text of a small one. */
export interface FileContent {
  bytes: Buffer;
  zip?: { names: readonly string[]; text(name: string): string | undefined };
}

export interface RecognisedFormat {
  code: Extract<FileProblemCode, 'file.unsupported_format' | 'file.not_a_workbook'>;
  detail: BilingualText;
}

/** How much of a file's start is looked through for a text format's root element. */
const HEAD_BYTES = 64 * 1024;

/** What to do with each program's file to get an .xlsx. */
const ADVICE = {
  libreOffice: { zh: '请在 LibreOffice/WPS 中“另存为” Excel 工作簿（.xlsx）后重新上传', en: 'save it as an Excel workbook (.xlsx) and upload it again' },
  excel: { zh: '请在 Excel 中“另存为” Excel 工作簿（.xlsx）后重新上传', en: 'in Excel, use Save As → Excel Workbook (.xlsx) and upload it again' },
  openInExcel: {
    zh: '请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再重新上传',
    en: 'open it in Excel or WPS, use Save As → Excel Workbook (.xlsx) and upload it again',
  },
  numbers: {
    zh: '请在 Numbers 中选择“文件 → 导出为 → Excel”，将导出的 .xlsx 重新上传',
    en: 'in Numbers, use File → Export To → Excel and upload the .xlsx it writes',
  },
} satisfies Record<string, BilingualText>;

function spreadsheet(name: BilingualText, advice: BilingualText): RecognisedFormat {
  return { code: 'file.unsupported_format', detail: { zh: `${name.zh}，${advice.zh}`, en: `${name.en}; ${advice.en}` } };
}

/** A document holding no spreadsheet: the general text already says to fill in the template and save it as .xlsx. */
function document(name: BilingualText): RecognisedFormat {
  return { code: 'file.not_a_workbook', detail: name };
}

const ODS = spreadsheet({ zh: '这是 OpenDocument 表格（.ods）文件', en: 'it is an OpenDocument spreadsheet (.ods)' }, ADVICE.libreOffice);
const OTS = spreadsheet({ zh: '这是 OpenDocument 表格模板（.ots）文件', en: 'it is an OpenDocument spreadsheet template (.ots)' }, ADVICE.libreOffice);
const FODS = spreadsheet({ zh: '这是 OpenDocument 平面 XML 表格（.fods）文件', en: 'it is a flat XML OpenDocument spreadsheet (.fods)' }, ADVICE.libreOffice);
const XLSB = spreadsheet({ zh: '这是 Excel 二进制工作簿（.xlsb）文件', en: 'it is an Excel binary workbook (.xlsb)' }, ADVICE.excel);
const NUMBERS = spreadsheet({ zh: '这是 Apple Numbers 表格（.numbers）文件', en: 'it is an Apple Numbers spreadsheet (.numbers)' }, ADVICE.numbers);
const SPREADSHEET_2003_XML = spreadsheet({ zh: '这是 Excel 2003 XML 表格文件', en: 'it is an Excel 2003 XML spreadsheet' }, ADVICE.openInExcel);
/** Many systems export a web page under an .xls name; Excel opens it as a table. */
const HTML_TABLE = spreadsheet(
  { zh: '这是网页（HTML）格式的表格（一些系统导出的 .xls 实为网页）', en: 'it is a web page (HTML) table, as some systems export under an .xls name' },
  ADVICE.openInExcel,
);
const PDF = document({ zh: '这是 PDF 文件', en: 'it is a PDF document' });
const DOCX = document({ zh: '这是 Word 文档（.docx）', en: 'it is a Word document (.docx)' });
const PPTX = document({ zh: '这是 PowerPoint 演示文稿（.pptx）', en: 'it is a PowerPoint presentation (.pptx)' });
const ODT = document({ zh: '这是 OpenDocument 文本文档（.odt）', en: 'it is an OpenDocument text document (.odt)' });
const ODP = document({ zh: '这是 OpenDocument 演示文稿（.odp）', en: 'it is an OpenDocument presentation (.odp)' });

/** An OpenDocument package says what it is in its `mimetype` entry; a flat one in its root element's office:mimetype. */
const OPENDOCUMENT_TYPES: ReadonlyMap<string, RecognisedFormat> = new Map([
  ['application/vnd.oasis.opendocument.spreadsheet', ODS],
  ['application/vnd.oasis.opendocument.spreadsheet-template', OTS],
  ['application/vnd.oasis.opendocument.text', ODT],
  ['application/vnd.oasis.opendocument.presentation', ODP],
]);
const FLAT_OPENDOCUMENT_TYPES: ReadonlyMap<string, RecognisedFormat> = new Map([
  ['application/vnd.oasis.opendocument.spreadsheet', FODS],
  ['application/vnd.oasis.opendocument.spreadsheet-template', FODS],
]);

/**
 * Office Open XML packages other than a SpreadsheetML workbook: their main part, by the name their writers give it
 * or by its content type in [Content_Types].xml, which the package format defines wherever the part is.
 */
const OOXML_PACKAGES: readonly { part: string; contentTypes: readonly string[]; format: RecognisedFormat }[] = [
  { part: 'xl/workbook.bin', contentTypes: ['application/vnd.ms-excel.sheet.binary.macroenabled.main'], format: XLSB },
  {
    part: 'word/document.xml',
    contentTypes: [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      'application/vnd.ms-word.document.macroenabled.main+xml',
    ],
    format: DOCX,
  },
  {
    part: 'ppt/presentation.xml',
    contentTypes: [
      'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
      'application/vnd.ms-powerpoint.presentation.macroenabled.main+xml',
    ],
    format: PPTX,
  },
];
const CONTENT_TYPES = '[Content_Types].xml';

/** A Numbers document is a package with Index/Document.iwa, saved as one file or as a folder bundle (X.numbers/…) zipped. */
const NUMBERS_ENTRY = /(?:^|\/)Index\/Document\.iwa$|\.numbers\//i;

function zipFormat(zip: NonNullable<FileContent['zip']>): RecognisedFormat | undefined {
  const openDocument = OPENDOCUMENT_TYPES.get(zip.text('mimetype')?.trim() ?? '');
  if (openDocument) return openDocument;
  const names = new Set(zip.names);
  // Content types are case-insensitive (RFC 2045), and Office writes them in mixed case.
  const contentTypes = zip.text(CONTENT_TYPES)?.toLowerCase() ?? '';
  const ooxml = OOXML_PACKAGES.find(
    ({ part, contentTypes: types }) => names.has(part) || types.some((type) => contentTypes.includes(`"${type}"`)),
  );
  if (ooxml) return ooxml.format;
  return zip.names.some((name) => NUMBERS_ENTRY.test(name)) ? NUMBERS : undefined;
}

const UTF8_BOM = '\uFEFF';

/** The root element of a flat OpenDocument file, found with indexOf so that no pattern backtracks over the head. */
function flatOpenDocument(head: string): RecognisedFormat | undefined {
  const start = head.indexOf('<office:document');
  if (start === -1) return undefined;
  const end = head.indexOf('>', start);
  const root = head.slice(start, end === -1 ? head.length : end);
  const type = /office:mimetype\s*=\s*["']([^"']*)["']/.exec(root)?.[1];
  return type === undefined ? undefined : FLAT_OPENDOCUMENT_TYPES.get(type);
}

function textFormat(bytes: Buffer): RecognisedFormat | undefined {
  const head = bytes.subarray(0, HEAD_BYTES).toString('utf8').replace(UTF8_BOM, '').trimStart();
  if (head.startsWith('%PDF-')) return PDF;
  const flat = flatOpenDocument(head);
  if (flat) return flat;
  if (head.includes('urn:schemas-microsoft-com:office:spreadsheet')) return SPREADSHEET_2003_XML;
  return /^<(?:!doctype\s+html|html|table)[\s>]/i.test(head) ? HTML_TABLE : undefined;
}

/** The format the content shows, when it is one a clerk can be told how to save as .xlsx, or a document named. */
export function recognisedFormat(content: FileContent): RecognisedFormat | undefined {
  return content.zip ? zipFormat(content.zip) : textFormat(content.bytes);
}
