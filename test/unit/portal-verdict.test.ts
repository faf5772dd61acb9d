import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import type { UploadView } from '../../shared/portal/contract.js';
import { verdictOf } from '../../portal/src/lib/verdict.js';

const KEY = 'incoming/science/u2/science-2026-10.xlsx';

function report(overrides: Partial<ImportReport>): ImportReport {
  return {
    status: 'accepted',
    department: 'science',
    period: '2026-10',
    observations: [],
    errors: [],
    warnings: [],
    source: { bucket: 'uploads', key: KEY, sequencer: '02', uploadedAt: '2026-11-05T06:00:00Z' },
    outcome: 'committed',
    slices: [],
    counts: { rows: 11, observations: 10, errors: 0, warnings: 0 },
    reportKey: 'reports/science/science-2026-10.xlsx.02.json',
    annotatedKey: null,
    annotation: { status: 'not_read', message: '没有批注副本 There is no annotated copy' },
    ...overrides,
  };
}

function upload(status: UploadView['status'], importReport: ImportReport | null, annotatedUrl: string | null = null): UploadView {
  return {
    uploadId: 'u2',
    department: 'science',
    fileName: 'science-2026-10.xlsx',
    size: 20_480,
    period: '2026-10',
    user: 'science-clerk',
    requestedAt: '2026-11-05T05:59:58Z',
    status,
    report: importReport,
    annotatedUrl,
  };
}

describe('verdictOf', () => {
  it('shows a correction: the upload it replaced, by file name and district time, and each figure from → to with its unit and name', () => {
    const corrected = report({
      warnings: [{ sheet: '月报', cell: 'D7', code: 'value.implausible', message: '数值偏大 The value looks too large' }],
      counts: { rows: 11, observations: 10, errors: 0, warnings: 1 },
      slices: [
        {
          period: '2026-10',
          outcome: 'committed',
          replaced: { key: 'incoming/science/u1/science-october.xlsx', sequencer: '01', uploadedAt: '2026-11-02T01:30:00Z', reportKey: 'reports/science/x.json' },
          changes: [
            { indicator: 'sci.rd_intensity', period: '2026-10', change: 'changed', from: 2.1, to: 2.3 },
            { indicator: 'sci.national_incubators', period: '2026-10', change: 'added', to: 4 },
            { indicator: 'sci.incentive_app_rollout', period: '2026-10', change: 'removed', from: true },
          ],
        },
      ],
    });
    const verdict = verdictOf(upload('accepted', corrected));
    if (verdict.status !== 'accepted') throw new Error(`expected accepted, got ${verdict.status}`);
    expect(verdict.period).toBe('2026-10');
    expect(verdict.counts).toEqual({ rows: 11, observations: 10, errors: 0, warnings: 1 });
    const [slice] = verdict.slices;
    expect(slice?.replaced).toEqual({ fileName: 'science-october.xlsx', uploadedAt: '2026-11-02 09:30' });
    expect(slice?.outcome.en).toBe('recorded');
    expect(slice?.changes.map(({ indicator, change, from, to, name }) => ({ indicator, change, from, to, zh: name?.zh }))).toEqual([
      { indicator: 'sci.rd_intensity', change: 'changed', from: '2.1 %', to: '2.3 %', zh: '整体研发投入强度' },
      { indicator: 'sci.national_incubators', change: 'added', from: '–', to: '4 个', zh: '国家级孵化器' },
      { indicator: 'sci.incentive_app_rollout', change: 'removed', from: '是 done', to: '–', zh: '“企业创新激励一件事”应用全市推广复用' },
    ]);
    expect(verdict.problems).toEqual([{ sheet: '月报', cell: 'D7', code: 'value.implausible', message: '数值偏大 The value looks too large', severity: 'warning' }]);
  });

  it('says a first upload of a month replaced nothing, and a repeat of the accepted file changed nothing', () => {
    const verdict = verdictOf(
      upload(
        'accepted',
        report({
          slices: [
            { period: '2026-09', outcome: 'committed', replaced: null, changes: [] },
            { period: '2026-10', outcome: 'duplicate', replaced: null, changes: [] },
          ],
        }),
      ),
    );
    if (verdict.status !== 'accepted') throw new Error(`expected accepted, got ${verdict.status}`);
    expect(verdict.slices.map((slice) => [slice.period, slice.replaced, slice.changes.length, slice.outcome.en])).toEqual([
      ['2026-09', null, 0, 'recorded'],
      ['2026-10', null, 0, 'the same as the workbook already accepted; nothing changed'],
    ]);
  });

  it('lists every error and warning of a rejected upload, errors first, with the annotated copy when there is one', () => {
    const rejected = report({
      status: 'rejected',
      outcome: null,
      errors: [
        { sheet: '月报', cell: 'C5', code: 'value.not_a_number', message: '不是数字 Not a number' },
        { sheet: null, cell: null, code: 'period.missing', message: '缺少月份 No month' },
      ],
      warnings: [{ sheet: '月报', cell: 'C9', code: 'value.implausible', message: '数值偏大 The value looks too large' }],
      annotation: { status: 'written', message: '批注副本中已标出 The annotated copy marks' },
    });
    const verdict = verdictOf(upload('rejected', rejected, 'https://uploads.s3.example/annotated?sig=1'));
    if (verdict.status !== 'rejected') throw new Error(`expected rejected, got ${verdict.status}`);
    expect(verdict.problems.map((p) => [p.severity, p.cell, p.code])).toEqual([
      ['error', 'C5', 'value.not_a_number'],
      ['error', null, 'period.missing'],
      ['warning', 'C9', 'value.implausible'],
    ]);
    expect(verdict.annotatedUrl).toBe('https://uploads.s3.example/annotated?sig=1');
    expect(verdict.annotation).toBe('批注副本中已标出 The annotated copy marks');
  });

  it('takes an upload whose report is not in yet for one still being checked', () => {
    expect(verdictOf(upload('processing', null))).toEqual({ status: 'processing', fileName: 'science-2026-10.xlsx' });
    expect(verdictOf(upload('accepted', null)).status).toBe('processing');
  });

  it('reports a check that failed on our side, with whatever problem the report names', () => {
    const failed = report({ status: 'rejected', errors: [{ sheet: null, cell: null, code: 'file.check_failed', message: '检查失败 The check failed' }] });
    expect(verdictOf(upload('failed', failed))).toEqual({
      status: 'failed',
      fileName: 'science-2026-10.xlsx',
      problems: [{ sheet: null, cell: null, code: 'file.check_failed', message: '检查失败 The check failed', severity: 'error' }],
    });
    expect(verdictOf(upload('failed', null))).toEqual({ status: 'failed', fileName: 'science-2026-10.xlsx', problems: [] });
  });
});
