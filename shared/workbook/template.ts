import ExcelJS from 'exceljs';
import type { Catalog, Department, Indicator, Unit } from '../catalog/catalog.js';
import type { Observation } from '../observation.js';
import { addMonths, type Period } from '../calendar.js';
import { catalogProgress, historiesByIndicator } from '../progress.js';
import { reportsFolder, uploadFolder } from '../s3-keys.js';
import { departmentOf } from './department.js';
import type { BilingualText } from './problems.js';
import { NOTE_LENGTH } from './rows.js';
import { columnLetters } from './sheet.js';

/** Where everything sits in the template, for code that fills it in or points a clerk at a cell. */
export const TEMPLATE = {
  dataSheet: '填报 Data',
  instructionsSheet: '说明 Instructions',
  /** Hidden: the lists the dropdowns offer, too long to write into the validation itself. */
  listsSheet: '选项 Lists',
  rows: { title: 1, department: 2, period: 3, header: 5, firstIndicator: 6 },
  columns: { id: 1, zh: 2, en: 3, unit: 4, value: 5, note: 6, lastReported: 7 },
} as const;

const HEADERS: Record<keyof typeof TEMPLATE.columns, { text: string; width: number }> = {
  id: { text: '指标编号 Indicator ID', width: 30 },
  zh: { text: '指标名称 Indicator (中文)', width: 44 },
  en: { text: 'Indicator (English)', width: 52 },
  unit: { text: '单位 Unit', width: 18 },
  value: { text: '数值 Value', width: 16 },
  note: { text: '备注 Note', width: 36 },
  lastReported: { text: '上次填报（仅供参考）Last reported (for reference)', width: 30 },
};

type ColumnKey = keyof typeof TEMPLATE.columns;
const COLUMN_KEYS = Object.keys(TEMPLATE.columns) as ColumnKey[];
const LAST_COLUMN = columnLetters(Math.max(...Object.values(TEMPLATE.columns)));
const PERIOD_CELL = `B${TEMPLATE.rows.period}`;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
/** The cells to fill in stand out from the ones to leave alone. */
const VALUE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const REFERENCE_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF808080' }, italic: true };
/** What a clerk types in; every other cell is locked. */
const INPUT_COLUMNS = [TEMPLATE.columns.unit, TEMPLATE.columns.value, TEMPLATE.columns.note];
/**
 * The sheet is protected without a password, only against slips: Review → Unprotect Sheet lifts it.
 * Formatting rows and columns stays allowed, so a clerk can still widen a column to read a long name.
 */
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
};
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

export function templateFileName(department: string, period: Period): string {
  return `${department}-${period}.xlsx`;
}

/** How to type a value in each kind of unit; shared by the instructions and the message Excel shows for a wrong value. */
function howToType(unit: Unit): BilingualText {
  switch (unit.value) {
    case 'integer':
      return { zh: '填非负整数，如 12', en: 'a whole number of 0 or more, e.g. 12' };
    case 'decimal':
      return { zh: '填非负数，可带小数，如 3.5', en: 'a number of 0 or more, decimals allowed, e.g. 3.5' };
    case 'percent':
      return {
        zh: '按百分点填写：92.5% 填 92.5（也可填“92.5%”）',
        en: 'in percentage points: for 92.5 % type 92.5 (or "92.5%")',
      };
    case 'boolean':
      return { zh: '已完成填“是”，未完成填“否”', en: 'type 是 if done, 否 if not' };
  }
}

function otherUnits(unit: Unit): BilingualText | undefined {
  const labels = unit.scales.flatMap((scale) => scale.labels.slice(0, 1));
  if (labels.length === 0) return undefined;
  return {
    zh: `；如按${labels.join('或')}填写，请把单位列改为相应单位，系统自动换算`,
    en: `; to report in ${labels.join(' or ')}, write that unit in the Unit column and it is converted`,
  };
}

/** Excel checks the typed value itself, so most mistakes are caught before the upload. */
function valueValidation(unit: Unit): ExcelJS.DataValidation {
  const hint = howToType(unit);
  const message = {
    error: `${hint.zh} / ${hint.en}`,
    errorTitle: '数值不符合要求 / Invalid value',
    showErrorMessage: true,
    allowBlank: true,
  };
  switch (unit.value) {
    case 'integer':
      return { type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], ...message };
    case 'decimal':
      return { type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0], ...message };
    case 'percent':
      return { type: 'decimal', operator: 'between', formulae: [0, 100], ...message };
    case 'boolean':
      return { type: 'list', formulae: ['"是,否"'], ...message };
  }
}

/** The unit column offers the unit and the others the reader converts from (亿元, 万元, 元). */
function unitValidation(unit: Unit): ExcelJS.DataValidation {
  const labels = [unit.zh, ...unit.scales.flatMap((scale) => scale.labels.slice(0, 1))];
  return {
    type: 'list',
    allowBlank: true,
    formulae: [`"${labels.join(',')}"`],
    showErrorMessage: true,
    errorTitle: '单位不符合要求 / Invalid unit',
    error: `请从列表中选择：${labels.join('、')} / Choose from the list: ${labels.join(', ')}`,
  };
}

/** The department's indicator ids, kept on the hidden lists sheet: an inline list is limited to 255 characters. */
function indicatorValidation(listRange: string): ExcelJS.DataValidation {
  return {
    type: 'list',
    allowBlank: false,
    formulae: [listRange],
    showErrorMessage: true,
    errorTitle: '指标编号不符合要求 / Unknown indicator ID',
    error: '请从列表中选择本部门的指标编号 / Choose one of your department\'s indicator IDs from the list',
  };
}

/** For each indicator, its latest figure up to and including the month, to show beside the cell to fill in. */
export function lastReported(observations: readonly Observation[], period: Period): Map<string, Observation> {
  const latest = new Map<string, Observation>();
  for (const observation of observations) {
    const known = latest.get(observation.indicator);
    if (observation.period <= period && (!known || observation.period > known.period)) latest.set(observation.indicator, observation);
  }
  return latest;
}

/** Text, so that no reader takes it for a figure of this month: "30（2026-10）", milestones as 是/否. */
function referenceText(observation: Observation): string {
  const value = typeof observation.value === 'boolean' ? (observation.value ? '是' : '否') : String(observation.value);
  return `${value}（${observation.period}）`;
}

/** What a row whose indicator was at risk or off track last month asks of its note: leaders ask why and what next. */
export const REASON_PROMPT = { zh: '请填写原因分析和下步措施', en: 'Please give the reason and next steps' } as const satisfies BilingualText;

/** Shown when the note cell is selected; it holds no text, so the note stays empty until the clerk writes one. */
function reasonValidation(): ExcelJS.DataValidation {
  return {
    type: 'textLength',
    operator: 'lessThanOrEqual',
    formulae: [NOTE_LENGTH],
    allowBlank: true,
    showInputMessage: true,
    promptTitle: '原因分析 / Reason',
    prompt: `上月进度存在风险或滞后，${REASON_PROMPT.zh}（最多 ${NOTE_LENGTH} 字）/ Last month at risk or off track. ${REASON_PROMPT.en} (at most ${NOTE_LENGTH} characters)`,
    // A longer note is kept cut, not refused: the clerk is not stopped from saving.
    showErrorMessage: false,
  };
}

/** The title's words around the month, which appears twice: once in the Chinese, once in the English. */
function titleWords(department: Department): [string, string] {
  return [`${department.zh} `, ` 指标填报表 / ${department.en} monthly indicators, `];
}

/** A text for a formula: in quotes, its own quotes doubled. */
const formulaText = (text: string) => `"${text.replaceAll('"', '""')}"`;

/**
 * The title repeats the period cell, so that it follows the month a clerk types into a reused template.
 * A date pasted into the period cell is shown as year-month rather than as its serial number.
 */
function title(department: Department, period: Period): ExcelJS.CellFormulaValue {
  const [before, between] = titleWords(department);
  const month = `IF(ISNUMBER(${PERIOD_CELL}),TEXT(${PERIOD_CELL},"yyyy-mm"),${PERIOD_CELL})`;
  return {
    formula: `${formulaText(before)}&${month}&${formulaText(between)}&${month}`,
    // Saved with the file, for readers that do not calculate: what the formula gives for the month the template is made for.
    result: `${before}${period}${between}${period}`,
  };
}

function addHeading(sheet: ExcelJS.Worksheet, department: Department, period: Period): void {
  const { rows } = TEMPLATE;
  sheet.mergeCells(`A${rows.title}:${LAST_COLUMN}${rows.title}`);
  const titleCell = sheet.getCell(`A${rows.title}`);
  titleCell.value = title(department, period);
  titleCell.font = { bold: true, size: 14 };
  titleCell.alignment = { vertical: 'middle', horizontal: 'center' };
  sheet.getRow(rows.title).height = 28;

  sheet.getRow(rows.department).values = ['填报单位 Department', department.id, `${department.zh} / ${department.en}`];
  sheet.mergeCells(`C${rows.department}:${LAST_COLUMN}${rows.department}`);
  sheet.getRow(rows.period).values = ['填报月份 Period', period];
  // Formatted as text, so that Excel does not turn a retyped "2026-12" into a date shown another way.
  sheet.getCell(PERIOD_CELL).numFmt = '@';
  // A clerk reusing last month's file retypes the month.
  sheet.getCell(PERIOD_CELL).protection = { locked: false };
  for (const row of [rows.department, rows.period]) sheet.getCell(`A${row}`).font = { bold: true };
}

function addHeader(sheet: ExcelJS.Worksheet): void {
  const header = sheet.getRow(TEMPLATE.rows.header);
  for (const key of COLUMN_KEYS) {
    const cell = header.getCell(TEMPLATE.columns[key]);
    cell.value = HEADERS[key].text;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  }
  header.height = 24;
}

interface IndicatorRow {
  indicator: Indicator;
  unit: Unit;
  previous: Observation | undefined;
  /** The indicator was at risk or off track last month: its note is asked for the reason. */
  behind: boolean;
  /** The range of the lists sheet holding the department's indicator ids. */
  indicatorList: string;
}

function addIndicator(sheet: ExcelJS.Worksheet, rowNumber: number, { indicator, unit, previous, behind, indicatorList }: IndicatorRow): void {
  const { columns } = TEMPLATE;
  const row = sheet.getRow(rowNumber);
  row.getCell(columns.id).value = indicator.id;
  row.getCell(columns.zh).value = indicator.zh;
  row.getCell(columns.en).value = indicator.en;
  row.getCell(columns.unit).value = unit.zh;
  for (const column of Object.values(columns)) {
    row.getCell(column).border = THIN;
    row.getCell(column).alignment = { vertical: 'middle', wrapText: true };
  }
  for (const column of INPUT_COLUMNS) row.getCell(column).protection = { locked: false };
  // The ids are locked; should a clerk lift the protection, the dropdown still keeps them to the catalog's.
  row.getCell(columns.id).dataValidation = indicatorValidation(indicatorList);
  row.getCell(columns.unit).dataValidation = unitValidation(unit);
  const value = row.getCell(columns.value);
  value.fill = VALUE_FILL;
  value.dataValidation = valueValidation(unit);
  if (previous) {
    const reference = row.getCell(columns.lastReported);
    reference.value = behind ? `${referenceText(previous)} ${REASON_PROMPT.zh} / ${REASON_PROMPT.en}` : referenceText(previous);
    reference.font = REFERENCE_FONT;
  }
  if (behind) row.getCell(columns.note).dataValidation = reasonValidation();
}

/** The indicators whose progress up to last month, from the figures given, was at risk or off track. */
function behindLastMonth(catalog: Catalog, indicators: readonly Indicator[], period: Period, previous: readonly Observation[]): Set<string> {
  const historyOf = historiesByIndicator(previous);
  const lastMonth = addMonths(period, -1);
  return new Set(
    indicators
      .filter((indicator) => ['at_risk', 'off_track'].includes(catalogProgress(catalog, indicator, lastMonth, historyOf).status))
      .map((indicator) => indicator.id),
  );
}

/** Where the lists sheet holds the department's indicator ids: column A, one per row. */
const indicatorListRange = (count: number) => `'${TEMPLATE.listsSheet}'!$A$1:$A$${Math.max(count, 1)}`;

function addListsSheet(workbook: ExcelJS.Workbook, indicators: readonly Indicator[]): void {
  const sheet = workbook.addWorksheet(TEMPLATE.listsSheet, { state: 'hidden' });
  indicators.forEach((indicator, index) => {
    sheet.getCell(index + 1, 1).value = indicator.id;
  });
}

async function addDataSheet(
  workbook: ExcelJS.Workbook,
  catalog: Catalog,
  department: Department,
  period: Period,
  previous: readonly Observation[],
): Promise<void> {
  const sheet = workbook.addWorksheet(TEMPLATE.dataSheet, {
    views: [{ state: 'frozen', ySplit: TEMPLATE.rows.header }],
  });
  for (const key of COLUMN_KEYS) sheet.getColumn(TEMPLATE.columns[key]).width = HEADERS[key].width;
  addHeading(sheet, department, period);
  addHeader(sheet);
  const latest = lastReported(
    previous.filter((o) => o.department === department.id),
    period,
  );
  const indicators = catalog.indicatorsOf(department.id);
  const indicatorList = indicatorListRange(indicators.length);
  const behind = behindLastMonth(catalog, indicators, period, previous);
  indicators.forEach((indicator, index) => {
    addIndicator(sheet, TEMPLATE.rows.firstIndicator + index, {
      indicator,
      unit: catalog.unit(indicator.unit),
      previous: latest.get(indicator.id),
      behind: behind.has(indicator.id),
      indicatorList,
    });
  });
  await sheet.protect('', PROTECTION);
}

function unitLine(unit: Unit): BilingualText {
  const how = howToType(unit);
  const other = otherUnits(unit);
  return { zh: `· ${unit.zh}：${how.zh}${other?.zh ?? ''}`, en: `· ${unit.en}: ${how.en}${other?.en ?? ''}` };
}

function unitsOf(catalog: Catalog, department: Department): Unit[] {
  return [...new Set(catalog.indicatorsOf(department.id).map((indicator) => indicator.unit))].map((id) => catalog.unit(id));
}

/** Each item is its lines, the numbered one first. */
function instructions(catalog: Catalog, department: Department, period: Period): BilingualText[][] {
  const [valueColumn, idColumn] = [columnLetters(TEMPLATE.columns.value), columnLetters(TEMPLATE.columns.id)];
  const folder = uploadFolder(department.id);
  const fileName = templateFileName(department.id, period);
  return [
    [
      {
        zh: `1. 只在“数值 Value”列（${valueColumn} 列）填写本月数据，需要说明的情况写在“备注 Note”列；“上次填报”列提示${REASON_PROMPT.zh}的指标，请在备注中写明。`,
        en: `1. Type this month's figures in the Value column (${valueColumn}) only; put any remark in the Note column, and where the Last reported column asks for it, the reason and next steps.`,
      },
    ],
    [
      {
        zh: `2. 不要修改指标编号（${idColumn} 列）和表头行。`,
        en: `2. Do not change the indicator IDs (column ${idColumn}) or the header row.`,
      },
    ],
    [
      {
        zh: `3. 填报月份在 ${PERIOD_CELL} 单元格，格式为“年-月”，如 ${period}。`,
        en: `3. The reporting period is in cell ${PERIOD_CELL}, as year-month, e.g. ${period}.`,
      },
    ],
    [
      {
        zh: '4. 按“单位”列的单位填写数字，可带千位分隔符：',
        en: '4. Type numbers in the unit shown in the Unit column; thousands separators are fine:',
      },
      ...unitsOf(catalog, department).map(unitLine),
    ],
    [
      {
        zh: '5. 没有数据的指标留空，视为本月未报送。',
        en: '5. Leave a value blank if you have no figure: it counts as not reported this month.',
      },
    ],
    [
      {
        zh: `6. 填好后在门户网站“上传”，几秒内即可看到结果；或上传到 ${folder} 文件夹（文件名如 ${fileName}），结果写在 ${reportsFolder(department.id)} 文件夹，出错的单元格在返回的标注副本中标出。`,
        en: `6. Upload the file on the portal's page, which shows the verdict within seconds; or put it in the folder ${folder} (named like ${fileName}), and read the verdict in ${reportsFolder(department.id)}, with each wrong cell marked in the annotated copy.`,
      },
    ],
    [
      {
        zh: '7. 发现错误时，改正后重新上传同一月份的文件即可：新文件替换该月的全部数据。',
        en: "7. To correct a mistake, upload the corrected file for the same month again: it replaces that month's figures.",
      },
    ],
    [
      {
        zh: '8. “上次填报”列是系统中已有的最近一次数据（括号内为月份），仅供参考，不会被读取。',
        en: '8. The "Last reported" column shows the latest figure already received (its month in brackets), for reference only; it is not read.',
      },
    ],
    [
      {
        zh: '9. 只有单位、数值、备注列和填报月份可以修改，其余单元格已锁定（无密码，可在“审阅 → 撤销工作表保护”中解除）。',
        en: '9. Only the Unit, Value and Note columns and the period can be changed; the other cells are locked (no password: Review → Unprotect Sheet lifts it).',
      },
    ],
  ];
}

/** One row per language and line, so the text reads without wrapping; a blank row sets items apart. */
function addInstructionsSheet(workbook: ExcelJS.Workbook, catalog: Catalog, department: Department, period: Period): void {
  const sheet = workbook.addWorksheet(TEMPLATE.instructionsSheet);
  sheet.columns = [{ width: 120 }];
  sheet.addRow(['填报说明 / How to fill in this workbook']).font = { bold: true, size: 14 };
  for (const item of instructions(catalog, department, period)) {
    sheet.addRow([]);
    for (const line of item) {
      sheet.addRow([line.zh]);
      sheet.addRow([line.en]).font = { color: { argb: 'FF595959' } };
    }
  }
}

export interface TemplateOptions {
  /** Figures already in the table (any months, any departments): the latest of each indicator up to the month is shown for reference. */
  previous?: readonly Observation[];
}

/**
 * The canonical workbook a department's clerk fills in for a month.
 * Throws UnknownDepartmentError for a department the catalog does not have.
 */
export async function buildTemplate(catalog: Catalog, department: string, period: Period, options: TemplateOptions = {}): Promise<Uint8Array> {
  const owner = departmentOf(catalog, department);
  const workbook = new ExcelJS.Workbook();
  await addDataSheet(workbook, catalog, owner, period, options.previous ?? []);
  addInstructionsSheet(workbook, catalog, owner, period);
  addListsSheet(workbook, catalog.indicatorsOf(owner.id));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
