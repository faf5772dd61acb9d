import type { Catalog, Indicator } from '../catalog/catalog.js';
import type { Period } from '../calendar.js';
import type { Finding } from '../problem.js';
import { indicatorNames } from './indicators.js';
import { problemAt, severityOf } from './problems.js';

/**
 * The checks beyond a value's type, driven by the catalog: a plausible range per indicator, a cumulative
 * count that may not fall, a percentage of at most 100. Each finding carries the severity the catalog gives it.
 */

/** A figure as the rules see it; an Observation already stored is one too. */
export interface RuledFigure {
  indicator: string;
  period: Period;
  value: number | boolean;
}

/** A figure of this upload, with the cell a finding points at. */
export type UploadedFigure = RuledFigure & { sheet: string; cell: string };

function outsideRange(indicator: Indicator, value: number): 'low' | 'high' | undefined {
  const range = indicator.plausible;
  if (range?.min !== undefined && value < range.min) return 'low';
  if (range?.max !== undefined && value > range.max) return 'high';
  return undefined;
}

function implausible(catalog: Catalog, indicator: Indicator, figure: UploadedFigure & { value: number }): Finding[] {
  const side = outsideRange(indicator, figure.value);
  if (!side) return [];
  const unit = catalog.unit(indicator.unit);
  const [bound, zhSide, enSide] = side === 'low' ? [indicator.plausible?.min, '低于', 'below'] : [indicator.plausible?.max, '高于', 'above'];
  const problem = problemAt('value.implausible', figure.sheet, figure.cell, {
    zh: `${indicatorNames(indicator).zh}读到 ${figure.value} ${unit.zh}，${zhSide}合理值 ${bound}；请确认单位（如万元与亿元）和位数`,
    en: `${indicatorNames(indicator).en} read as ${figure.value} ${unit.en}, ${enSide} the plausible ${bound}; check the unit (万元 or 亿元) and the digits`,
  });
  return [{ ...problem, severity: indicator.plausible?.severity ?? severityOf('value.implausible', catalog.severities) }];
}

function percentOver100(catalog: Catalog, indicator: Indicator, figure: UploadedFigure & { value: number }): Finding[] {
  if (catalog.unit(indicator.unit).value !== 'percent' || figure.value <= 100) return [];
  const problem = problemAt('value.percent_out_of_range', figure.sheet, figure.cell, {
    zh: `读到 ${figure.value}（百分点）；如 92.5% 请填 92.5`,
    en: `read as ${figure.value} percentage points; for 92.5 % type 92.5`,
  });
  return [{ ...problem, severity: severityOf('value.percent_out_of_range', catalog.severities) }];
}

type Neighbours = { earlier?: RuledFigure; later?: RuledFigure };

/** The nearest figures before and after a month, among this upload's and those stored for months it does not replace. */
function neighbours(figure: RuledFigure, known: readonly RuledFigure[]): Neighbours {
  const same = known.filter((other) => other.indicator === figure.indicator && typeof other.value === 'number');
  const earlier = same.filter((other) => other.period < figure.period).sort((a, b) => b.period.localeCompare(a.period))[0];
  const later = same.filter((other) => other.period > figure.period).sort((a, b) => a.period.localeCompare(b.period))[0];
  return { ...(earlier ? { earlier } : {}), ...(later ? { later } : {}) };
}

function fell(catalog: Catalog, indicator: Indicator, figure: UploadedFigure & { value: number }, known: readonly RuledFigure[]): Finding[] {
  if (!indicator.neverFalls) return [];
  const { earlier, later } = neighbours(figure, known);
  const name = indicatorNames(indicator);
  const severity = severityOf('value.fell', catalog.severities);
  const findings: Finding[] = [];
  if (earlier && figure.value < Number(earlier.value)) {
    const detail = {
      zh: `${name.zh}为 ${figure.value}，低于 ${earlier.period} 的 ${String(earlier.value)}；累计数只增不减，请核对`,
      en: `${name.en} is ${figure.value}, below ${String(earlier.value)} in ${earlier.period}; a cumulative count never falls, check it`,
    };
    findings.push({ ...problemAt('value.fell', figure.sheet, figure.cell, detail), severity });
  }
  if (later && figure.value > Number(later.value)) {
    const detail = {
      zh: `${name.zh}为 ${figure.value}，高于之后 ${later.period} 的 ${String(later.value)}；累计数只增不减，请核对`,
      en: `${name.en} is ${figure.value}, above ${String(later.value)} in the later month ${later.period}; a cumulative count never falls, check it`,
    };
    findings.push({ ...problemAt('value.fell', figure.sheet, figure.cell, detail), severity });
  }
  return findings;
}

/**
 * Checks an upload's figures against the catalog's rules. `previous` are the department's figures already
 * stored (ObservationRepository.observationsUpTo); those for a month this upload reports are left out,
 * since the upload replaces them.
 */
export function checkRules(input: { catalog: Catalog; figures: readonly UploadedFigure[]; previous?: readonly RuledFigure[] }): Finding[] {
  const { catalog, figures } = input;
  const replaced = new Set(figures.map((figure) => figure.period));
  const known = [...(input.previous ?? []).filter((stored) => !replaced.has(stored.period)), ...figures];
  return figures.flatMap((figure) => {
    const indicator = catalog.indicator(figure.indicator);
    if (!indicator || typeof figure.value !== 'number') return [];
    const numeric = { ...figure, value: figure.value };
    // One finding per cell: a percentage over 100 is also implausible, and the clerk needs to read only one.
    const [first] = [...percentOver100(catalog, indicator, numeric), ...implausible(catalog, indicator, numeric), ...fell(catalog, indicator, numeric, known)];
    return first ? [first] : [];
  });
}
