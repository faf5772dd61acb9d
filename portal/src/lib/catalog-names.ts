import catalog from '../../../shared/catalog/catalog.json' with { type: 'json' };
import type { Bilingual } from './labels.js';

/** An indicator as the catalog names it, with the canonical unit its figures are in. */
export interface IndicatorName extends Bilingual {
  unit: Bilingual;
}

const units = new Map(catalog.units.map((unit) => [unit.id, { zh: unit.zh, en: unit.en }]));
const names = new Map(
  catalog.indicators.map((indicator) => [indicator.id, { zh: indicator.zh, en: indicator.en, unit: units.get(indicator.unit) ?? { zh: indicator.unit, en: indicator.unit } }]),
);

/** The indicator's names and unit; undefined for an id this catalog does not know (a report written under another version). */
export const indicatorName = (indicator: string): IndicatorName | undefined => names.get(indicator);

const departments = new Map(catalog.departments.map((department) => [department.id, { zh: department.zh, en: department.en }]));

/** The department's names; its id alone for one this catalog does not know. */
export const departmentName = (department: string): Bilingual => departments.get(department) ?? { zh: department, en: '' };
