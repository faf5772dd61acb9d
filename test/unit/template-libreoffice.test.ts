import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { expectAccepted, expectSavedByLibreOffice, ROUND_TRIPS, SAMPLES_FOLDER, SAMPLES_VERSION } from '../office/round-trip.js';

/** The files LibreOffice wrote (npm run samples:office), read where LibreOffice is not installed; test/office runs it. */
const committed = ROUND_TRIPS.flatMap((trip) => (trip.sample ? [[trip.name, trip, trip.sample(SAMPLES_VERSION)] as const] : []));

describe(`the template saved by LibreOffice ${SAMPLES_VERSION}, as committed`, () => {
  it.each(committed)('%s', async (_name, trip, file) => {
    const bytes = new Uint8Array(await readFile(join(SAMPLES_FOLDER, file)));

    await expectSavedByLibreOffice(bytes, trip, SAMPLES_VERSION);
    await expectAccepted(bytes, trip);
  });
});
