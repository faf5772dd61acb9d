import { describe, expect, it } from 'vitest';
import {
  annotatedKeyOf,
  departmentOfKey,
  fileNameOfKey,
  latestKey,
  MANIFEST_FILE,
  parquetFile,
  REPORT_FILE,
  reportFolderOf,
  reportKeyOf,
  isReportKey,
  newUploadId,
  portalUploadKey,
  uploadIdOfKey,
  uploadReportsFolder,
  UPLOAD_ID,
  reportsFolder,
  snapshotKey,
  SNAPSHOTS_PREFIX,
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
    ['incoming/../a.xlsx', 'unknown'],
    ['incoming/./a.xlsx', 'unknown'],
    ['incoming/../../etc/a.xlsx', 'unknown'],
    ['incoming/Science/a.xlsx', 'unknown'],
    ['incoming/科技/a.xlsx', 'unknown'],
    ['incoming/sci ence/a.xlsx', 'unknown'],
    ['incoming/%2e%2e/a.xlsx', 'unknown'],
  ])('reports the upload %s under reports/%s/', (key, folder) => {
    expect(reportFolderOf(key)).toBe(folder);
    expect(reportsFolder(reportFolderOf(key))).toBe(`reports/${folder}/`);
  });

  it.each([
    ['incoming/../a.xlsx'],
    ['incoming/science/../../a.xlsx'],
    ['incoming/./../a.xlsx'],
  ])('builds no report key of %s with a "." or ".." segment', (key) => {
    const upload = { key, versionId: 'v1', sequencer: '0A' };
    for (const reportKey of [reportKeyOf(upload, reportFolderOf(key)), annotatedKeyOf(upload, reportFolderOf(key))]) {
      expect(reportKey.split('/').filter((segment) => segment === '..' || segment === '.')).toEqual([]);
    }
  });

  it('tells an import report from the annotated copy beside it and from a snapshot file', () => {
    const upload = { key: 'incoming/science/科技.xlsx', versionId: 'v1', sequencer: '0A' };
    expect([reportKeyOf(upload, 'science'), annotatedKeyOf(upload, 'science'), snapshotKey('2026-11', MANIFEST_FILE)].map(isReportKey)).toEqual([true, false, false]);
  });

  it.each([
    ['2026-11', 'progress.json', 'snapshots/period=2026-11/progress.json'],
    ['2026-11', parquetFile('completeness'), 'snapshots/period=2026-11/completeness/completeness.parquet'],
    ['2027-01', MANIFEST_FILE, 'snapshots/period=2027-01/manifest.json'],
  ])('writes the snapshot of %s, file %s, at %s', (period, file, key) => {
    expect(snapshotKey(period, file)).toBe(key);
  });

  it.each([
    [REPORT_FILE, 'latest/report.html'],
    [parquetFile('progress'), 'latest/progress/progress.parquet'],
  ])('copies the latest month’s %s to %s, outside the month partitions', (file, key) => {
    expect(latestKey(file)).toBe(key);
    expect(key.startsWith(SNAPSHOTS_PREFIX)).toBe(false);
  });
});

describe('report keys of long file names', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  const upload = (fileName: string) => ({ key: `incoming/science/${fileName}`, versionId: 'Jb3.xy_kJ8VnHmM2xpo6bEpWQ0UXuHqd', sequencer: '0062A1B2C3D4E5F601' });
  const keysOf = (fileName: string) => [reportKeyOf(upload(fileName), 'science'), annotatedKeyOf(upload(fileName), 'science')];
  const stemOf = (key: string) => key.replace(/\.Jb3\.xy_kJ8VnHmM2xpo6bEpWQ0UXuHqd\.(json|annotated\.xlsx)$/, '');
  /** The most a file name can be and keep every key of its reports whole. */
  const room = 1024 - bytes('reports/science/') - bytes('.Jb3.xy_kJ8VnHmM2xpo6bEpWQ0UXuHqd') - bytes('.annotated.xlsx');

  it.each([
    { name: 'ASCII at the limit', fileName: 'a'.repeat(room - 5) + '.xlsx', outcome: 'kept whole' },
    { name: 'ASCII one byte over', fileName: 'a'.repeat(room - 4) + '.xlsx', outcome: 'cut' },
    { name: 'ASCII far over', fileName: 'b'.repeat(1000) + '.xlsx', outcome: 'cut' },
    { name: 'Chinese at the limit', fileName: '科'.repeat(Math.floor((room - 5) / 3)) + '.xlsx', outcome: 'kept whole' },
    { name: 'Chinese one character over', fileName: '科'.repeat(Math.floor((room - 5) / 3) + 1) + '.xlsx', outcome: 'cut' },
    { name: 'Chinese far over', fileName: '科技局月报'.repeat(100) + '.xlsx', outcome: 'cut' },
    { name: 'emoji (four bytes, two UTF-16 units) over', fileName: '📊'.repeat(300), outcome: 'cut' },
  ])('$name: every report key fits in 1,024 bytes and the file name is $outcome', ({ fileName, outcome }) => {
    const keys = keysOf(fileName);
    for (const key of keys) {
      expect(bytes(key)).toBeLessThanOrEqual(1024);
      expect(key.startsWith('reports/science/')).toBe(true);
      // No character was split: with the u flag a lone surrogate matches, a whole pair does not.
      expect(key).not.toMatch(/[\uD800-\uDFFF]/u);
    }
    const name = stemOf(keys[0] ?? '').slice('reports/science/'.length);
    if (outcome === 'kept whole') {
      expect(name).toBe(fileName);
    } else {
      expect(name).toMatch(/~[0-9a-f]{12}$/);
      expect(fileName.startsWith(name.replace(/~[0-9a-f]{12}$/, ''))).toBe(true);
      // Cut no shorter than it must be: one more character would not fit.
      expect(bytes(name)).toBeGreaterThan(room - 4);
    }
  });

  it('gives names that differ only past the cut different keys, and one name always the same key', () => {
    const common = '大足区科技局'.repeat(60);
    const [first, second] = [keysOf(`${common}（一）.xlsx`), keysOf(`${common}（二）.xlsx`)];
    expect(first).not.toEqual(second);
    expect(keysOf(`${common}（一）.xlsx`)).toEqual(first);
    expect(stemOf(first[0] ?? '')).toBe(stemOf(first[1] ?? ''));
  });
});

describe('portal uploads', () => {
  const random = Uint8Array.from({ length: 10 }, (_, i) => 0xf0 + i);

  it('are named by a version-7 UUID that begins with the time it was made', () => {
    const id = newUploadId(new Date('2026-12-02T06:00:00.000Z'), random);
    expect(id).toMatch(UPLOAD_ID);
    expect(id.replace(/-/g, '').slice(0, 12)).toBe(new Date('2026-12-02T06:00:00.000Z').getTime().toString(16).padStart(12, '0'));
  });

  it('sort as they were made', () => {
    const ids = [1, 2, 1000, 86_400_000].map((ms) => newUploadId(new Date(Date.UTC(2026, 0, 1) + ms), random));
    expect([...ids].sort()).toEqual(ids);
  });

  it('go into a folder of their own, which their reports follow', () => {
    const id = newUploadId(new Date('2026-12-02T06:00:00.000Z'), random);
    const key = portalUploadKey('science', id, '科技局 2026-11.xlsx');
    expect(key).toBe(`incoming/science/${id}/科技局 2026-11.xlsx`);
    expect(uploadIdOfKey(key)).toBe(id);
    expect(reportKeyOf({ key, sequencer: '0A' }, reportFolderOf(key))).toBe(`${uploadReportsFolder('science', id)}科技局 2026-11.xlsx.0A.json`);
    expect(annotatedKeyOf({ key, versionId: 'v1', sequencer: '0A' }, 'science')).toBe(`reports/science/${id}/科技局 2026-11.xlsx.v1.annotated.xlsx`);
  });

  it.each([
    ['a file directly in the department folder', 'incoming/science/2026-11.xlsx'],
    ['a folder that is no upload id', 'incoming/science/october/2026-11.xlsx'],
    ['an upload id folder nested deeper', `incoming/science/a/${'019ad000-0000-7000-8000-00000000000a'}/x.xlsx`],
    ['an upload id folder outside every department', `incoming/${'019ad000-0000-7000-8000-00000000000a'}/x.xlsx`],
  ])('are not read into %s', (_, key) => {
    expect(uploadIdOfKey(key)).toBeNull();
  });
});
