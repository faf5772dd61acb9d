import type { Catalog, Indicator } from '../catalog/catalog.js';
import type { BilingualText } from './problems.js';
import { perText } from './memo.js';
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

/** The indicator a text names, for one department's upload. */
export type IndicatorMatcher = (text: string) => IndicatorMatch | undefined;

/** matchIndicator for one department's upload, each distinct text matched once. */
export function indicatorMatcher(index: IndicatorIndex, department: string): IndicatorMatcher {
  const matched = perText((text) => matchIndicator(index, text, department) ?? null);
  return (text) => matched(text) ?? undefined;
}

function preferDepartment(candidates: readonly Indicator[] | undefined, department: string): Indicator | undefined {
  return candidates?.find((indicator) => indicator.department === department) ?? candidates?.[0];
}

/** Each name of an indicator as the character pairs similarity compares, worked out once per indicator. */
const NAME_PAIRS = new WeakMap<Indicator, CharacterPairs[]>();

function namePairs(indicator: Indicator): CharacterPairs[] {
  let pairs = NAME_PAIRS.get(indicator);
  if (!pairs) {
    pairs = namesOf(indicator).map((name) => characterPairs(nameKey(name)));
    NAME_PAIRS.set(indicator, pairs);
  }
  return pairs;
}

/** The indicators whose names look most like the text, best first, to suggest what the clerk meant. */
export function nearestIndicators(text: string, indicators: readonly Indicator[], count = 3): Indicator[] {
  const pairs = characterPairs(nameKey(text));
  return indicators
    .map((indicator) => ({ indicator, score: Math.max(...namePairs(indicator).map((name) => similarity(pairs, name))) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, count)
    .map(({ indicator }) => indicator);
}

/** The adjacent character pairs of a text (the text itself when shorter), sorted, so that two are compared in one pass. */
type CharacterPairs = readonly string[];

function characterPairs(text: string): CharacterPairs {
  const characters = [...text];
  if (characters.length < 2) return characters;
  return characters.slice(1).map((character, i) => `${characters[i] ?? ''}${character}`).sort();
}

/** Dice coefficient over adjacent character pairs: suits Chinese, where words are not separated by spaces. */
function similarity(a: CharacterPairs, b: CharacterPairs): number {
  if (a.length + b.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const left = a[i] ?? '';
    const right = b[j] ?? '';
    if (left === right) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (left < right) i += 1;
    else j += 1;
  }
  return (2 * shared) / (a.length + b.length);
}

/** How a message names an indicator, so that the clerk can find it in the template either way. */
export function indicatorNames(indicator: Indicator): BilingualText {
  return { zh: `${indicator.zh}（${indicator.id}）`, en: `${indicator.en} (${indicator.id})` };
}
