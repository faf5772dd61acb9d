import { z } from 'zod';
import type { Unit } from '../catalog/catalog.js';
import type { Problem } from '../problem.js';
import { problemAt, type BilingualText, type ProblemCode } from './problems.js';
import { isDateFormat, NO_DATE_SHOWN, type CellError, type CellValue, type UncalculatedFormula, type WorkbookCell } from './sheet.js';
import { cellText, excerpt, isBlank, normaliseText, wordKey } from './text.js';

/** A unit written for a figure, and the cell it was written in. */
export interface UnitStatement {
  label: string;
  cell: string;
}

export type ValueReading =
  | { outcome: 'value'; value: number | boolean }
  | { outcome: 'missing' }
  | { outcome: 'problem'; problem: Problem };

export interface ValueInput {
  sheet: string;
  /** The value cell's address, also when the cell is empty. */
  address: string;
  cell: WorkbookCell | undefined;
  unit: Unit;
  /** Units written for this figure outside the value cell, the one that counts first. */
  units: readonly UnitStatement[];
}

type NumberType = Exclude<Unit['value'], 'boolean'>;

function unitKey(label: string): string {
  return wordKey(label).replace(/[()]/g, '');
}

/** The factor turning a figure written in `label` into the unit's canonical value; undefined when the label does not fit the unit. */
export function unitFactor(unit: Unit, label: string): number | undefined {
  const key = unitKey(label);
  if ([unit.zh, unit.en, ...unit.labels].some((name) => unitKey(name) === key)) return 1;
  return unit.scales.find((scale) => scale.labels.some((name) => unitKey(name) === key))?.factor;
}

const DONE_WORDS: ReadonlyMap<string, boolean> = new Map([
  ...['是', '已完成', '完成', 'yes', 'y', 'true', '1', 'done', '√', '✓'].map((word) => [wordKey(word), true] as const),
  ...['否', '未完成', 'no', 'n', 'false', '0', 'not done', '×', '✗'].map((word) => [wordKey(word), false] as const),
]);

type TypeCheckCode = Extract<ProblemCode, 'value.not_whole' | 'value.negative'>;

/** Each check's message is its problem code, so that a failed check names the problem directly. */
const check = (code: TypeCheckCode) => ({ error: code });

/** Whether 120 % is possible is a rule of the catalog's (see rules.ts); here only what no figure can be. */
const NUMBER_CHECKS: Record<NumberType, z.ZodType<number>> = {
  integer: z.number().int(check('value.not_whole')).min(0, check('value.negative')),
  decimal: z.number().min(0, check('value.negative')),
  percent: z.number().min(0, check('value.negative')),
};

const CHECK_DETAILS: Record<TypeCheckCode, (value: number, unit: Unit) => BilingualText> = {
  'value.not_whole': (value) => ({
    zh: `请填整数（如 ${Math.trunc(value)}），不要填 ${value}`,
    en: `type a whole number such as ${Math.trunc(value)}, not ${value}`,
  }),
  'value.negative': (value, unit) => ({
    zh: `读到 ${value} ${unit.zh}，请填写 0 或正数`,
    en: `read ${value} ${unit.en}; type 0 or more`,
  }),
};

function isTypeCheckCode(text: string | undefined): text is TypeCheckCode {
  return text !== undefined && Object.hasOwn(CHECK_DETAILS, text);
}

/** Thousands separators and full-width digits are fine; a unit may follow the number (92%, 3500万元). */
const NUMBER_TEXT = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)([^\d.,+-].*)?$/;

interface WrittenNumber {
  number: number;
  /** A unit typed after the number. */
  suffix?: string;
  /** Shown as a percentage by the cell's format: 0.92 is displayed, and meant, as 92%. */
  percentFormat: boolean;
}

/** A "%" inside quotes or after a backslash is literal text in a number format and does not scale the value. */
function isPercentFormat(numFmt: string | undefined): boolean {
  return numFmt !== undefined && numFmt.replace(/"[^"]*"/g, '').replace(/\\./g, '').includes('%');
}

/** Accountants write a negative amount in brackets: "(1,200)" is -1200. */
const BRACKETED = /^\(([^+-].*)\)$/;

function numberInText(text: string): WrittenNumber | undefined {
  const bracketed = BRACKETED.exec(text)?.[1];
  const written = bracketed === undefined ? undefined : numberInText(bracketed);
  if (written) return { ...written, number: -written.number };
  const match = NUMBER_TEXT.exec(text);
  if (!match?.[1]) return undefined;
  const number = Number(match[1].replaceAll(',', ''));
  return match[2] ? { number, suffix: match[2], percentFormat: false } : { number, percentFormat: false };
}

/** A date, or a date-formatted number Excel shows a row of # for: either way not a figure. Text keeps its own reading. */
function isDateCell(cell: WorkbookCell): boolean {
  const { value } = cell;
  return value instanceof Date || ((typeof value === 'number' || value === NO_DATE_SHOWN) && isDateFormat(cell.numFmt));
}

function writtenNumber(cell: WorkbookCell): WrittenNumber | undefined {
  if (isDateCell(cell)) return undefined;
  if (typeof cell.value === 'number') return { number: cell.value, percentFormat: isPercentFormat(cell.numFmt) };
  if (typeof cell.value !== 'string') return undefined;
  return numberInText(normaliseText(cell.value).replace(/\s/g, ''));
}

/** Scaling 3500 万元 by 0.0001 leaves binary noise (0.35000000000000003); 15 significant digits is what a clerk can type. */
function scaled(number: number, factor: number): number {
  return factor === 1 ? number : Number((number * factor).toPrecision(15));
}

function problemIn(input: ValueInput, code: ProblemCode, cell: string, detail?: BilingualText): ValueReading {
  return { outcome: 'problem', problem: problemAt(code, input.sheet, cell, detail) };
}

function unknownUnit(input: ValueInput, stated: UnitStatement): ValueReading {
  const accepted = [input.unit.zh, ...input.unit.scales.flatMap((scale) => scale.labels.slice(0, 1))];
  const shown = excerpt(stated.label);
  return problemIn(input, 'unit.unknown', stated.cell, {
    zh: `“${shown.zh}”不是该指标可用的单位，请填写：${accepted.join('、')}`,
    en: `'${shown.en}' cannot be used for this indicator; use ${accepted.join(', ')}`,
  });
}

function notANumber(input: ValueInput, cell: WorkbookCell): ValueReading {
  const shown = excerpt(cellText(cell.value));
  if (isDateCell(cell)) {
    return problemIn(input, 'value.not_a_number', input.address, {
      zh: `单元格为日期格式（读到“${shown.zh}”），请将单元格格式改为“常规”或“数值”后填写数字，如 12 或 3.5`,
      en: `the cell is formatted as a date (read '${shown.en}'); set its format to General or Number and type digits, e.g. 12 or 3.5`,
    });
  }
  return problemIn(input, 'value.not_a_number', input.address, {
    zh: `“${shown.zh}”无法识别为数字，请只填写数字，如 12 或 3.5`,
    en: `'${shown.en}' cannot be read as a number; type digits only, e.g. 12 or 3.5`,
  });
}

/** The factor of the unit written for a figure, or the statement of a unit that does not fit; no unit written means the canonical one. */
function writtenUnit(unit: Unit, stated: UnitStatement | undefined): { factor: number } | { misfit: UnitStatement } {
  if (!stated) return { factor: 1 };
  const factor = unitFactor(unit, stated.label);
  return factor === undefined ? { misfit: stated } : { factor };
}

function checkedNumber(input: ValueInput, cell: WorkbookCell, type: NumberType, value: number): ValueReading {
  const checked = NUMBER_CHECKS[type].safeParse(value);
  if (checked.success) return { outcome: 'value', value: checked.data };
  const code = checked.error.issues[0]?.message;
  return isTypeCheckCode(code) ? problemIn(input, code, input.address, CHECK_DETAILS[code](value, input.unit)) : notANumber(input, cell);
}

function readNumber(input: ValueInput, cell: WorkbookCell, type: NumberType): ValueReading {
  const written = writtenNumber(cell);
  if (!written) return notANumber(input, cell);
  const suffix = written.suffix === undefined ? undefined : { label: written.suffix, cell: input.address };
  const unit = writtenUnit(input.unit, suffix ?? input.units[0]);
  if ('misfit' in unit) return unknownUnit(input, unit.misfit);
  const percentScale = written.percentFormat && type === 'percent' ? 100 : 1;
  return checkedNumber(input, cell, type, scaled(written.number, unit.factor * percentScale));
}

function readDone(input: ValueInput, cell: WorkbookCell): ValueReading {
  const unit = writtenUnit(input.unit, input.units[0]);
  if ('misfit' in unit) return unknownUnit(input, unit.misfit);
  const done = typeof cell.value === 'boolean' ? cell.value : DONE_WORDS.get(wordKey(cellText(cell.value)));
  if (done !== undefined) return { outcome: 'value', value: done };
  const shown = excerpt(cellText(cell.value));
  return problemIn(input, 'value.not_boolean', input.address, {
    zh: `“${shown.zh}”无法识别，已完成填“是”，未完成填“否”`,
    en: `'${shown.en}' cannot be read; type 是 if it is done, 否 if not`,
  });
}

function isCellError(value: CellValue): value is CellError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

function isUncalculated(value: CellValue): value is UncalculatedFormula {
  return typeof value === 'object' && value !== null && 'formula' in value;
}

/** Reads a figure in the unit's canonical form, or says precisely what is wrong with the cell. */
export function readValue(input: ValueInput): ValueReading {
  const { cell } = input;
  if (!cell || isBlank(cell.value)) return { outcome: 'missing' };
  if (isCellError(cell.value)) {
    const shown = excerpt(cell.value.error);
    return problemIn(input, 'value.formula_error', input.address, {
      zh: `请修正公式或直接填写数值（错误值 ${shown.zh}）`,
      en: `fix the formula or type the number itself (error ${shown.en})`,
    });
  }
  if (isUncalculated(cell.value)) return problemIn(input, 'value.formula_uncalculated', input.address);
  const type = input.unit.value;
  return type === 'boolean' ? readDone(input, cell) : readNumber(input, cell, type);
}
