import type { CellValue } from './sheet.js';

/**
 * Text folding shared by every match against the catalog: clerks type full-width
 * characters, Chinese brackets, stray spaces and mixed case, and none of it should matter.
 */

/** NFKC turns full-width letters, digits, brackets and ％ into their ASCII forms; the rest are mapped here. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[【〔〖]/g, '(')
    .replace(/[】〕〗]/g, ')')
    .replace(/\s+/g, ' ')
    .trim();
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

/**
 * Keywords are plain words, never regular-expression syntax. Chinese ones match anywhere;
 * English ones only as whole words, so "id" does not match "valid".
 */
function keywordPattern(keyword: string, atStart: boolean): RegExp {
  const word = /^[a-z ]+$/.test(keyword) ? `\\b${keyword}\\b` : keyword;
  return new RegExp(atStart ? `^${word}` : word);
}

export function containsKeyword(text: string, keyword: string): boolean {
  return keywordPattern(keyword, false).test(normaliseText(text).toLowerCase());
}

/** The first keyword the text begins with. */
export function startsWithKeyword(text: string, keywords: readonly string[]): string | undefined {
  const folded = normaliseText(text).toLowerCase();
  return keywords.find((keyword) => keywordPattern(keyword, true).test(folded));
}

/** A cell's value as the clerk sees it, for matching names and quoting it back in messages. */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') return 'error' in value ? value.error : `=${value.formula}`;
  return String(value).trim();
}

export function isBlank(value: CellValue | undefined): boolean {
  return value === undefined || cellText(value) === '';
}

/** A file name without its folders and extension: "incoming/science/科技局 2026.11.xlsx" → "科技局 2026.11". */
export function fileBaseName(fileName: string): string {
  return (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.[^.]*$/, '');
}
