import { MAX_INSPECTED_TEXT } from './limits.js';
import { perText } from './memo.js';
import type { BilingualText } from './problems.js';
import { NO_DATE_SHOWN, type CellValue } from './sheet.js';

/**
 * Text folding shared by every match against the catalog: clerks type full-width
 * characters, Chinese brackets, stray spaces and mixed case, and none of it should matter.
 */

/** What NFKC leaves for the mapping below: a bracket to replace, whitespace other than one space. */
const NEEDS_MAPPING = /[【〔〖】〕〗]|[^\S ]| {2}/;

function fold(text: string): string {
  const nfkc = text.normalize('NFKC');
  if (!NEEDS_MAPPING.test(nfkc)) return nfkc.trim();
  return nfkc
    .replace(/[【〔〖]/g, '(')
    .replace(/[】〕〗]/g, ')')
    .replace(/\s+/g, ' ')
    .trim();
}

const folded = perText(fold);

/**
 * NFKC turns full-width letters, digits, brackets and ％ into their ASCII forms; the rest are mapped here. A text
 * longer than MAX_INSPECTED_TEXT once trimmed folds to nothing, so it is no name, number, unit, month or heading:
 * looking through it would cost time and memory in proportion to its length.
 */
export function normaliseText(text: string): string {
  const trimmed = text.length > MAX_INSPECTED_TEXT ? text.trim() : text;
  return trimmed.length > MAX_INSPECTED_TEXT ? '' : folded(trimmed);
}

/** The start of a text, as much as is inspected: for what only a text's opening tells (a note line, a heading). */
export function openingOf(text: string): string {
  return text.length > MAX_INSPECTED_TEXT ? text.slice(0, MAX_INSPECTED_TEXT) : text;
}

/** A text's first `length` characters at most, never cut between the two halves of a character outside the BMP. */
export function openingCut(text: string, length: number): string {
  if (text.length <= length) return text;
  return text.slice(0, /[\uD800-\uDBFF]/.test(text.charAt(length - 1)) ? length - 1 : length);
}

/** How many characters of a text a message quotes. */
const EXCERPT_LENGTH = 40;

/**
 * A text as a message quotes it: whole when short, else its first characters marked with its full length, so that a
 * long cell can be found without being echoed back whole. Every message quoting a cell, sheet or file name uses it.
 */
export function excerpt(text: string): BilingualText {
  if (text.length <= EXCERPT_LENGTH) return { zh: text, en: text };
  const start = openingCut(text, EXCERPT_LENGTH);
  return { zh: `${start}…（共 ${text.length} 个字符）`, en: `${start}…(${text.length} characters)` };
}

const QUOTES = /["'“”‘’「」『』《》]/g;
const LIST_MARKER = /^(?:\d+|[一二三四五六七八九十]+)[.、)]/;

/** Folded, lower-case and without spaces: the form short words such as units and 是/否 are compared in. */
export function wordKey(text: string): string {
  return normaliseText(text).toLowerCase().replace(/\s/g, '');
}

/** The form indicator names are compared in: also without quotes or a leading "1." list marker. */
export function nameKey(text: string): string {
  return wordKey(text).replace(QUOTES, '').replace(LIST_MARKER, '');
}

/** Splits "技术合同成交额(亿元)" into the name and the bracketed part, which is often a unit. */
export function splitTrailingBracket(text: string): { name: string; bracket: string } | undefined {
  const match = /^(.*\S)\s*\(([^()]+)\)$/.exec(normaliseText(text));
  if (!match?.[1] || !match[2]) return undefined;
  return { name: match[1], bracket: match[2].trim() };
}

/** The form keywords are looked for in: folded and lower-case. */
export function keywordKey(text: string): string {
  return normaliseText(text).toLowerCase();
}

const isEnglish = (keyword: string) => /^[a-z ]+$/.test(keyword);

/**
 * Keywords are plain words in keywordKey form, never regular-expression syntax. Chinese ones match anywhere;
 * English ones only as whole words, so "id" does not match "valid". Each list is compiled once, where it is declared.
 */
export function keywordTest(keywords: readonly string[]): (key: string) => boolean {
  const anywhere = keywords.filter((keyword) => !isEnglish(keyword));
  const english = keywords.filter(isEnglish);
  const words = english.length > 0 ? new RegExp(`\\b(?:${english.join('|')})\\b`) : undefined;
  return (key) => anywhere.some((keyword) => key.includes(keyword)) || (words?.test(key) ?? false);
}

/** The first of the keywords (in the order given) a text in keywordKey form begins with. */
export function leadingKeyword(keywords: readonly string[]): (key: string) => string | undefined {
  const patterns = keywords.map((keyword) => [keyword, new RegExp(isEnglish(keyword) ? `^${keyword}\\b` : `^${keyword}`)] as const);
  return (key) => patterns.find(([, pattern]) => pattern.test(key))?.[0];
}

/** A cell's value as the clerk sees it, for matching names and quoting it back in messages. */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? NO_DATE_SHOWN : value.toISOString().replace(/T.*/, '');
  if (typeof value === 'object') return 'error' in value ? value.error : `=${value.formula}`;
  return String(value).trim();
}

/** Whether a cell shows nothing: only text can be blank, so a number is not worded to tell (every cell of every row is asked). */
export function isBlank(value: CellValue | undefined): boolean {
  if (typeof value === 'string') return value.trim() === '';
  return value === undefined || value === null || (typeof value === 'object' && 'error' in value && value.error === '');
}

/** A file name without its folders and extension: "incoming/science/科技局 2026.11.xlsx" → "科技局 2026.11". */
export function fileBaseName(fileName: string): string {
  return (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.[^.]*$/, '');
}
