import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalogData from '../../shared/catalog/catalog.json' with { type: 'json' };
import { loadCatalog } from '../../shared/catalog/catalog.js';
import { addMonths, type Period } from '../../shared/calendar.js';
import type { ObjectRef, ObjectStore, ObjectTooLarge, PeriodRange } from '../../shared/ports.js';
import type { MonthRecord } from '../../shared/review/review.js';
import { latestKey, MANIFEST_FILE, parquetFolder, SNAPSHOTS_PREFIX } from '../../shared/s3-keys.js';
import {
  COMPLETENESS_DATASET,
  makeSnapshot,
  PROGRESS_DATASET,
  RESTATEMENTS_DATASET,
  type ColumnType,
  type Dataset,
  type Snapshot,
} from '../../shared/snapshot/index.js';
import { submission, yearOfFigures } from '../fixtures.js';
import { monthReview, restatement, warning } from '../unit/review-fixtures.js';

/** A bucket laid out as folders, so that DuckDB globs it as analysts glob a synced copy of the snapshot bucket. */
class FolderObjects implements ObjectStore {
  constructor(readonly root: string) {}

  async get({ key }: ObjectRef, { maxBytes }: { maxBytes: number }): Promise<Uint8Array | ObjectTooLarge> {
    const file = path.join(this.root, key);
    const { size } = statSync(file);
    return size > maxBytes ? { tooLarge: true, size } : new Uint8Array(readFileSync(file));
  }

  async exists({ key }: ObjectRef): Promise<boolean> {
    return existsSync(path.join(this.root, key));
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
/** The first department's last month is approved with an explained warning and lists a restatement; the second's is still submitted. */
const [explainedDepartment, provisionalDepartment] = catalog.departments.map((d) => d.id);
const explainedIndicator = catalog.indicators.find((i) => i.department === explainedDepartment)?.id ?? '';
const figures = yearOfFigures(catalog, LAST_MONTH);
/** Approved after September's publication (October 15th), before October's (November 15th). */
const restated = restatement(explainedDepartment ?? '', '2026-09', explainedIndicator, '2026-11-01T03:00:00.000Z');

function recordOf(department: string, period: Period): MonthRecord {
  const last = period === LAST_MONTH;
  const { review } = monthReview(department, period, last && department === provisionalDepartment ? 'submitted' : 'approved', {
    ...(last && department === explainedDepartment
      ? { warnings: [warning(explainedIndicator)], explanations: { [explainedIndicator]: { text: '口径调整 a change of definition', by: 'clerk', at: uploadedAt(period), source: 'portal' } } }
      : {}),
    ...(period === '2026-09' && department === explainedDepartment ? { restatements: [restated] } : {}),
  });
  return {
    slice: { submission: { ...submission(department, period), uploadedAt: uploadedAt(period) }, observations: figures.filter((o) => o.department === department && o.period === period) },
    revision: 1,
    review,
  };
}

const records = new Map(
  catalog.departments.flatMap(({ id }) =>
    [...new Set(figures.map((o) => o.period))].filter((p) => !(id === silentDepartment && p === LAST_MONTH)).map((p) => [`${id}#${p}`, recordOf(id, p)] as const),
  ),
);

/** The months as the table holds them, locked as the snapshot locks them. */
const observations = {
  async monthsIn(department: string, { from, to }: PeriodRange): Promise<MonthRecord[]> {
    return [...records.values()].filter(({ slice: { submission: s } }) => s.department === department && s.period >= from && s.period <= to).sort((a, b) => byText(a.slice.submission.period, b.slice.submission.period));
  },
  async update(department: string, period: Period, step: (record: MonthRecord) => MonthRecord | null): Promise<MonthRecord | undefined> {
    const record = records.get(`${department}#${period}`);
    const next = record && step(record);
    if (next) records.set(`${department}#${period}`, next);
    return next ?? record;
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
/** Publication on the 15th of the month after. */
const publishedAt = (period: Period) => new Date(`${addMonths(period, 1)}-15T02:00:00+08:00`);

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
  const objects = new FolderObjects(root);
  for (const period of MONTHS) {
    await makeSnapshot({ catalog, observations, objects, exists: (ref) => objects.exists(ref), bucket: 'snapshots', clock: { now: () => publishedAt(period) } })(period);
  }
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

  it('reads the sign-off of every row and the explanation of the warned figure', async () => {
    const query = (format: 'parquet' | 'csv') =>
      rows(`SELECT department, sign_off, count(*)::INTEGER AS n, max(explanation) AS explanation FROM ${allMonths(format, 'progress')}
            WHERE period = '${LAST_MONTH}' AND department IN ('${explainedDepartment}', '${provisionalDepartment}') AND sign_off IS NOT NULL
            GROUP BY department, sign_off ORDER BY department, sign_off`);
    const fromJson = monthJson(LAST_MONTH, 'progress.json').indicators.filter((r) => r.signOff !== null && (r.department === explainedDepartment || r.department === provisionalDepartment));
    const expected = [...new Set(fromJson.map((r) => `${r.department} ${r.signOff}`))].sort(byText).map((key) => {
      const group = fromJson.filter((r) => `${r.department} ${r.signOff}` === key);
      return { department: group[0]?.department, sign_off: group[0]?.signOff, n: group.length, explanation: group.find((r) => r.explanation !== null)?.explanation ?? null };
    });
    expect(expected.map((g) => [g.department, g.sign_off])).toEqual(
      [[explainedDepartment, 'official'], [provisionalDepartment, 'provisional']].sort((a, b) => byText(String(a[0]), String(b[0]))),
    );
    expect(expected.find((g) => g.department === explainedDepartment)?.explanation).toBe('口径调整 a change of definition');
    expect(await query('parquet')).toEqual(expected);
    expect(await query('csv')).toEqual(expected);
    const completeness = await rows(`SELECT department, review_state, sign_off FROM ${allMonths('parquet', 'completeness')} WHERE period = '${LAST_MONTH}' ORDER BY department`);
    expect(completeness.find((d) => d.department === provisionalDepartment)).toEqual({ department: provisionalDepartment, review_state: 'submitted', sign_off: 'provisional' });
    expect(completeness.find((d) => d.department === silentDepartment)).toEqual({ department: silentDepartment, review_state: null, sign_off: null });
  });

  it('reads the restatements in their documented types, listed by the month published after their approval', async () => {
    const described = await rows(`DESCRIBE SELECT * FROM ${allMonths('parquet', 'restatements')}`);
    expect(described.map((c) => ({ name: c.column_name, type: c.column_type }))).toEqual(
      RESTATEMENTS_DATASET.columns.map((column) => ({ name: column.name, type: PARQUET_TYPES[column.type] })),
    );
    const listed = await rows(
      `SELECT period, department, restated_period, indicator, from_value, to_value, epoch_ms(approved_at)::DOUBLE AS approved, approved_by, reason FROM ${allMonths('parquet', 'restatements')}`,
    );
    expect(listed).toEqual([
      {
        period: '2026-10',
        department: restated.department,
        restated_period: '2026-09',
        indicator: restated.indicator,
        from_value: restated.from,
        to_value: restated.to,
        approved: Date.parse(restated.approvedAt),
        approved_by: restated.approvedBy,
        reason: restated.reason,
      },
    ]);
    const csv = await rows(`SELECT restated_period, indicator, reason FROM read_csv('${path.join(root, SNAPSHOTS_PREFIX, 'period=2026-10', 'restatements.csv')}')`);
    expect(csv).toEqual([{ restated_period: '2026-09', indicator: restated.indicator, reason: restated.reason }]);
    expect(monthJson('2026-10', 'restatements.json').restatements).toEqual([restated]);
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
