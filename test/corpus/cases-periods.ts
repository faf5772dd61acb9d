import ExcelJS from 'exceljs';
import { TEMPLATE } from '../../shared/workbook/template.js';
import { filledFigures, filledTemplate } from '../office/filled-template.js';
import { sheetWorkbook } from './build.js';
import { accepted, at, corpusCases, figure, HEADER, rejected, type CorpusCase } from './outcome.js';

/** Where a workbook's month comes from: a reused template, a title that disagrees, file names with digits that are no month. */

/** The reused template whose title was typed over as static text naming its old month. */
async function staticTitle(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await filledTemplate({ period: '2026-11' })) as unknown as ExcelJS.Buffer);
  const title = workbook.getWorksheet(TEMPLATE.dataSheet)?.getCell('A1');
  if (!title) throw new Error('the template has no title');
  title.value = '区科技局 2026年10月 指标填报表';
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A report without a period cell, whose month can only come from its file name. */
const unlabelled = () => sheetWorkbook([HEADER, ['巴渝工匠', '人', 12]]);
/** The same with the month in a period cell. */
const labelled = () => sheetWorkbook([['填报月份', '2026-11'], HEADER, ['巴渝工匠', '人', 12]]);

const TITLE_CELL = at('period.overruled', 'A1', TEMPLATE.dataSheet);

export const PERIOD_CASES: CorpusCase[] = corpusCases([
  {
    name: "last month's template with only the period cell changed, its title recalculated",
    covers: 'periods',
    fileName: 'science-2026-11.xlsx',
    bytes: () => filledTemplate({ period: '2026-11', recalculated: true }),
    expected: accepted(filledFigures('2026-11')),
  },
  {
    name: "last month's template with only the period cell changed, by a writer that keeps the old title",
    covers: 'periods',
    bytes: () => filledTemplate({ period: '2026-11' }),
    expected: accepted(filledFigures('2026-11'), [TITLE_CELL]),
  },
  {
    name: 'a template whose title, typed as text, names another month than its period cell',
    covers: 'periods',
    bytes: staticTitle,
    expected: accepted(filledFigures('2026-11'), [TITLE_CELL]),
  },
  {
    name: 'a file name starting with a district code, beside a period cell',
    covers: 'periods',
    fileName: '500112-科技局-2026年11月.xlsx',
    bytes: labelled,
    expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C3')]),
  },
  {
    name: 'a file name of a district code and six digits, the only statement of the month',
    covers: 'periods',
    fileName: '500113_科技局_202610.xlsx',
    bytes: unlabelled,
    expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C2', '2026-10')], [], '2026-10'),
  },
  {
    name: 'a file name naming its encoding, GB18030',
    covers: 'periods',
    fileName: '科技局-GB18030.xlsx',
    bytes: labelled,
    expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C3')]),
  },
  {
    name: 'a file name with a month 13, beside a period cell',
    covers: 'periods',
    fileName: 'science-2026-13.xlsx',
    bytes: labelled,
    expected: accepted([figure('sci.bayu_craftsmen', 12, 'persons', 'C3')]),
  },
  {
    name: 'a file name with a month 13, the month stated nowhere else',
    covers: 'periods',
    fileName: 'science-2026-13.xlsx',
    bytes: unlabelled,
    expected: rejected([at('period.missing')]),
  },
]);
