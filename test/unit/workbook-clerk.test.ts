import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { readWorkbook } from '../../shared/workbook/read.js';
import { readSubmission } from '../../shared/workbook/submission.js';

/** A workbook as a clerk makes it, not from the template: the layouts the brief describes. */
async function clerksWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const talent = workbook.addWorksheet('人才');
  talent.mergeCells('A1:D1');
  talent.getCell('A1').value = '大足区科技局2026年11月科技创新指标报表';
  talent.addRow([]);
  talent.addRow(['序号', '指标名称', '计量单位', '本月数']);
  talent.addRow([1, { richText: [{ text: '巴渝' }, { text: '工匠' }] }, '人', { formula: '10+2', result: 12 }]);
  talent.addRow([2, '科技特派员', '名', '１２']);
  talent.addRow([3, '技术经理人', '人', 0]);
  talent.addRow(['填报人：张三', undefined, '审核人：李四']);

  const money = workbook.addWorksheet('成果转化');
  money.addRow(['指标', '数值（万元）']);
  money.addRow(['技术合同成交额(累计)', '3,500']);
  money.addRow(['整体研发投入强度', 0.0215]);
  money.getCell('B3').numFmt = '0.00%';
  money.addRow(['注：研发投入强度为上年数。']);

  workbook.addWorksheet('说明').addRow(['本表由科技局填报，数值以万元计。']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe("a clerk's own workbook, end to end", () => {
  it('gives each figure in the canonical unit, with its sheet and cell, and the month from the title', async () => {
    const sheets = readWorkbook(await clerksWorkbook());

    const result = await readSubmission({ sheets, catalog, department: 'science', fileName: '科技局11月.xlsx', currentPeriod: '2026-12' });

    expect(result.period).toBe('2026-11');
    expect(result.errors).toEqual([]);
    expect(result.figures).toEqual([
      { indicator: 'sci.bayu_craftsmen', period: '2026-11', value: 12, unit: 'persons', sheet: '人才', cell: 'D4' },
      { indicator: 'sci.st_commissioners', period: '2026-11', value: 12, unit: 'persons', sheet: '人才', cell: 'D5' },
      { indicator: 'sci.tech_managers', period: '2026-11', value: 0, unit: 'persons', sheet: '人才', cell: 'D6' },
      { indicator: 'sci.tech_contract_turnover', period: '2026-11', value: 0.35, unit: 'cny_100m', sheet: '成果转化', cell: 'B2' },
      { indicator: 'sci.rd_intensity', period: '2026-11', value: 2.15, unit: 'percent', sheet: '成果转化', cell: 'B3' },
    ]);
    expect(result.warnings.map((warning) => warning.code)).toEqual(Array.from({ length: 6 }, () => 'indicator.not_listed'));
  });
});
