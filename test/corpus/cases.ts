import ExcelJS from 'exceljs';
import catalogData from '../../shared/catalog/catalog.json' with { type: 'json' };
import { loadCatalog, type Catalog } from '../../shared/catalog/catalog.js';
import { addSheet, compoundFile, sheetWorkbook, withEntry, workbook, zipBomb } from './build.js';
import { accepted, at, corpusCases, figure, HEADER, refused, rejected, SHEET, TITLE, type CaseInput, type CorpusCase } from './outcome.js';

/**
 * The template as clerks fill it and the ways they get it wrong, each built here by code with the outcome expected
 * of it. Every item of "Clerk-proof ingestion" that concerns reading a file has cases below; `covers` names it.
 */

/** The usual science report: a merged title, the period line, a blank row, the header on row 4. */
function scienceReport(rows: readonly (readonly ExcelJS.CellValue[])[], period: ExcelJS.CellValue = '2026-11'): Promise<Uint8Array> {
  return workbook((book) => {
    const sheet = addSheet(book, SHEET, [[TITLE], ['填报月份', period], [], HEADER, ...rows]);
    sheet.mergeCells('A1:C1');
  });
}

const CRAFTSMEN_12 = figure('sci.bayu_craftsmen', 12, 'persons', 'C5');

function catalogWith(change: (data: typeof catalogData & Record<string, unknown>) => void): Catalog {
  const data = structuredClone(catalogData) as typeof catalogData & Record<string, unknown>;
  change(data);
  return loadCatalog(data);
}

/** A report whose period cell B1 holds `period` for November 2026, written as a clerk's Excel would save it. */
function periodCellCase(name: string, period: ExcelJS.CellValue, saved: { numFmt?: string; date1904?: boolean }): CaseInput {
  const bytes = () =>
    workbook((book) => {
      book.properties.date1904 = saved.date1904 === true;
      const sheet = addSheet(book, SHEET, [['填报月份', period], HEADER, ['巴渝工匠', '人', 12]]);
      if (saved.numFmt) sheet.getCell('B1').numFmt = saved.numFmt;
    });
  return { name, covers: 'periods', bytes, expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C3')]) };
}


/** A file refused before any sheet is read. */
function refusedFile(name: string, fileName: string, code: string, bytes: () => Promise<Uint8Array>): CaseInput {
  return { name, covers: 'hostile files', fileName, bytes, expected: refused(code) };
}

const CASES: CaseInput[] = [
  {
    name: 'a clean report under a merged title',
    covers: 'finding the table',
    fileName: 'science-2026-11.xlsx',
    bytes: () => scienceReport([['巴渝工匠', '人', 12], ['科技特派员', '人', 30]]),
    expected: accepted([CRAFTSMEN_12, figure('sci.st_commissioners', 30, 'persons', 'C6')]),
  },
  {
    name: 'the header below blank and note rows, with notes under the table',
    covers: 'finding the table',
    bytes: () =>
      sheetWorkbook([
        [TITLE],
        [],
        ['填报单位：大足区科技局'],
        [],
        ['序号', '指标名称', '计量单位', '本月数', '备注'],
        [1, '巴渝工匠', '人', 12, '含线上培训'],
        [],
        ['注：数据截至月底。'],
        ['填报人：张三', undefined, '审核人：李四'],
      ]),
    expected: accepted([{ ...figure('sci.bayu_craftsmen', 12, 'persons', 'D6'), note: '含线上培训' }]),
  },
  {
    name: 'an instructions sheet and a hidden lookup sheet beside the data sheet',
    covers: 'finding the table',
    bytes: () =>
      workbook((book) => {
        addSheet(book, '说明', [['填报说明：只填写数值列']]);
        addSheet(book, SHEET, [[TITLE], HEADER, ['巴渝工匠', '人', 12]]);
        addSheet(book, '旧数据', [HEADER, ['巴渝工匠', '人', 99]]).state = 'hidden';
      }),
    expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C3')]),
  },
  {
    name: 'a sheet of figures without a header row beside a readable one',
    covers: 'finding the table',
    bytes: () =>
      workbook((book) => {
        addSheet(book, SHEET, [[TITLE], HEADER, ['巴渝工匠', '人', 12]]);
        addSheet(book, '补充', [['科技特派员', 30]]);
      }),
    expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C3')], [at('sheet.unreadable', null, '补充')]),
  },
  {
    name: 'no sheet with a header row',
    covers: 'finding the table',
    bytes: () => sheetWorkbook([['巴渝工匠', 12], ['科技特派员', 30]]),
    expected: refused('sheet.no_table'),
  },
  {
    name: 'a year-to-date sheet: a row per month, a column per indicator',
    covers: 'layouts',
    bytes: () =>
      sheetWorkbook([
        ['大足区科技局2026年1-11月科技创新进度表'],
        ['序号', '月份', '巴渝工匠（人）', '科技特派员', '技术合同成交额(万元)', '备注'],
        [1, '2026-09', 10, 5, '1,000'],
        [2, '2026-10', 12, undefined, 2000, '特派员未统计'],
        [3, '2026-11', 8, 3, 500],
        ['合计', undefined, 30, 8, 3500],
      ]),
    expected: accepted(
      [
        figure('sci.bayu_craftsmen', 10, 'persons', 'C3', '2026-09'),
        figure('sci.st_commissioners', 5, 'persons', 'D3', '2026-09'),
        figure('sci.tech_contract_turnover', 0.1, 'cny_100m', 'E3', '2026-09'),
        { ...figure('sci.bayu_craftsmen', 12, 'persons', 'C4', '2026-10'), note: '特派员未统计' },
        { ...figure('sci.tech_contract_turnover', 0.2, 'cny_100m', 'E4', '2026-10'), note: '特派员未统计' },
        figure('sci.bayu_craftsmen', 8, 'persons', 'C5'),
        figure('sci.st_commissioners', 3, 'persons', 'D5'),
        figure('sci.tech_contract_turnover', 0.05, 'cny_100m', 'E5'),
      ],
    ),
  },
  {
    name: 'a year-to-date sheet with month numbers, the year in the title',
    covers: 'layouts',
    department: 'vocational',
    bytes: () =>
      sheetWorkbook([['大足区职业教育中心2026年办学情况'], ['月份', '海棠校区', '高新区校区'], ['10月', 4010, 4120], [11, 4005, 4150]]),
    expected: accepted(
      [
        figure('voc.haitang_enrolment', 4010, 'students', 'B3', '2026-10'),
        figure('voc.hitech_enrolment', 4120, 'students', 'C3', '2026-10'),
        figure('voc.haitang_enrolment', 4005, 'students', 'B4'),
        figure('voc.hitech_enrolment', 4150, 'students', 'C4'),
      ],
    ),
  },
  {
    name: 'a long sheet and a wide sheet in one upload',
    covers: 'layouts',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      workbook((book) => {
        addSheet(book, SHEET, [HEADER, ['国家级孵化器', '个', 1]]);
        addSheet(book, '进度', [['月份', '巴渝工匠'], ['2026-10', 20], ['2026-11', 12]]);
      }),
    expected: accepted([
      figure('sci.national_incubators', 1, 'count', 'C2'),
      figure('sci.bayu_craftsmen', 20, 'persons', 'B2', '2026-10', '进度'),
      figure('sci.bayu_craftsmen', 12, 'persons', 'B3', '2026-11', '进度'),
    ]),
  },
  {
    name: 'a wide sheet with a column the catalog does not know and one of another department',
    covers: 'layouts',
    bytes: () => sheetWorkbook([['月份', '巴渝工匠', '神秘指标', '海棠校区'], ['2026-11', 12, 3, 4000]]),
    expected: rejected([at('indicator.unknown', 'C1'), at('indicator.other_department', 'D1')], {
      period: '2026-11',
      figures: [figure('sci.bayu_craftsmen', 12, 'persons', 'B2')],
    }),
  },
  {
    name: 'a long sheet with a period column',
    covers: 'periods',
    department: 'education',
    bytes: () => sheetWorkbook([['月份', '指标', '数值'], ['2026-11', '集团化办学覆盖率', '85%'], ['2026-11', '传统特色学校', 52]]),
    expected: accepted([
      figure('edu.group_schooling_coverage', 85, 'percent', 'C2'),
      figure('edu.traditional_feature_schools', 52, 'count', 'C3'),
    ]),
  },
  {
    name: 'a period column that disagrees with the title',
    covers: 'periods',
    department: 'education',
    bytes: () => sheetWorkbook([['大足区教委2026年11月报表'], ['月份', '指标', '数值'], ['2026-10', '集团化办学覆盖率', 85]]),
    expected: rejected([at('period.conflict', 'A3')], { period: '2026-11' }),
  },
  {
    name: 'English headers, full-width brackets and line breaks in header cells',
    covers: 'headers and indicators',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      sheetWorkbook([
        ['Indicator\nname', 'Unit', '数值（万元）'],
        ['Technology contract turnover', undefined, 3500],
        ['  巴渝 工匠 ', '人', 12],
      ]),
    expected: accepted([figure('sci.tech_contract_turnover', 0.35, 'cny_100m', 'C2'), figure('sci.bayu_craftsmen', 12, 'persons', 'C3')]),
  },
  {
    name: 'indicators by id, alias, English name and full-width characters',
    covers: 'headers and indicators',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      sheetWorkbook([
        ['指标编号', '指标名称', '数值'],
        ['sci.national_incubators', undefined, 1],
        [undefined, '特派员', 30],
        [undefined, 'Technology transfer managers', 2],
        [undefined, '“企业创新激励一件事”应用全市推广复用', '是'],
        [undefined, '万人发明专利（件／万人）', '６.５'],
      ]),
    expected: accepted([
      figure('sci.national_incubators', 1, 'count', 'C2'),
      figure('sci.st_commissioners', 30, 'persons', 'C3'),
      figure('sci.tech_managers', 2, 'persons', 'C4'),
      figure('sci.incentive_app_rollout', true, 'done', 'C5'),
      figure('sci.patents_per_10k_residents', 6.5, 'patents_per_10k_residents', 'C6'),
    ]),
  },
  {
    name: 'a mistyped indicator, never mapped to the nearest one',
    covers: 'headers and indicators',
    fileName: 'science-2026-11.xlsx',
    bytes: () => scienceReport([['巴渝工将', '人', 12], ['科技特派员', '人', 30]]),
    expected: rejected([at('indicator.unknown', 'A5')], { period: '2026-11', figures: [figure('sci.st_commissioners', 30, 'persons', 'C6')] }),
  },
  {
    name: 'numbers typed as text: separators, full-width digits, spaces',
    covers: 'values',
    department: 'vocational',
    fileName: 'vocational-2026-11.xlsx',
    bytes: () => sheetWorkbook([HEADER, ['海棠校区办学规模', '人', '4,012'], ['高新区校区学生', '人', '４１５０'], ['开设专业', '个', ' 22 ']]),
    expected: accepted([
      figure('voc.haitang_enrolment', 4012, 'students', 'C2'),
      figure('voc.hitech_enrolment', 4150, 'students', 'C3'),
      figure('voc.majors', 22, 'count', 'C4'),
    ]),
  },
  {
    name: 'a negative amount in accountants’ brackets',
    covers: 'values',
    fileName: 'science-2026-11.xlsx',
    bytes: () => scienceReport([['技术合同成交额', '万元', '(1,200)']]),
    expected: rejected([at('value.negative', 'C5')], { period: '2026-11' }),
  },
  {
    name: 'percentages as 92% text, a percent-formatted cell and a plain number',
    covers: 'values',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      workbook((book) => {
        const sheet = addSheet(book, SHEET, [HEADER, ['整体研发投入强度', undefined, 0.0215], ['全市平均研发投入强度', '%', 2.5]]);
        sheet.getCell('C2').numFmt = '0.00%';
      }),
    expected: accepted([figure('sci.rd_intensity', 2.15, 'percent', 'C2'), figure('sci.rd_intensity_city_avg', 2.5, 'percent', 'C3')]),
  },
  {
    name: 'a percentage written as text with its sign',
    covers: 'values',
    department: 'vocational',
    fileName: 'vocational-2026-11.xlsx',
    bytes: () => sheetWorkbook([HEADER, ['持证学生比例', undefined, '92.5%']]),
    expected: accepted([figure('voc.certificate_share', 92.5, 'percent', 'C2')]),
  },
  {
    name: 'money in 元 from the unit column, 万元 in the cell text',
    covers: 'values',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      workbook((book) => {
        addSheet(book, SHEET, [HEADER, ['技术合同成交额', '元', '350,000,000']]);
        addSheet(book, '补报', [['填报月份', '2026-11'], ['指标', '数值'], ['技术合同成交额', '35000万元']]);
      }),
    expected: accepted([figure('sci.tech_contract_turnover', 3.5, 'cny_100m', 'C2')]),
  },
  {
    name: 'a milestone typed as 已完成 beside a percentage typed as text',
    covers: 'values',
    department: 'education',
    fileName: 'education-2026-11.xlsx',
    bytes: () => sheetWorkbook([['指标', '数值'], ['全国学前教育普及普惠区', '已完成'], ['集团化办学覆盖率', '80']]),
    expected: accepted([figure('edu.national_designations', true, 'done', 'B2'), figure('edu.group_schooling_coverage', 80, 'percent', 'B3')]),
  },
  {
    name: 'formulas: a cached result is taken, an error value and a missing result are refused',
    covers: 'values',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      scienceReport([
        ['巴渝工匠', '人', { formula: '10+2', result: 12 }],
        ['科技特派员', '人', { formula: '1/0', result: { error: '#DIV/0!' } }],
        ['技术经理人', '人', { formula: 'SUM(Z1:Z9)', result: undefined } as unknown as ExcelJS.CellValue],
      ]),
    expected: rejected([at('value.formula_error', 'C6'), at('value.formula_uncalculated', 'C7')], { period: '2026-11', figures: [CRAFTSMEN_12] }),
  },
  {
    name: 'rich text, a hyperlink and a value in a merged cell',
    covers: 'values',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      workbook((book) => {
        const sheet = addSheet(book, SHEET, [
          HEADER,
          [{ richText: [{ text: '巴渝' }, { text: '工匠', font: { bold: true } }] }, '人', 12],
          [{ text: '科技特派员', hyperlink: 'https://example.org/' }, '人', 30, undefined],
        ]);
        sheet.mergeCells('C3:D3');
      }),
    expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C2'), figure('sci.st_commissioners', 30, 'persons', 'C3')]),
  },
  periodCellCase('the period as a date cell', new Date(Date.UTC(2026, 10, 1)), { numFmt: 'yyyy"年"m"月"' }),
  periodCellCase('the period as a date in a workbook saved in the 1904 date system', new Date(Date.UTC(2026, 10, 1)), {
    numFmt: 'yyyy-mm',
    date1904: true,
  }),
  periodCellCase('the period as a bare date serial in a workbook saved in the 1904 date system', 46327 - 1462, { date1904: true }),
  {
    name: 'the period only in the file name',
    covers: 'periods',
    fileName: 'incoming/science/科技局 2026.11 (1).xlsx',
    bytes: () => sheetWorkbook([HEADER, ['巴渝工匠', '人', 12]]),
    expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C2')]),
  },
  {
    name: 'a period cell that disagrees with the file name of a reused workbook: the cell is taken',
    covers: 'periods',
    fileName: 'science-2026-10.xlsx',
    bytes: () => scienceReport([['巴渝工匠', '人', 12]], '2026年11月'),
    expected: accepted([CRAFTSMEN_12], [at('period.overruled', 'B2')]),
  },
  {
    name: 'no period anywhere',
    covers: 'periods',
    bytes: () => sheetWorkbook([HEADER, ['巴渝工匠', '人', 12]]),
    expected: rejected([at('period.missing')]),
  },
  {
    name: 'a month in the future',
    covers: 'rules',
    bytes: () => sheetWorkbook([['填报月份', '2027-01'], HEADER, ['巴渝工匠', '人', 12]]),
    expected: rejected([at('period.future', 'B1')], { period: '2027-01', figures: [figure('sci.bayu_craftsmen', 12, 'persons', 'C3', '2027-01')] }),
  },
  {
    name: 'the same indicator and month twice with different values',
    covers: 'rules',
    bytes: () => scienceReport([['巴渝工匠', '人', 12], ['Bayu craftsmen trained', '人', 15]]),
    expected: rejected([at('indicator.duplicate', 'C6')], { period: '2026-11', figures: [CRAFTSMEN_12] }),
  },
  {
    name: "another department's indicator (the wrong folder)",
    covers: 'rules',
    bytes: () => scienceReport([['巴渝工匠', '人', 12], ['集团化办学覆盖率', '%', 85]]),
    expected: rejected([at('indicator.other_department', 'A6')], { period: '2026-11', figures: [CRAFTSMEN_12] }),
  },
  {
    name: 'an amount typed in 元 under a 亿元 header: outside the plausible range, a warning',
    covers: 'rules',
    bytes: () => scienceReport([['技术合同成交额', '亿元', 35_000_000]]),
    expected: accepted([figure('sci.tech_contract_turnover', 35_000_000, 'cny_100m', 'C5')], [at('value.implausible', 'C5')]),
  },
  {
    name: 'the same implausible amount where the catalog makes the range an error',
    covers: 'rules',
    catalog: catalogWith((data) => {
      data.severities['value.implausible'] = 'error';
    }),
    bytes: () => scienceReport([['技术合同成交额', '亿元', 35_000_000]]),
    expected: rejected([at('value.implausible', 'C5')], {
      period: '2026-11',
      figures: [figure('sci.tech_contract_turnover', 35_000_000, 'cny_100m', 'C5')],
    }),
  },
  {
    name: 'a cumulative count below the month before',
    covers: 'rules',
    department: 'education',
    fileName: 'education-2026-11.xlsx',
    previous: [{ indicator: 'edu.traditional_feature_schools', period: '2026-10', value: 52 }],
    bytes: () => sheetWorkbook([HEADER, ['传统特色学校', '所', 50]]),
    expected: rejected([at('value.fell', 'C2')], { period: '2026-11', figures: [figure('edu.traditional_feature_schools', 50, 'count', 'C2')] }),
  },
  {
    name: 'a percentage over 100',
    covers: 'rules',
    department: 'education',
    fileName: 'education-2026-11.xlsx',
    bytes: () => sheetWorkbook([HEADER, ['集团化办学覆盖率', '%', 105]]),
    expected: rejected([at('value.percent_out_of_range', 'C2')], {
      period: '2026-11',
      figures: [figure('edu.group_schooling_coverage', 105, 'percent', 'C2')],
    }),
  },
  {
    name: 'a CSV saved as UTF-8 with a byte-order mark',
    covers: 'hostile files',
    fileName: 'science-2026-11.csv',
    bytes: async () => Buffer.from('\uFEFF指标,单位,数值\r\n巴渝工匠,人,12\r\n"技术合同成交额","万元","3,500"\r\n', 'utf8'),
    expected: accepted([
      figure('sci.bayu_craftsmen', 12, 'persons', 'C2', '2026-11', 'science-2026-11'),
      figure('sci.tech_contract_turnover', 0.35, 'cny_100m', 'C3', '2026-11', 'science-2026-11'),
    ]),
  },
  {
    name: 'a CSV saved by Excel in GB18030',
    covers: 'hostile files',
    fileName: '科技局.csv',
    // 填报月份,2026-11 / 指标,单位,数值 / 巴渝工匠,人,12 / 技术合同成交额,万元,"3,500" in GB18030.
    bytes: async () =>
      Buffer.from(
        'cceeb1a8d4c2b7dd2c323032362d31310d0ad6b8b1ea2cb5a5cebb2ccafdd6b50d0ab0cdd3e5b9a4bdb32cc8cb2c31320d0abcbccaf5bacfcdacb3c9bdbbb6ee2ccdf2d4aa2c22332c353030220d0a',
        'hex',
      ),
    expected: accepted([
      figure('sci.bayu_craftsmen', 12, 'persons', 'C3', '2026-11', '科技局'),
      figure('sci.tech_contract_turnover', 0.35, 'cny_100m', 'C4', '2026-11', '科技局'),
    ]),
  },
  {
    name: 'a macro-enabled .xlsm: values read, macros ignored',
    covers: 'hostile files',
    fileName: 'science-2026-11.xlsm',
    bytes: async () => withEntry(await sheetWorkbook([HEADER, ['巴渝工匠', '人', 12]]), 'xl/vbaProject.bin', Buffer.alloc(2048, 7)),
    expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C2')]),
  },
  refusedFile('a PDF renamed .xlsx', 'science-2026-11.xlsx', 'file.not_a_workbook', async () => Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 'latin1')),
  refusedFile('a text file renamed .xlsx', 'science-2026-11.xlsx', 'file.not_a_workbook', async () => Buffer.from('巴渝工匠 12\n科技特派员 30\n', 'utf8')),
  refusedFile('an Excel 97-2003 .xls', 'science-2026-11.xls', 'file.legacy_xls', async () => compoundFile('Workbook')),
  refusedFile('an old .xls renamed .csv', 'science-2026-11.csv', 'file.legacy_xls', async () => compoundFile('Workbook')),
  refusedFile('a password-protected workbook', 'science-2026-11.xlsx', 'file.password_protected', async () => compoundFile('EncryptedPackage')),
  {
    name: 'a truncated upload',
    covers: 'hostile files',
    fileName: 'science-2026-11.xlsx',
    bytes: async () => {
      const bytes = await scienceReport([['巴渝工匠', '人', 12]]);
      return bytes.subarray(0, Math.floor(bytes.length / 2));
    },
    expected: refused('file.corrupt'),
  },
  refusedFile('an empty file', 'science-2026-11.xlsx', 'file.empty', async () => new Uint8Array()),
  refusedFile('a zip bomb: a small file whose sheet unpacks past the limit', 'science-2026-11.xlsx', 'file.too_large', () => zipBomb(80 * 2 ** 20)),
  {
    name: 'a cell far below the row limit',
    covers: 'hostile files',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      workbook((book) => {
        addSheet(book, SHEET, [HEADER, ['巴渝工匠', '人', 12]]).getCell('A20001').value = 'x';
      }),
    expected: refused('file.too_large'),
  },
  {
    name: 'a cell far right of the column limit',
    covers: 'hostile files',
    fileName: 'science-2026-11.xlsx',
    bytes: () =>
      workbook((book) => {
        addSheet(book, SHEET, [HEADER, ['巴渝工匠', '人', 12]]).getCell(2, 500).value = 'x';
      }),
    expected: refused('file.too_large'),
  },
];

export const TEMPLATE_CASES: CorpusCase[] = corpusCases(CASES);
