import { describe, it } from 'vitest';
import { libreOfficeVersion, savedByLibreOffice } from './libreoffice.js';
import { expectAccepted, expectSavedByLibreOffice, roundTripInput, ROUND_TRIPS } from './round-trip.js';

describe('the template saved again by LibreOffice', () => {
  it.each(ROUND_TRIPS.map((trip) => [trip.name, trip] as const))('%s', async (_name, trip) => {
    const saved = await savedByLibreOffice(await roundTripInput(trip), trip);

    await expectSavedByLibreOffice(saved, trip, await libreOfficeVersion());
    await expectAccepted(saved, trip);
  });
});
