import { describe, expect, it } from 'vitest';
import type { Department } from '../../shared/catalog/catalog.js';
import { departmentReport } from '../../shared/snapshot/index.js';
import { submission } from '../fixtures.js';

const SCIENCE: Department = { id: 'science', zh: '区科技局', en: 'Science & Technology Bureau', aliases: [] };
const INDICATORS = ['sci.a', 'sci.b', 'sci.c'];

const uploadedAt = (period: string, iso: string) => ({ ...submission('science', period, INDICATORS), uploadedAt: iso });

describe('departmentReport', () => {
  const report = (submissions: ReturnType<typeof uploadedAt>[], period = '2026-03') =>
    departmentReport({ department: SCIENCE, indicators: INDICATORS, submissions, review: undefined, period, dueDay: 10 });

  it('counts the months of the year received and received on time, and the latest upload', () => {
    const result = report([
      uploadedAt('2025-12', '2026-01-05T01:00:00Z'),
      uploadedAt('2026-01', '2026-02-09T01:00:00Z'),
      uploadedAt('2026-02', '2026-03-20T01:00:00Z'),
      uploadedAt('2026-03', '2026-04-02T01:00:00Z'),
    ]);
    expect(result).toEqual({
      department: 'science',
      zh: '区科技局',
      en: 'Science & Technology Bureau',
      reported: true,
      reviewState: 'submitted',
      signOff: 'provisional',
      submittedAt: '2026-04-02T01:00:00Z',
      sourceKey: 'science/2026-03.xlsx',
      dueDate: '2026-04-10',
      onTime: true,
      monthsExpected: 3,
      monthsReceived: 3,
      monthsOnTime: 2,
      latestUploadAt: '2026-04-02T01:00:00Z',
      emptyIndicators: [],
    });
  });

  it("names the indicators the month's workbook left empty, in catalog order", () => {
    const partial = { ...uploadedAt('2026-03', '2026-04-02T01:00:00Z'), indicators: ['sci.c', 'sci.a'] };
    expect(report([partial]).emptyIndicators).toEqual(['sci.b']);
  });

  it('without a workbook for the month: not reported, on time unknown, no indicator listed as left empty', () => {
    expect(report([uploadedAt('2026-02', '2026-03-01T00:00:00Z')])).toMatchObject({
      reported: false,
      submittedAt: null,
      sourceKey: null,
      onTime: null,
      monthsReceived: 1,
      monthsOnTime: 1,
      latestUploadAt: '2026-03-01T00:00:00Z',
      emptyIndicators: [],
    });
  });

  it.each([
    { case: 'a first report after the due day is late', firstUploadedAt: undefined, onTime: false, monthsOnTime: 0 },
    { case: 'an on-time report corrected after the due day stays on time', firstUploadedAt: '2026-04-05T00:00:00Z', onTime: true, monthsOnTime: 1 },
    { case: 'a late report corrected again is still late', firstUploadedAt: '2026-04-12T00:00:00Z', onTime: false, monthsOnTime: 0 },
  ])('judges a month by its first report: $case', ({ firstUploadedAt, onTime, monthsOnTime }) => {
    const current = { ...uploadedAt('2026-03', '2026-04-25T00:00:00Z'), ...(firstUploadedAt ? { firstUploadedAt } : {}) };
    expect(report([current])).toMatchObject({ reported: true, submittedAt: '2026-04-25T00:00:00Z', onTime, monthsOnTime });
  });
});
