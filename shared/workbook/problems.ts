import type { Catalog, RuleCode } from '../catalog/catalog.js';
import { WorkbookFormatError, type Problem, type Severity } from '../problem.js';

/**
 * Every problem an upload can raise, with its stable code and its general meaning.
 * A reported message is this text followed by the specifics of the cell
 * (what was found and what to type instead), Chinese first, then English.
 */

export interface BilingualText {
  zh: string;
  en: string;
}

interface ProblemDefinition extends BilingualText {
  /**
   * An error rejects the upload; a warning is reported beside accepted figures.
   * A rule's severity is the catalog's to choose (its `severities`).
   */
  severity: Severity | 'catalog';
}

export const PROBLEM_CODES = {
  'upload.unknown_department': {
    severity: 'error',
    zh: '上传文件夹不是已知部门，请上传到本部门的文件夹',
    en: "The upload folder is not a known department; upload into your department's folder",
  },
  'file.not_a_workbook': {
    severity: 'error',
    zh: '文件不是 Excel 工作簿（.xlsx、.xlsm）或 .csv 表格，请用模板填写并保存为 .xlsx 后重新上传',
    en: 'The file is not an Excel workbook (.xlsx, .xlsm) or a .csv table; fill in the template, save it as .xlsx and upload it again',
  },
  'file.unsupported_format': {
    severity: 'error',
    zh: '文件是本系统不能读取的表格格式（系统读取 Excel 工作簿 .xlsx、.xlsm 和 .csv 表格）',
    en: 'The file is a spreadsheet in a format this system does not read (it reads Excel workbooks, .xlsx or .xlsm, and .csv tables)',
  },
  'file.legacy_xls': {
    severity: 'error',
    zh: '文件是旧版 Excel 97-2003（.xls）格式，请在 Excel 中“另存为”Excel 工作簿（.xlsx）后重新上传',
    en: 'The file is in the old Excel 97-2003 (.xls) format; use Save As → Excel Workbook (.xlsx) and upload it again',
  },
  'file.password_protected': {
    severity: 'error',
    zh: '文件设置了打开密码，无法读取，请取消密码并保存后重新上传',
    en: 'The file is password-protected and cannot be read; remove the password, save it and upload it again',
  },
  'file.empty': {
    severity: 'error',
    zh: '文件是空的，请确认保存了填好的工作簿后重新上传',
    en: 'The file is empty; make sure the filled-in workbook was saved and upload it again',
  },
  'file.text_encoding': {
    severity: 'error',
    zh: '文件（CSV）的文字编码无法识别，请另存为“CSV UTF-8”或 Excel 工作簿（.xlsx）后重新上传',
    en: "The CSV file's text encoding is not recognised; save it as 'CSV UTF-8' or as an Excel workbook (.xlsx) and upload it again",
  },
  'file.corrupt': {
    severity: 'error',
    zh: '文件已损坏或不完整，无法读取，请在 Excel 中打开确认无误后重新保存并上传',
    en: 'The file is damaged or incomplete; open it in Excel, save it again and upload it again',
  },
  'file.too_large': {
    severity: 'error',
    zh: '文件过大，请只保留填报表后重新上传',
    en: 'The file is too large; keep only the data sheet and upload it again',
  },
  'file.check_failed': {
    severity: 'error',
    zh: '系统在检查此文件时出错（不是文件的问题），没有记录任何数值；运维人员已收到通知，请稍后重新上传或联系改革办',
    en: 'The pipeline failed while checking this file (a fault on our side, not in the file) and recorded nothing; the operators have been alerted: upload it again later or contact the reform office',
  },
  'sheet.no_table': {
    severity: 'error',
    zh: '找不到填报表：没有哪个工作表的表头行同时有“指标”和“数值”两列，请使用模板并保留其表头行',
    en: "No data table found: no sheet has a header row with both an 'Indicator' and a 'Value' column; use the template and keep its header row",
  },
  'sheet.unreadable': {
    severity: 'warning',
    zh: '该工作表像是填报数据，但找不到表头行，未读取其中的数值；如需报送请按模板保留表头行',
    en: "This sheet looks like figures but has no header row, so nothing in it was read; keep the template's header row to report them",
  },
  'sheet.not_read': {
    severity: 'warning',
    zh: '该工作表在文件中找不到其单元格内容，未能读取；请在 Excel 或 WPS 中打开文件、另存为 .xlsx 后重新上传',
    en: "This sheet's cells are not in the file, so it could not be read; open the file in Excel or WPS, save it as .xlsx and upload it again",
  },
  'sheet.no_figures': {
    severity: 'error',
    zh: '表中没有填写任何数值，请在“数值”列填写本月数据后重新上传',
    en: "No figure is filled in; type this month's figures in the Value column and upload again",
  },
  'period.missing': {
    severity: 'error',
    zh: '找不到填报月份',
    en: 'No reporting period found',
  },
  'period.invalid': {
    severity: 'error',
    zh: '填报月份无法识别',
    en: 'The reporting period cannot be read',
  },
  'period.future': {
    severity: 'catalog',
    zh: '填报月份晚于本月',
    en: 'The reporting period is in the future',
  },
  'period.too_early': {
    severity: 'error',
    zh: '填报月份早于指标目录的基线月份',
    en: "The reporting period is before the indicator catalog's baselines",
  },
  'period.conflict': {
    severity: 'error',
    zh: '两处填报月份不一致',
    en: 'The reporting period is stated differently in two places',
  },
  'period.overruled': {
    severity: 'warning',
    zh: '标题或文件名中的月份与填报月份不一致，已按填报月份读取',
    en: 'The title or the file name names another month than the period cell; the period cell was taken',
  },
  'indicator.unknown': {
    severity: 'error',
    zh: '无法识别的指标',
    en: 'Unknown indicator',
  },
  'indicator.other_department': {
    severity: 'catalog',
    zh: '该指标属于其他部门',
    en: 'This indicator belongs to another department',
  },
  'indicator.duplicate': {
    severity: 'catalog',
    zh: '同一指标填写了两次且数值不同',
    en: 'The same indicator is given twice with different values',
  },
  'indicator.not_listed': {
    severity: 'warning',
    zh: '表中没有该指标，视为本月未报送',
    en: 'The indicator is not in the workbook and counts as not reported this month',
  },
  'value.missing': {
    severity: 'warning',
    zh: '数值为空，视为本月未报送',
    en: 'The value is blank and counts as not reported this month',
  },
  'value.not_a_number': {
    severity: 'error',
    zh: '数值不是数字',
    en: 'The value is not a number',
  },
  'value.not_whole': {
    severity: 'error',
    zh: '数值必须是整数',
    en: 'The value must be a whole number',
  },
  'value.negative': {
    severity: 'error',
    zh: '数值不能为负数',
    en: 'The value cannot be negative',
  },
  'value.percent_out_of_range': {
    severity: 'catalog',
    zh: '百分比必须在 0 到 100 之间（按百分点填写）',
    en: 'A percentage must be between 0 and 100 (in percentage points)',
  },
  'value.implausible': {
    severity: 'catalog',
    zh: '数值超出该指标的合理范围，请核对单位和位数',
    en: "The value is outside the indicator's plausible range; check the unit and the number of digits",
  },
  'value.fell': {
    severity: 'catalog',
    zh: '累计数不应比之前月份减少',
    en: 'A cumulative figure cannot be lower than an earlier month',
  },
  'value.cumulative_mismatch': {
    severity: 'warning',
    zh: '累计数与其所含各月数值之和不一致',
    en: 'The cumulative figure differs from the sum of the months it covers',
  },
  'value.not_boolean': {
    severity: 'error',
    zh: '完成情况请填写“是”或“否”',
    en: 'Type 是 (done) or 否 (not done)',
  },
  'value.formula_error': {
    severity: 'error',
    zh: '公式计算出错',
    en: 'The formula gives an error',
  },
  'value.formula_uncalculated': {
    severity: 'error',
    zh: '公式没有保存计算结果，请在 Excel 中打开并保存，或直接填写数值',
    en: 'The formula was saved without its result; open and save the file in Excel, or type the number itself',
  },
  'unit.unknown': {
    severity: 'error',
    zh: '单位无法识别',
    en: 'The unit is not recognised',
  },
} as const satisfies Record<string, ProblemDefinition>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_CODES, code);
}

function isRuleCode(code: string, severities: Catalog['severities']): code is RuleCode {
  return Object.hasOwn(severities, code);
}

/** Whether a problem rejects the upload: fixed for most codes, the catalog's choice for a rule. */
export function severityOf(code: string, severities: Catalog['severities']): Severity {
  if (isRuleCode(code, severities)) return severities[code];
  return isProblemCode(code) && PROBLEM_CODES[code].severity === 'warning' ? 'warning' : 'error';
}

/** The codes a whole file can fail with, before any sheet is looked at. */
export type FileProblemCode = Extract<ProblemCode, `file.${string}`>;

export function problemMessage(code: ProblemCode, detail?: BilingualText): string {
  const { zh, en } = PROBLEM_CODES[code];
  return detail ? `${zh}：${detail.zh} / ${en}; ${detail.en}` : `${zh} / ${en}`;
}

export function problemAt(code: ProblemCode, sheet: string | null, cell: string | null, detail?: BilingualText): Problem {
  return { sheet, cell, code, message: problemMessage(code, detail) };
}

export function workbookFormatError(code: FileProblemCode, detail?: BilingualText, cause?: unknown): WorkbookFormatError {
  return new WorkbookFormatError(code, problemMessage(code, detail), { cause });
}
