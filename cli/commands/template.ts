import { writeFile } from 'node:fs/promises';
import { catalog } from '../../shared/catalog/catalog.js';
import { buildTemplate } from '../../shared/workbook/template.js';
import type { CliArgs } from '../main.js';
import { requireDepartment, requirePeriod, requireValue } from '../usage.js';

export async function templateCommand({ values }: CliArgs): Promise<number> {
  const department = requireDepartment(values.department);
  const period = requirePeriod(values.period);
  const out = requireValue(values.out, '--out');
  await writeFile(out, await buildTemplate(catalog, department, period));
  console.log(`wrote ${out}: the ${department} workbook for ${period}; upload it to incoming/${department}/`);
  return 0;
}
