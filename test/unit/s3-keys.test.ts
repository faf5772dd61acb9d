import { describe, expect, it } from 'vitest';
import {
  departmentOfKey,
  fileNameOfKey,
  latestKey,
  MANIFEST_FILE,
  parquetFile,
  REPORT_FILE,
  reportFolderOf,
  reportsFolder,
  snapshotKey,
  uploadFolder,
  uploadKey,
} from '../../shared/s3-keys.js';

describe('the S3 key layout', () => {
  it.each([
    ['science', 'science-2026-11.xlsx', 'incoming/science/science-2026-11.xlsx'],
    ['education', '教委 11月 (v2).xlsx', 'incoming/education/教委 11月 (v2).xlsx'],
  ])('puts a %s upload named %s at %s, and reads the department and file name back from the key', (department, fileName, key) => {
    expect(uploadKey(department, fileName)).toBe(key);
    expect(key.startsWith(uploadFolder(department))).toBe(true);
    expect(departmentOfKey(key)).toBe(department);
    expect(fileNameOfKey(key)).toBe(fileName);
  });

  it.each([
    ['incoming/science/a.xlsx', 'science'],
    ['incoming/science/2026/a.xlsx', 'science'],
    ['incoming/police/a.xlsx', 'police'],
    ['incoming//a.xlsx', 'unknown'],
    ['incoming/science/', 'unknown'],
    ['incoming/science', 'unknown'],
    ['incoming-old/science/a.xlsx', 'unknown'],
    ['a.xlsx', 'unknown'],
  ])('reports the upload %s under reports/%s/', (key, folder) => {
    expect(reportFolderOf(key)).toBe(folder);
    expect(reportsFolder(reportFolderOf(key))).toBe(`reports/${folder}/`);
  });

  it.each([
    ['2026-11', 'progress.json', 'snapshots/period=2026-11/progress.json'],
    ['2026-11', parquetFile('completeness'), 'snapshots/period=2026-11/completeness/completeness.parquet'],
    ['2027-01', MANIFEST_FILE, 'snapshots/period=2027-01/manifest.json'],
  ])('writes the snapshot of %s, file %s, at %s', (period, file, key) => {
    expect(snapshotKey(period, file)).toBe(key);
  });

  it.each([
    [REPORT_FILE, 'snapshots/latest/report.html'],
    [parquetFile('progress'), 'snapshots/latest/progress/progress.parquet'],
  ])('copies the latest month’s %s to %s', (file, key) => {
    expect(latestKey(file)).toBe(key);
  });
});
