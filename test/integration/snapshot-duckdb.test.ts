import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalogData from '../../shared/catalog/catalog.json' with { type: 'json' };
import { loadCatalog } from '../../shared/catalog/catalog.js';
import type { Period } from '../../shared/calendar.js';
import type { Slice } from '../../shared/observation.js';
import type { ObjectRef, ObjectStore, ObjectTooLarge, PeriodRange } from '../../shared/ports.js';
import { latestKey, MANIFEST_FILE, parquetFolder, SNAPSHOTS_PREFIX } from '../../shared/s3-keys.js';
import { COMPLETENESS_DATASET, makeSnapshot, PROGRESS_DATASET, type ColumnType, type Dataset, type Snapshot } from '../../shared/snapshot/index.js';
import { submission, yearOfFigures } from '../fixtures.js';

/** A bucket laid out as folders, so that DuckDB globs it as analysts glob a synced copy of the snapshot bucket. */
class FolderObjects implements ObjectStore {
  constructor(readonly root: string) {}

  async get({ key }: ObjectRef, { maxBytes }: { maxBytes: number }): Promise<Uint8Array | ObjectTooLarge> {
    const file = path.join(this.root, key);
    const { size } = statSync(file);
    return size > maxBytes ? { tooLarge: true, size } : new Uint8Array(readFileSync(file));
  }

  async put({ key, body }: { key: string; body: string | Uint8Array }): Promise<void> {
    const file = path.join(this.root, key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
}

/** A revision in force in every month read gives the revision and original columns values to read the types of. */
const REVISED = 'sci.tech_contract_turnover';
const catalog = loadCatalog({
  ...catalogData,
  indicators: catalogData.indicators.map((entry) =>
    entry.id === REVISED && entry.target
      ? { ...entry, targetRevisions: [{ effective: '2026-07-01', reason: '市级任务调整', decidedBy: '区政府常务会议纪要', target: { ...entry.target, value: 25, deadline: '2027-06-30' } }] }
      : entry,
  ),
});

const MONTHS: Period[] = ['2026-09', '2026-10', '2026-11'];
const LAST_MONTH = '2026-11';
/** Reported late in the evening UTC: the next morning in the district, so a reader that drops the zone gets the wrong day. */
const uploadedAt = (period: Period) => `${period}-27T17:51:00.000Z`;
/** The last department sends nothing for the last month, so its upload times are empty there. */
const silentDepartment = catalog.departments.at(-1)?.id;
const figures = yearOfFigures(catalog, LAST_MONTH);

const observations = {
  async slicesIn(department: string, { from, to }: PeriodRange): Promise<Slice[]> {
    const months = [...new Set(figures.map((o) => o.period))].filter((p) => p >= from && p <= to && !(department === silentDepartment && p === LAST_MONTH));
    return months.map((period) => ({
      submission: { ...submission(department, period), uploadedAt: uploadedAt(period) },
      observations: figures.filter((o) => o.department === department && o.period === period),
    }));
  },
};

/** What DuckDB's DESCRIBE should say of each documented column type (docs/snapshot-schema.md, "How each type is written"). */
const PARQUET_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  month: 'VARCHAR',
  decimal: 'DOUBLE',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
};
/** read_csv's sniffer gives whole numbers its widest integer. */
const DUCKDB_TYPES: Record<'parquet' | 'csv', Record<ColumnType, string>> = { parquet: PARQUET_TYPES, csv: { ...PARQUET_TYPES, integer: 'BIGINT' } };

const DATASETS = [
  { dataset: PROGRESS_DATASET as Dataset<unknown>, rowsPerMonth: catalog.indicators.length },
  { dataset: COMPLETENESS_DATASET as Dataset<unknown>, rowsPerMonth: catalog.departments.length },
];

let root: string;
let connection: DuckDBConnection;
let instance: DuckDBInstance;

/** Every month at once, the way the README tells analysts to read them: a glob over the partitions, Hive-style. */
function allMonths(format: 'parquet' | 'csv', dataset: string): string {
  const snapshots = path.join(root, SNAPSHOTS_PREFIX);
  return format === 'parquet'
    ? `read_parquet('${snapshots}*/${parquetFolder(dataset)}*.parquet', hive_partitioning = true)`
    : `read_csv('${snapshots}*/${dataset}.csv', hive_partitioning = true)`;
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson();
}

/** Code-unit order, as DuckDB's ORDER BY sorts text. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const monthJson = (period: Period, file: string) => JSON.parse(readFileSync(path.join(root, SNAPSHOTS_PREFIX, `period=${period}`, file), 'utf8')) as Snapshot;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'snapshot-duckdb-'));
  const snapshot = makeSnapshot({ catalog, observations, objects: new FolderObjects(root), bucket: 'snapshots', clock: { now: () => new Date('2026-12-03T02:00:00Z') } });
  for (const period of MONTHS) await snapshot(period);
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`SET TimeZone = 'Asia/Shanghai'`);
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
  rmSync(root, { recursive: true, force: true });
});

describe('the snapshot tree read with DuckDB, every month at once', () => {
  it('keeps the latest copy outside the partitions', () => {
    expect(statSync(path.join(root, latestKey(MANIFEST_FILE))).isFile()).toBe(true);
    expect(latestKey(MANIFEST_FILE).startsWith(SNAPSHOTS_PREFIX)).toBe(false);
  });

  describe.each(['parquet', 'csv'] as const)('from %s', (format) => {
    it.each(DATASETS)('finds each month of $dataset.name exactly once, every row of it', async ({ dataset, rowsPerMonth }) => {
      const counted = await rows(`SELECT period, count(*)::INTEGER AS n FROM ${allMonths(format, dataset.name)} GROUP BY period ORDER BY period`);
      expect(counted).toEqual(MONTHS.map((period) => ({ period, n: rowsPerMonth })));
    });

    it.each(DATASETS)('reads every $dataset.name column in its documented type, with the defaults', async ({ dataset }) => {
      const described = await rows(`DESCRIBE SELECT * FROM ${allMonths(format, dataset.name)}`);
      expect(described.map((c) => ({ name: c.column_name, type: c.column_type }))).toEqual(
        dataset.columns.map((column) => ({ name: column.name, type: DUCKDB_TYPES[format][column.type] })),
      );
    });

    it('reads the catalog version as text, not as a date', async () => {
      const versions = await rows(`SELECT DISTINCT catalog_version FROM ${allMonths(format, PROGRESS_DATASET.name)}`);
      expect(versions).toEqual([{ catalog_version: `v${catalog.version}` }]);
    });
  });

  it('reads the same upload instants from Parquet, CSV and JSON under the district time zone', async () => {
    const instants = await rows(
      `SELECT p.period, p.department, epoch_ms(p.submitted_at)::DOUBLE AS submitted, strftime(p.submitted_at, '%Y-%m-%d %H:%M') AS district_time,
              p.submitted_at IS NOT DISTINCT FROM c.submitted_at AND p.latest_upload_at IS NOT DISTINCT FROM c.latest_upload_at AS same
       FROM ${allMonths('parquet', 'completeness')} p JOIN ${allMonths('csv', 'completeness')} c USING (period, department)
       ORDER BY p.period, p.department`,
    );
    const fromJson = MONTHS.flatMap((period) =>
      monthJson(period, 'completeness.json').departments.map(({ department, submittedAt }) => ({ period, department, submittedAt })),
    ).sort((a, b) => byText(`${a.period} ${a.department}`, `${b.period} ${b.department}`));
    expect(instants.map(({ period, department, submitted }) => ({ period, department, submitted }))).toEqual(
      fromJson.map(({ period, department, submittedAt }) => ({ period, department, submitted: submittedAt === null ? null : Date.parse(submittedAt) })),
    );
    expect(instants.every((row) => row.same === true)).toBe(true);
    // 17:51 UTC on the 27th is 01:51 on the 28th in the district.
    expect(instants.find((row) => row.period === '2026-10')?.district_time).toBe('2026-10-28 01:51');
    expect(instants.filter((row) => row.submitted === null).map((row) => [row.period, row.department])).toEqual([[LAST_MONTH, silentDepartment]]);
  });

  it('reads the same dates from Parquet, CSV and JSON', async () => {
    const query = (format: 'parquet' | 'csv') =>
      rows(`SELECT indicator, strftime(deadline, '%Y-%m-%d') AS deadline, strftime(baseline_date, '%Y-%m-%d') AS baseline_date,
                   strftime(revision_effective, '%Y-%m-%d') AS revision_effective, strftime(original_deadline, '%Y-%m-%d') AS original_deadline
            FROM ${allMonths(format, 'progress')} WHERE period = '${LAST_MONTH}' ORDER BY indicator`);
    const fromJson = monthJson(LAST_MONTH, 'progress.json')
      .indicators.map(({ indicator, deadline, baselineDate, revisionEffective, originalDeadline }) => ({
        indicator,
        deadline,
        baseline_date: baselineDate,
        revision_effective: revisionEffective,
        original_deadline: originalDeadline,
      }))
      .sort((a, b) => byText(a.indicator, b.indicator));
    expect(fromJson.some((row) => row.deadline !== null)).toBe(true);
    expect(fromJson.find((row) => row.indicator === REVISED)).toMatchObject({ deadline: '2027-06-30', revision_effective: '2026-07-01', original_deadline: '2027-12-31' });
    expect(await query('parquet')).toEqual(fromJson);
    expect(await query('csv')).toEqual(fromJson);
  });
});
