import type { Catalog } from '../catalog/catalog.js';
import type { Period } from '../calendar.js';
import type { Observation } from '../observation.js';
import type { ObservationRepository } from '../ports.js';
import { firstMonthNeeded } from '../progress.js';

/**
 * The figures a month's template shows for reference: the department's current ones of the months up to it that
 * progress uses, nothing corrected away. The CLI's `template` and the portal's template route both ask this.
 */
export async function templateFigures(
  catalog: Catalog,
  observations: Pick<ObservationRepository, 'slicesIn'>,
  department: string,
  period: Period,
): Promise<Observation[]> {
  const slices = await observations.slicesIn(department, { from: firstMonthNeeded(catalog.indicators, period), to: period });
  return slices.flatMap((slice) => slice.observations);
}
