import { describe, expect, it } from 'vitest';
import { WorkbookFormatError } from '../../shared/problem.js';
import { recognisedFormat, type FileContent } from '../../shared/workbook/formats.js';
import { readAllSheets, zipOf } from './workbook-fixtures.js';

/** A zip's content as the container check shows it: entry names, and the text of those given one. */
function zipContent(entries: Record<string, string>): FileContent {
  return { bytes: Buffer.from('PK\x03\x04', 'latin1'), zip: { names: Object.keys(entries), text: (name) => entries[name] } };
}

function textContent(text: string): FileContent {
  return { bytes: Buffer.from(text, 'utf8') };
}

const ODS_TEXT = {
  zh: '这是 OpenDocument 表格（.ods）文件，请在 LibreOffice/WPS 中“另存为” Excel 工作簿（.xlsx）后重新上传',
  en: 'it is an OpenDocument spreadsheet (.ods); save it as an Excel workbook (.xlsx) and upload it again',
};
const IN_EXCEL = {
  zh: '请在 Excel 中“另存为” Excel 工作簿（.xlsx）后重新上传',
  en: 'in Excel, use Save As → Excel Workbook (.xlsx) and upload it again',
};
const OPEN_IN_EXCEL = {
  zh: '请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再重新上传',
  en: 'open it in Excel or WPS, use Save As → Excel Workbook (.xlsx) and upload it again',
};
const CONTENT_TYPES_XLSB =
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/book.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>';
const CONTENT_TYPES_DOCX =
  '<Types><Override PartName="/word/main.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
/** LibreOffice declares some thirty namespaces on the root element before office:mimetype. */
const FODS_ROOT = `<?xml version="1.0" encoding="UTF-8"?>\n<office:document ${Array.from({ length: 30 }, (_, i) => `xmlns:ns${i}="urn:oasis:names:tc:opendocument:xmlns:ns${i}:1.0"`).join(' ')} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body/></office:document>`;

describe('recognisedFormat names another spreadsheet format and says what to save it as', () => {
  it.each([
    { file: 'an .ods (mimetype entry)', content: zipContent({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '' }), detail: ODS_TEXT },
    {
      file: 'an .ots template',
      content: zipContent({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet-template' }),
      detail: {
        zh: '这是 OpenDocument 表格模板（.ots）文件，请在 LibreOffice/WPS 中“另存为” Excel 工作簿（.xlsx）后重新上传',
        en: 'it is an OpenDocument spreadsheet template (.ots); save it as an Excel workbook (.xlsx) and upload it again',
      },
    },
    {
      file: 'a flat .fods',
      content: textContent(`\uFEFF${FODS_ROOT}`),
      detail: {
        zh: '这是 OpenDocument 平面 XML 表格（.fods）文件，请在 LibreOffice/WPS 中“另存为” Excel 工作簿（.xlsx）后重新上传',
        en: 'it is a flat XML OpenDocument spreadsheet (.fods); save it as an Excel workbook (.xlsx) and upload it again',
      },
    },
    {
      file: 'an .xlsb (xl/workbook.bin)',
      content: zipContent({ '[Content_Types].xml': '<Types/>', 'xl/workbook.bin': '' }),
      detail: { zh: `这是 Excel 二进制工作簿（.xlsb）文件，${IN_EXCEL.zh}`, en: `it is an Excel binary workbook (.xlsb); ${IN_EXCEL.en}` },
    },
    {
      file: 'an .xlsb whose workbook part has another name (its content type)',
      content: zipContent({ '[Content_Types].xml': CONTENT_TYPES_XLSB, 'xl/book.bin': '' }),
      detail: { zh: `这是 Excel 二进制工作簿（.xlsb）文件，${IN_EXCEL.zh}`, en: `it is an Excel binary workbook (.xlsb); ${IN_EXCEL.en}` },
    },
    ...['Index/Document.iwa', '报表.numbers/Index/Document.iwa', '报表.numbers/Index.zip'].map((entry) => ({
      file: `a Numbers file holding ${entry}`,
      content: zipContent({ [entry]: '', 'Metadata/Properties.plist': '' }),
      detail: {
        zh: '这是 Apple Numbers 表格（.numbers）文件，请在 Numbers 中选择“文件 → 导出为 → Excel”，将导出的 .xlsx 重新上传',
        en: 'it is an Apple Numbers spreadsheet (.numbers); in Numbers, use File → Export To → Excel and upload the .xlsx it writes',
      },
    })),
    {
      file: 'an Excel 2003 XML spreadsheet',
      content: textContent('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'),
      detail: { zh: `这是 Excel 2003 XML 表格文件，${OPEN_IN_EXCEL.zh}`, en: `it is an Excel 2003 XML spreadsheet; ${OPEN_IN_EXCEL.en}` },
    },
    {
      file: 'a web page saved as .xls',
      content: textContent('  <html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>巴渝工匠</td></tr></table>'),
      detail: {
        zh: `这是网页（HTML）格式的表格（一些系统导出的 .xls 实为网页），${OPEN_IN_EXCEL.zh}`,
        en: `it is a web page (HTML) table, as some systems export under an .xls name; ${OPEN_IN_EXCEL.en}`,
      },
    },
  ])('$file', ({ content, detail }) => {
    expect(recognisedFormat(content)).toEqual({ code: 'file.unsupported_format', detail });
  });
});

describe('recognisedFormat names a document uploaded instead of the workbook', () => {
  it.each([
    { file: 'a PDF', content: textContent('%PDF-1.7\n%%EOF\n'), detail: { zh: '这是 PDF 文件', en: 'it is a PDF document' } },
    { file: 'a .docx', content: zipContent({ 'word/document.xml': '<w:document/>' }), detail: { zh: '这是 Word 文档（.docx）', en: 'it is a Word document (.docx)' } },
    {
      file: 'a .docx whose main part has another name',
      content: zipContent({ '[Content_Types].xml': CONTENT_TYPES_DOCX, 'word/main.xml': '' }),
      detail: { zh: '这是 Word 文档（.docx）', en: 'it is a Word document (.docx)' },
    },
    {
      file: 'a .pptx',
      content: zipContent({ 'ppt/presentation.xml': '' }),
      detail: { zh: '这是 PowerPoint 演示文稿（.pptx）', en: 'it is a PowerPoint presentation (.pptx)' },
    },
    {
      file: 'an .odt',
      content: zipContent({ mimetype: 'application/vnd.oasis.opendocument.text' }),
      detail: { zh: '这是 OpenDocument 文本文档（.odt）', en: 'it is an OpenDocument text document (.odt)' },
    },
  ])('$file', ({ content, detail }) => {
    expect(recognisedFormat(content)).toEqual({ code: 'file.not_a_workbook', detail });
  });

  it.each([
    { file: 'plain text', content: textContent('巴渝工匠 12\n') },
    { file: 'a flat OpenDocument text (.fodt)', content: textContent(FODS_ROOT.replace('opendocument.spreadsheet', 'opendocument.text')) },
    { file: 'an office:document element beyond the start looked at', content: textContent(`${' '.repeat(70_000)}x${FODS_ROOT}`) },
    { file: 'a zip of photos', content: zipContent({ 'IMG_0001.jpg': '', 'IMG_0002.jpg': '' }) },
    { file: 'a zip whose mimetype entry says something else', content: zipContent({ mimetype: 'application/epub+zip' }) },
  ])('leaves $file unnamed', ({ content }) => {
    expect(recognisedFormat(content)).toBeUndefined();
  });

  it('looks through a hostile start of repeated root elements in linear time', () => {
    const started = performance.now();

    expect(recognisedFormat(textContent('<office:document'.repeat(4096)))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('readWorkbook refuses another format with its name and advice', () => {
  it('an .ods upload gets file.unsupported_format, saying to save it as .xlsx', async () => {
    const bytes = zipOf({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<office:document-content/>' });

    const error: unknown = await readAllSheets(bytes, {}, { fileName: '科技局-2026年11月.ods' }).catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(WorkbookFormatError);
    expect(error).toMatchObject({ code: 'file.unsupported_format' });
    expect((error as Error).message).toBe(
      '文件是本系统不能读取的表格格式（系统读取 Excel 工作簿 .xlsx、.xlsm 和 .csv 表格）：这是 OpenDocument 表格（.ods）文件，请在 LibreOffice/WPS 中“另存为” Excel 工作簿（.xlsx）后重新上传' +
        ' / The file is a spreadsheet in a format this system does not read (it reads Excel workbooks, .xlsx or .xlsm, and .csv tables); it is an OpenDocument spreadsheet (.ods); save it as an Excel workbook (.xlsx) and upload it again',
    );
  });
});
