import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { libreOfficeVersion, savedByLibreOffice } from './libreoffice.js';
import { roundTripInput, ROUND_TRIPS, SAMPLES_FOLDER } from './round-trip.js';

/** npm run samples:office: writes LibreOffice's files of the round trips to samples/office/, for npm test to read where LibreOffice is not installed. */
const version = await libreOfficeVersion();
await mkdir(SAMPLES_FOLDER, { recursive: true });
for (const trip of ROUND_TRIPS) {
  if (!trip.sample) continue;
  const path = join(SAMPLES_FOLDER, trip.sample(version));
  await writeFile(path, await savedByLibreOffice(await roundTripInput(trip), trip));
  console.log(`wrote ${path}`);
}
