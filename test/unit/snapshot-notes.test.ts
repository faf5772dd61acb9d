import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, snapshotCsv, snapshotJson } from '../../shared/snapshot/index.js';
import { datasetParquet } from '../../shared/snapshot/parquet.js';
import { PROGRESS_DATASET } from '../../shared/snapshot/columns.js';
import { observation, testInput } from '../fixtures.js';

const REASON = '两个平台推迟到12月验收，"下步"加快评审';

/** The test month with a note on sci.platforms' November figure and one on edu.designation's September figure. */
const snapshot = buildSnapshot({
  ...testInput,
  observations: testInput.observations.map((o) => {
    if (o.indicator === 'sci.platforms' && o.period === '2026-11') return { ...o, note: REASON };
    if (o.indicator === 'edu.designation') return { ...o, note: '九月的说明' };
    return o;
  }),
});

describe("the snapshot carries each indicator's note of the month", () => {
  it("gives a row the note of its figure of the month itself, and null for a figure carried from an earlier month or without one", () => {
    expect(snapshot.indicators.map(({ indicator, note }) => ({ indicator, note }))).toEqual([
      { indicator: 'sci.platforms', note: REASON },
      { indicator: 'sci.rd_intensity', note: null },
      { indicator: 'sci.city_average', note: null },
      { indicator: 'edu.designation', note: null },
    ]);
  });

  it('writes it in progress.json', () => {
    const json = JSON.parse(snapshotJson(snapshot)) as { indicators: { note: unknown }[] };
    expect(json.indicators.map((row) => row.note)).toEqual([REASON, null, null, null]);
  });

  // Followed by the figure's sign-off (provisional: the test months have no review) and its explanation (none).
  it("writes it as progress.csv's column before sign_off and explanation, quoted, empty when none", () => {
    const [header, first, second] = snapshotCsv(snapshot).replace(/^\uFEFF/, '').split('\r\n');
    expect(header?.split(',').slice(-3)).toEqual(['note', 'sign_off', 'explanation']);
    expect(first?.endsWith(`,"${REASON.replace(/"/g, '""')}",provisional,`)).toBe(true);
    expect(second?.endsWith(',,provisional,')).toBe(true);
  });

  it('guards a note that a spreadsheet would run as a formula', () => {
    const guarded = buildSnapshot({ ...testInput, observations: [{ ...observation('sci.platforms', '2026-11', 4), note: '=HYPERLINK("x")' }] });
    expect(snapshotCsv(guarded).split('\r\n')[1]?.endsWith(`,"'=HYPERLINK(""x"")",provisional,`)).toBe(true);
  });

  it('writes it in progress.parquet', async () => {
    const bytes = datasetParquet(PROGRESS_DATASET, snapshot);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = (await parquetReadObjects({ file })) as { note: unknown }[];
    expect(rows.map((row) => row.note)).toEqual([REASON, null, null, null]);
  });

  it('ignores the note of a figure after the month', () => {
    const later = buildSnapshot({ ...testInput, observations: [{ ...observation('sci.platforms', '2026-12', 100), note: '十二月' }] });
    expect(later.indicators[0]?.note).toBeNull();
  });
});
