import { packZip, type PackedEntry } from '../../shared/workbook/zip.js';
import { addSheet, deflated, sheetWorkbook, stored, workbook } from './build.js';
import { accepted, corpusCases, figure, HEADER, refused, SHEET, TITLE, type CaseInput, type CorpusCase } from './outcome.js';

/**
 * Files of other office programs uploaded instead of an .xlsx, each built with the entries its writer puts in it and
 * recognised by that content whatever its name; and figures in the units official statistical forms use.
 */

function xml(text: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`, 'utf8');
}

const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

/** As LibreOffice and WPS save an .ods: the mimetype entry first and stored, then the content, styles and manifest. */
function odsPackage(): Uint8Array {
  return packZip([
    stored('mimetype', Buffer.from(ODS_MIMETYPE, 'ascii')),
    deflated('content.xml', xml('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3"><office:body><office:spreadsheet/></office:body></office:document-content>')),
    deflated('styles.xml', xml('<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')),
    deflated('META-INF/manifest.xml', xml(`<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="${ODS_MIMETYPE}"/></manifest:manifest>`)),
  ]);
}

/** A flat OpenDocument spreadsheet: one XML file, its type on the root element after the namespaces. */
function fodsFile(): Uint8Array {
  return xml(
    `<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" office:mimetype="${ODS_MIMETYPE}"><office:body><office:spreadsheet><table:table table:name="${SHEET}"/></office:spreadsheet></office:body></office:document>`,
  );
}

const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_DOCUMENT = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument';

/** An Office Open XML package whose main part is `main` of `contentType`, reached from _rels/.rels as the format says. */
function officePackage(main: string, contentType: string, parts: readonly PackedEntry[]): Uint8Array {
  return packZip([
    deflated(
      '[Content_Types].xml',
      xml(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/${main}" ContentType="${contentType}"/></Types>`),
    ),
    deflated('_rels/.rels', xml(`<Relationships xmlns="${PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" Type="${OFFICE_DOCUMENT}" Target="${main}"/></Relationships>`)),
    ...parts,
  ]);
}

/** Excel's binary workbook: the same package, its parts BIFF12 records instead of XML. */
function xlsbPackage(): Uint8Array {
  return officePackage('xl/workbook.bin', 'application/vnd.ms-excel.sheet.binary.macroEnabled.main', [
    deflated('xl/workbook.bin', Buffer.from('83010000', 'hex')),
    deflated('xl/_rels/workbook.bin.rels', xml(`<Relationships xmlns="${PACKAGE_RELATIONSHIPS}"/>`)),
    deflated('xl/worksheets/sheet1.bin', Buffer.from('81010000', 'hex')),
  ]);
}

function docxPackage(): Uint8Array {
  return officePackage('word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml', [
    deflated('word/document.xml', xml('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>巴渝工匠 12 人</w:t></w:r></w:p></w:body></w:document>')),
  ]);
}

/** Numbers saves a package of protobuf archives (.iwa) with its metadata and a preview; `folder` for a zipped bundle. */
function numbersPackage(folder = ''): Uint8Array {
  return packZip([
    deflated(`${folder}Index/Document.iwa`, Buffer.alloc(64, 1)),
    deflated(`${folder}Index/Metadata.iwa`, Buffer.alloc(32, 2)),
    deflated(`${folder}Metadata/Properties.plist`, Buffer.from('bplist00', 'ascii')),
    stored(`${folder}preview.jpg`, Buffer.from('ffd8ffe0', 'hex')),
  ]);
}

function notRead(name: string, fileName: string, code: string, bytes: () => Uint8Array): CaseInput {
  return { name, covers: 'hostile files', fileName, bytes: async () => bytes(), expected: refused(code) };
}

const PATENTS_PER_100M = 'patents_per_100m_cny_revenue';
const PATENTS_PER_10K = 'patents_per_10k_residents';

export const FORMATS_CASES: CorpusCase[] = corpusCases([
  notRead('an OpenDocument spreadsheet (.ods)', 'science-2026-11.ods', 'file.unsupported_format', odsPackage),
  notRead('an .ods renamed .xlsx', 'science-2026-11.xlsx', 'file.unsupported_format', odsPackage),
  notRead('a flat OpenDocument spreadsheet (.fods)', 'science-2026-11.fods', 'file.unsupported_format', fodsFile),
  notRead('an Excel binary workbook (.xlsb)', 'science-2026-11.xlsb', 'file.unsupported_format', xlsbPackage),
  notRead('an Apple Numbers spreadsheet (.numbers)', 'science-2026-11.numbers', 'file.unsupported_format', () => numbersPackage()),
  notRead('a Numbers bundle zipped', 'science-2026-11.numbers.zip', 'file.unsupported_format', () => numbersPackage('science-2026-11.numbers/')),
  notRead('a Word document uploaded by mistake', 'science-2026-11.docx', 'file.not_a_workbook', docxPackage),
  {
    name: 'patent ratios in 件, as the statistical forms report them',
    covers: 'values',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      workbook((book) => {
        const sheet = addSheet(book, SHEET, [[TITLE], ['填报月份', '2026-11'], [], HEADER, ['每亿元营业收入有效发明专利数', '件', 0.85], ['万人发明专利', '件', '12.3']]);
        sheet.mergeCells('A1:C1');
      }),
    expected: accepted([figure('sci.patents_per_100m_revenue', 0.85, PATENTS_PER_100M, 'C5'), figure('sci.patents_per_10k_residents', 12.3, PATENTS_PER_10K, 'C6')]),
  },
  {
    name: 'patent ratios with （件） after the name, a column per indicator',
    covers: 'values',
    fileName: 'science-2026-11.xlsx',
    bytes: () => sheetWorkbook([['月份', '每亿元营业收入有效发明专利数（件）', '万人发明专利(件)'], ['2026-11', 0.85, 12.3]]),
    expected: accepted([figure('sci.patents_per_100m_revenue', 0.85, PATENTS_PER_100M, 'B2'), figure('sci.patents_per_10k_residents', 12.3, PATENTS_PER_10K, 'C2')]),
  },
]);
