import type { Catalog, Indicator } from '../catalog/catalog.js';
import type { BilingualText } from './problems.js';
import { nameKey, splitTrailingBracket } from './text.js';

/** Every way a workbook may name an indicator: id, Chinese and English names, aliases. */
function namesOf(indicator: Indicator): string[] {
  return [indicator.id, indicator.zh, indicator.en, ...indicator.aliases];
}

/** Indicators by the folded form of each of their names; a name may be shared across departments. */
export type IndicatorIndex = ReadonlyMap<string, readonly Indicator[]>;

export function indexIndicators(catalog: Catalog): IndicatorIndex {
  const index = new Map<string, Indicator[]>();
  for (const indicator of catalog.indicators) {
    for (const key of new Set(namesOf(indicator).map(nameKey))) {
      index.set(key, [...(index.get(key) ?? []), indicator]);
    }
  }
  return index;
}

export interface IndicatorMatch {
  indicator: Indicator;
  /** What followed the name in brackets, e.g. "万元" in "技术合同成交额（万元）": possibly a unit. */
  bracket?: string;
}

/**
 * The indicator a cell names, trying the whole text first so that names which
 * themselves end in brackets ("…学校(累计)") still match.
 */
export function matchIndicator(index: IndicatorIndex, text: string, department: string): IndicatorMatch | undefined {
  const whole = preferDepartment(index.get(nameKey(text)), department);
  if (whole) return { indicator: whole };
  const split = splitTrailingBracket(text);
  if (!split) return undefined;
  const named = preferDepartment(index.get(nameKey(split.name)), department);
  return named && { indicator: named, bracket: split.bracket };
}

function preferDepartment(candidates: readonly Indicator[] | undefined, department: string): Indicator | undefined {
  return candidates?.find((indicator) => indicator.department === department) ?? candidates?.[0];
}

/** The indicators whose names look most like the text, best first, to suggest what the clerk meant. */
export function nearestIndicators(text: string, indicators: readonly Indicator[], count = 3): Indicator[] {
  const key = nameKey(text);
  return indicators
    .map((indicator) => ({ indicator, score: Math.max(...namesOf(indicator).map((name) => similarity(key, nameKey(name)))) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, count)
    .map(({ indicator }) => indicator);
}

/** Dice coefficient over adjacent character pairs: suits Chinese, where words are not separated by spaces. */
function similarity(a: string, b: string): number {
  const pairsA = characterPairs(a);
  const pairsB = characterPairs(b);
  if (pairsA.length + pairsB.length === 0) return 0;
  const unmatched = new Map<string, number>();
  for (const pair of pairsB) unmatched.set(pair, (unmatched.get(pair) ?? 0) + 1);
  let shared = 0;
  for (const pair of pairsA) {
    const left = unmatched.get(pair) ?? 0;
    if (left > 0) {
      shared += 1;
      unmatched.set(pair, left - 1);
    }
  }
  return (2 * shared) / (pairsA.length + pairsB.length);
}

function characterPairs(text: string): string[] {
  const characters = [...text];
  if (characters.length < 2) return characters;
  return characters.slice(1).map((_, i) => characters.slice(i, i + 2).join(''));
}

/** How a message names an indicator, so that the clerk can find it in the template either way. */
export function indicatorNames(indicator: Indicator): BilingualText {
  return { zh: `${indicator.zh}（${indicator.id}）`, en: `${indicator.en} (${indicator.id})` };
}
