import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  COMPLETENESS_DATASET,
  completenessJson,
  datasetParquet,
  PROGRESS_DATASET,
  snapshotJson,
  type ColumnType,
  type Dataset,
  type Snapshot,
} from '../../shared/snapshot/index.js';
import { observation, testInput } from '../fixtures.js';

/** What an independent reader should find for each documented column type (docs/snapshot-schema.md). */
const EXPECTED_PHYSICAL: Record<ColumnType, { type: string; converted_type?: string; logical_type?: unknown }> = {
  text: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  month: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  decimal: { type: 'DOUBLE' },
  integer: { type: 'INT32' },
  boolean: { type: 'BOOLEAN' },
  date: { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } },
  timestamp: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
};

/** hyparquet hands dates and timestamps back as Date; the JSON carries them as ISO text. */
function asJsonText(type: ColumnType, value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
}

/** The test catalog's rows plus a milestone done, so `done` holds a value too. */
const input = { ...testInput, observations: [...testInput.observations, observation('edu.designation', '2026-11', true, 'education')] };
const snapshot = buildSnapshot(input);
/** The JSON file as written, read back: the reference the Parquet file must agree with. */
const fromJson = JSON.parse(snapshotJson(snapshot)) as Snapshot;
const completenessFromJson = { ...fromJson, ...(JSON.parse(completenessJson(snapshot)) as Pick<Snapshot, 'departments'>) };

async function readBack<Row>(dataset: Dataset<Row>) {
  const bytes = datasetParquet(dataset, snapshot);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { metadata: parquetMetadata(file), rows: (await parquetReadObjects({ file })) as Record<string, unknown>[] };
}

describe.each([
  { name: 'progress.parquet', dataset: PROGRESS_DATASET as Dataset<unknown>, reference: fromJson },
  { name: 'completeness.parquet', dataset: COMPLETENESS_DATASET as Dataset<unknown>, reference: completenessFromJson },
])('$name read back with hyparquet', ({ dataset, reference }) => {
  it('has the documented columns in order, each with its physical and logical type (instants UTC-adjusted), all optional', async () => {
    const { metadata } = await readBack(dataset);
    expect(
      metadata.schema.slice(1).map(({ name, type, converted_type, logical_type, repetition_type }) => ({ name, type, converted_type, logical_type, repetition_type })),
    ).toEqual(
      dataset.columns.map((column) => ({ name: column.name, converted_type: undefined, logical_type: undefined, ...EXPECTED_PHYSICAL[column.type], repetition_type: 'OPTIONAL' })),
    );
  });

  it('is snappy-compressed, one row group, written by the pipeline', async () => {
    const { metadata } = await readBack(dataset);
    expect(metadata.created_by).toBe('department-metrics-pipeline');
    expect(metadata.row_groups).toHaveLength(1);
    expect(metadata.row_groups[0]?.columns.map((c) => c.meta_data?.codec)).toEqual(dataset.columns.map(() => 'SNAPPY'));
  });

  it('holds every value of the JSON file, column by column', async () => {
    const { rows } = await readBack(dataset);
    const expected = dataset.rows(reference);
    expect(rows).toHaveLength(expected.length);
    for (const column of dataset.columns) {
      expect(rows.map((row) => asJsonText(column.type, row[column.name])), column.name).toEqual(expected.map((row) => column.cell(row, reference)));
    }
  });

  it('gives identical bytes when written twice', () => {
    expect(datasetParquet(dataset, snapshot)).toEqual(datasetParquet(dataset, buildSnapshot(input)));
  });
});
