import { parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import type { CsvCell } from './csv.js';
import type { ColumnType, Dataset } from './columns.js';

/**
 * Every column is optional: null is how a row says "does not apply". Dates and instants carry the logical type
 * beside the older converted type: readers that know logical types (DuckDB, Spark, pandas) take an instant
 * flagged isAdjustedToUTC for the moment it is, whatever their session's time zone; a bare TIMESTAMP_MILLIS
 * reads as a wall-clock time without a zone.
 */
const PARQUET_TYPES: Record<ColumnType, Omit<SchemaElement, 'name'>> = {
  text: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  month: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  decimal: { type: 'DOUBLE' },
  integer: { type: 'INT32' },
  boolean: { type: 'BOOLEAN' },
  date: { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } },
  timestamp: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
};

/** Dates and instants travel as ISO text in the rows; Parquet stores them as days and milliseconds. */
function parquetValue(type: ColumnType, cell: CsvCell): CsvCell | Date {
  return cell !== null && (type === 'date' || type === 'timestamp') ? new Date(String(cell)) : cell;
}

/** The writer names itself in the file; a fixed name keeps the bytes independent of the library's release. */
const CREATED_BY = 'department-metrics-pipeline';

/** One row group, snappy-compressed, typed by the dataset's columns. No time is written, so equal rows give equal bytes. */
export function datasetParquet<Row>(dataset: Dataset<Row>, snapshot: Parameters<Dataset<Row>['rows']>[0]): Uint8Array {
  const rows = dataset.rows(snapshot);
  const schema: SchemaElement[] = [
    { name: 'schema', num_children: dataset.columns.length },
    ...dataset.columns.map((column): SchemaElement => ({ name: column.name, repetition_type: 'OPTIONAL', ...PARQUET_TYPES[column.type] })),
  ];
  const buffer = parquetWriteBuffer({
    schema,
    columnData: dataset.columns.map((column) => ({
      name: column.name,
      data: rows.map((row) => parquetValue(column.type, column.cell(row, snapshot))),
    })),
    codec: 'SNAPPY',
    createdBy: CREATED_BY,
  });
  return new Uint8Array(buffer);
}
