import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodeS3Key, uploadsOf } from '../../shared/ingest/s3-event.js';
import { compareSequencers, uploadedAfter } from '../../shared/observation.js';
import { annotatedKeyOf, departmentOfKey, reportKeyOf } from '../../shared/s3-keys.js';

describe('S3 sequencers', () => {
  it.each([
    ['0055AED6DCD90281E5', '0055AED6DCD90281E6', -1],
    ['0055AED6DCD90281E5', '0055AED6DCD90281E5', 0],
    // The shorter one is right-padded with zeros before comparing.
    ['0055AED6DCD9028', '0055AED6DCD90281E5', -1],
    ['0055AED6DCD90290', '0055AED6DCD90281E5', 1],
    ['0055aed6dcd90281e5', '0055AED6DCD90281E5', 0],
  ])('%s compared with %s is %i', (a, b, expected) => {
    expect(Math.sign(compareSequencers(a, b))).toBe(expected);
  });
});

describe('which upload is later', () => {
  const upload = (key: string, sequencer: string, uploadedAt: string) => ({ key, sequencer, uploadedAt });
  it.each([
    ['the same key, by sequencer, whatever the clock says', upload('k', '0B', '2026-11-01T00:00:00Z'), upload('k', '0A', '2026-11-02T00:00:00Z'), true],
    ['the same key, older sequencer', upload('k', '0A', '2026-11-02T00:00:00Z'), upload('k', '0B', '2026-11-01T00:00:00Z'), false],
    ['different keys, by upload time', upload('a', '00', '2026-11-02T00:00:00Z'), upload('b', 'FF', '2026-11-01T00:00:00Z'), true],
    ['different keys, earlier upload time', upload('a', 'FF', '2026-11-01T00:00:00Z'), upload('b', '00', '2026-11-02T00:00:00Z'), false],
  ])('%s', (_case, a, b, later) => {
    expect(uploadedAfter(a, b)).toBe(later);
  });
});

describe('upload keys', () => {
  it.each([
    ['incoming/science/science-2026-11.xlsx', 'science'],
    ['incoming/education/2026/11月报表.xlsx', 'education'],
    ['incoming/science/', null],
    ['reports/science/x.json', null],
    ['science-2026-11.xlsx', null],
  ])('%s is in the folder of %s', (key, department) => {
    expect(departmentOfKey(key)).toBe(department);
  });

  it.each([
    ['incoming/science/my+file.xlsx', 'incoming/science/my file.xlsx'],
    ['incoming/science/a%2Bb%28v2%29.xlsx', 'incoming/science/a+b(v2).xlsx'],
    ['incoming/education/%E6%95%99%E5%A7%94.xlsx', 'incoming/education/教委.xlsx'],
  ])('decodes the event key %s', (raw, key) => {
    expect(decodeS3Key(raw)).toBe(key);
  });

  it.each([
    [{ key: 'incoming/science/a.xlsx', sequencer: '0A1B' }, 'reports/science/a.xlsx.0A1B.json', 'reports/science/a.xlsx.0A1B.annotated.xlsx'],
    [{ key: 'incoming/science/a.xlsx', sequencer: '0A1B', versionId: 'v7' }, 'reports/science/a.xlsx.v7.json', 'reports/science/a.xlsx.v7.annotated.xlsx'],
    [{ key: 'incoming/science/2026/科技 (v2).xlsx', sequencer: '0A' }, 'reports/science/科技 (v2).xlsx.0A.json', 'reports/science/科技 (v2).xlsx.0A.annotated.xlsx'],
  ])('writes the summary and the annotated workbook of %o side by side, one pair per upload', (upload, report, annotated) => {
    expect(reportKeyOf(upload, 'science')).toBe(report);
    expect(annotatedKeyOf(upload, 'science')).toBe(annotated);
  });
});

describe('uploads announced by an S3 event', () => {
  const record = (eventName: string, key: string) => ({
    eventName,
    eventTime: '2026-11-05T02:00:00.000Z',
    userIdentity: { principalId: 'AWS:CLERK' },
    s3: { bucket: { name: 'uploads' }, object: { key, sequencer: '0A', versionId: 'v1' } },
  });

  it('lists created objects with decoded keys and their lineage', () => {
    const event = { Records: [record('ObjectCreated:Put', 'incoming/science/a+b.xlsx')] } as unknown as S3Event;
    expect(uploadsOf(event)).toEqual([
      {
        bucket: 'uploads',
        key: 'incoming/science/a b.xlsx',
        versionId: 'v1',
        sequencer: '0A',
        uploadedAt: '2026-11-05T02:00:00.000Z',
        uploader: 'AWS:CLERK',
      },
    ]);
  });

  it('ignores removals and the test event a new notification sends', () => {
    const removal = { Records: [record('ObjectRemoved:Delete', 'incoming/science/a.xlsx')] } as unknown as S3Event;
    expect(uploadsOf(removal)).toEqual([]);
    expect(uploadsOf({ Service: 'Amazon S3', Event: 's3:TestEvent' } as unknown as S3Event)).toEqual([]);
  });
});
