import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { buildReport, reportHtml, reportXlsx, type MonthReview } from '../../shared/snapshot/index.js';
import { PERIOD, submission, yearOfFigures } from '../fixtures.js';
import { monthReview, restatement, warning } from './review-fixtures.js';

/**
 * The report of a month whose science month is approved (its platforms figure warned and explained) and whose
 * education month is submitted, listing one restatement of science's October.
 */
const PLATFORMS = 'sci.new_innovation_platforms';
const EXPLANATION = '两个平台合并 two platforms merged';
const restated = restatement('science', '2026-10', PLATFORMS, '2026-11-20T01:00:00.000Z');
const months = (department: string, state: 'approved' | 'submitted'): MonthReview[] =>
  Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`).map((period) =>
    monthReview(department, period, period === PERIOD ? state : 'approved', {
      lockedAt: period === PERIOD ? null : `${period}-28T00:00:00.000Z`,
      ...(period === PERIOD && department === 'science'
        ? { warnings: [warning(PLATFORMS)], explanations: { [PLATFORMS]: { text: EXPLANATION, by: 'clerk', at: '2026-12-03T01:00:00.000Z', source: 'portal' } } }
        : {}),
      ...(period === '2026-10' && department === 'science' ? { restatements: [restated] } : {}),
    }),
  );
// The earlier months are locked (on their 28th, for the test) and November not yet: October's restatement, approved on 20 November, is November's.
const report = buildReport({
  catalog,
  period: PERIOD,
  observations: yearOfFigures(catalog, PERIOD).filter((o) => o.department !== 'vocational'),
  submissions: ['science', 'education'].flatMap((d) => Array.from({ length: 11 }, (_, i) => submission(d, `2026-${String(i + 1).padStart(2, '0')}`))),
  reviews: [...months('science', 'approved'), ...months('education', 'submitted')],
});

describe('report.html of a month with a provisional department', () => {
  const html = reportHtml(report);

  it('marks every provisional figure, and only those', () => {
    const marked = [...html.matchAll(/data-indicator="([^"]+)"[^>]*data-sign-off="provisional"/g)].map(([, id]) => id);
    expect(marked).toEqual(report.snapshot.indicators.filter((r) => r.signOff === 'provisional').map((r) => r.indicator));
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.every((id) => id?.startsWith('edu.'))).toBe(true);
  });

  it('banners the provisional department and says how many targets the headline leaves out', () => {
    expect(html.match(/data-provisional>/g)).toHaveLength(1);
    const provisional = report.snapshot.indicators.filter((r) => r.department === 'education' && r.targetType !== null).length;
    expect(html).toContain(`另有 ${provisional} 项目标为暂定数据`);
  });

  it('shows the explanation with the warned figure', () => {
    expect(html).toMatch(new RegExp(`data-indicator="${PLATFORMS}"[\\s\\S]*?data-explanation>情况说明[^：]*：${EXPLANATION}`));
  });

  it('lists the restatement: department, indicator, month, old → new, when, why and who approved it', () => {
    const row = html.match(/<tr data-restatement="[^"]*">[\s\S]*?<\/tr>/)?.[0] ?? '';
    expect(row).toContain(`data-restatement="science 2026-10 ${PLATFORMS}"`);
    for (const text of ['区科技局', '新增市级以上创新平台', '2026-10', '3 个 / 3 count → 5 个 / 5 count', restated.approvedAt, restated.reason, restated.approvedBy]) expect(row).toContain(text);
  });
});

describe('report.xlsx of the same month', async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await reportXlsx(report)) as unknown as ExcelJS.Buffer);
  const sheet = (name: string) => workbook.getWorksheet(name);
  const columnOf = (name: string, header: string) => {
    const found = sheet(name);
    const index = (found?.getRow(1).values as unknown[] | undefined)?.indexOf(header) ?? -1;
    return index < 1 ? [] : (found?.getColumn(index).values.slice(2) ?? []);
  };

  it('marks each figure official or provisional, and carries the explanation', () => {
    expect(columnOf('区教委', '数据性质 Sign-off')).toContain('暂定 provisional');
    expect(columnOf('区科技局', '数据性质 Sign-off')).not.toContain('暂定 provisional');
    expect(columnOf('区科技局', '情况说明 Explanation of the warning')).toContain(EXPLANATION);
  });

  it('lists the restatement on a sheet of its own', () => {
    const restatements = sheet('更正 Restatements');
    expect(restatements?.getRow(2).values).toEqual([
      undefined,
      '区科技局 Science & Technology Bureau',
      '新增市级以上创新平台 New municipal-or-higher innovation platforms',
      '2026-10',
      '3 个 / 3 count → 5 个 / 5 count',
      // The district's wall-clock time of the approval: 09:00 for 01:00 UTC.
      new Date('2026-11-20T09:00:00.000Z'),
      restated.reason,
      restated.approvedBy,
    ]);
  });

  it('names the provisional count and the sign-off of each department on the summary', () => {
    const summary = sheet('汇总 Summary');
    const texts = summary?.getColumn(1).values.filter((v): v is string => typeof v === 'string') ?? [];
    expect(texts.some((t) => t.includes('项目标为暂定数据'))).toBe(true);
    const signOffs = new Map(summary?.getSheetValues().flatMap((row) => (Array.isArray(row) && typeof row[1] === 'string' ? [[row[1], row[3]]] : [])));
    expect(signOffs.get('区科技局 Science & Technology Bureau')).toBe('已审核 approved · 正式 official');
    expect(signOffs.get('区教委 Education Commission')).toBe('待审核 awaiting sign-off · 暂定 provisional');
    expect(signOffs.get('区职业教育中心 Vocational Education Centre')).toBe('–');
  });
});
