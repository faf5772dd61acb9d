import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { catalog } from '../../shared/catalog/catalog.js';
import type { Observation } from '../../shared/observation.js';
import type { Period } from '../../shared/calendar.js';
import { uploadFolder } from '../../shared/s3-keys.js';
import { buildTemplate } from '../../shared/workbook/template.js';
import { templateFigures } from '../../shared/workbook/template-figures.js';
import { LOCAL_RESOURCES, startLocalStores } from '../local/stores.js';
import type { CliArgs } from '../main.js';
import { terminalText } from '../print.js';
import { requireDepartment, requirePeriod, requireValue } from '../usage.js';

/** The department's current figures of the months up to this one that progress uses, when the local stores exist; nothing is written to them. */
async function figuresSoFar(directory: string, department: string, period: Period): Promise<Observation[]> {
  // No table yet: starting the stores would create one just to find it empty.
  if (!existsSync(join(directory, 'dynamodb'))) return [];
  const stores = await startLocalStores(directory);
  try {
    const repository = dynamoObservationRepository(DynamoDBDocumentClient.from(stores.dynamo), LOCAL_RESOURCES.observationsTable);
    return await templateFigures(catalog, repository, department, period);
  } finally {
    await stores.close();
  }
}

export async function templateCommand({ values }: CliArgs): Promise<number> {
  const department = requireDepartment(values.department);
  const period = requirePeriod(values.period);
  const out = requireValue(values.out, '--out');
  const previous = await figuresSoFar(values.data, department, period);
  await writeFile(out, await buildTemplate(catalog, department, period, { previous }));
  const reference = previous.length > 0 ? `, with the last reported figures from ${terminalText(values.data)} for reference` : '';
  console.log(`wrote ${terminalText(out)}: the ${department} workbook for ${period}${reference}; upload it to ${uploadFolder(department)}`);
  return 0;
}
