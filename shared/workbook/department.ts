import type { Catalog, Department } from '../catalog/catalog.js';

/** Asked for a department the catalog does not have: a caller's mistake, not a clerk's. */
export class UnknownDepartmentError extends Error {
  override readonly name = 'UnknownDepartmentError';
  constructor(readonly department: string) {
    super(`Unknown department "${department}"`);
  }
}

export function departmentOf(catalog: Catalog, id: string): Department {
  const department = catalog.department(id);
  if (!department) throw new UnknownDepartmentError(id);
  return department;
}
