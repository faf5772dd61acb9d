import { describe, expect, it } from 'vitest';
import { reportXlsx } from '../../shared/snapshot/index.js';
import { STATUS_LABELS } from '../../shared/snapshot/report-model.js';
import { reportMonth } from '../report-month.js';
import { pdfByLibreOffice } from './libreoffice.js';
import { summarisePdf } from './pdf.js';

/** A4 in whole points, either way round (LibreOffice writes 595.30 × 841.89). */
const A4 = [595, 842];

describe('report.xlsx printed to PDF by LibreOffice', () => {
  it('fits on at most 4 A4 pages and paints every status the month has in its colour', async () => {
    const report = reportMonth();
    const pdf = summarisePdf(await pdfByLibreOffice(await reportXlsx(report)));

    expect(pdf.pages).toBeGreaterThan(0);
    expect(pdf.pages).toBeLessThanOrEqual(4);
    expect(pdf.mediaBoxes.length).toBeGreaterThan(0);
    for (const box of pdf.mediaBoxes) expect(box.map(Math.round).sort((a, b) => a - b)).toEqual(A4);
    const statuses = [...new Set(report.snapshot.indicators.map((row) => row.status))];
    expect(statuses.length).toBeGreaterThan(1);
    for (const status of statuses) expect([...pdf.fillColours]).toContain(STATUS_LABELS[status].colour);
  });
});
