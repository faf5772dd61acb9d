import { describe, expect, it } from 'vitest';
import { cellsOf, excelStyleWorkbook, parse, scienceSheet, scienceSheetData, sheetOf, submissionOf, textCell, type CellInput } from './workbook-fixtures.js';

const FIGURE: CellInput[] = ['巴渝工匠', '人', 12];
const PERIOD = textCell('B2', '2026-11');
const VALUE = '<c r="C5"><v>12</v></c>';

/** Date-formatted numbers no date of a four-digit year stands for, and those too large for a date at all. */
const NO_DATE_SERIALS = ['20261001', '2958466', '-1', '-20261001', '1e15', '-1e15', '1e300'];

describe('a number in a date-formatted cell that is no date', () => {
  it.each(NO_DATE_SERIALS)('in the period cell, %s is a period.invalid at the cell', async (serial) => {
    const bytes = excelStyleWorkbook({ sheetData: scienceSheetData({ period: `<c r="B2" s="1"><v>${serial}</v></c>`, value: VALUE }) });

    const { period, errors } = await submissionOf(bytes);

    expect(period).toBeNull();
    expect(errors.map(({ sheet, cell, code }) => ({ sheet, cell, code }))).toEqual([{ sheet: '报表', cell: 'B2', code: 'period.invalid' }]);
  });

  it('quotes the number typed when it is known', async () => {
    const bytes = excelStyleWorkbook({ sheetData: scienceSheetData({ period: '<c r="B2" s="1"><v>20261001</v></c>', value: VALUE }) });

    const { errors } = await submissionOf(bytes);

    expect(errors[0]?.message).toContain('“20261001”不是明确的年月');
  });

  it.each(NO_DATE_SERIALS)('in a value cell, %s is a value.not_a_number at the cell', async (serial) => {
    const bytes = excelStyleWorkbook({ sheetData: scienceSheetData({ period: PERIOD, value: `<c r="C5" s="1"><v>${serial}</v></c>` }) });

    const { figures, errors } = await submissionOf(bytes);

    expect(figures).toEqual([]);
    expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([{ cell: 'C5', code: 'value.not_a_number' }]);
    expect(errors[0]?.message).toContain('date');
  });

  it.each(NO_DATE_SERIALS)('as a date-formatted formula result, %s is a value.not_a_number at the cell', async (serial) => {
    const bytes = excelStyleWorkbook({ sheetData: scienceSheetData({ period: PERIOD, value: `<c r="C5" s="1"><f>A1</f><v>${serial}</v></c>` }) });

    const { errors } = await submissionOf(bytes);

    expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([{ cell: 'C5', code: 'value.not_a_number' }]);
  });

  it.each(['1e300', '-1', '2958466'])('reads %s stored in a date format as the number, never an invalid date', (serial) => {
    const values = cellsOf(`<c r="A1" s="0"><v>${serial}</v></c><c r="B1" s="0"><f>A1</f><v>${serial}</v></c>`, { numberFormats: ['yyyy-mm'] }).map((cell) => cell.value);

    expect(values).toEqual([Number(serial), Number(serial)]);
  });
});

describe('text in a date-formatted value cell', () => {
  it('keeps its own reading: "12" typed as text is 12', () => {
    const { errors, figures } = parse([scienceSheet([['巴渝工匠', '人', { value: '12', numFmt: 'yyyy-mm' }]])]);

    expect(errors).toEqual([]);
    expect(figures.map((figure) => figure.value)).toEqual([12]);
  });
});

describe('a date cell of a held sheet that is no date of a four-digit year', () => {
  it.each<{ written: CellInput }>([
    { written: new Date(Number.NaN) },
    { written: new Date(Date.UTC(57443, 0, 1)) },
    { written: new Date(Date.UTC(-5, 0, 1)) },
    { written: 20261001 },
    { written: Number.POSITIVE_INFINITY },
    { written: Number.NaN },
    { written: 1e21 },
  ])('in the period cell, $written is a period.invalid at the cell', ({ written }) => {
    const { period, errors } = parse([scienceSheet([FIGURE], written)]);

    expect(period).toBeNull();
    expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([{ cell: 'B2', code: 'period.invalid' }]);
  });

  it.each<{ written: CellInput }>([{ written: new Date(Number.NaN) }, { written: new Date(Date.UTC(57443, 0, 1)) }, { written: Number.POSITIVE_INFINITY }, { written: Number.NaN }])(
    'in a value cell, $written is a value.not_a_number at the cell',
    ({ written }) => {
      const { errors } = parse([scienceSheet([['巴渝工匠', '人', written]])]);

      expect(errors.map(({ cell, code }) => ({ cell, code }))).toEqual([{ cell: 'C5', code: 'value.not_a_number' }]);
    },
  );

  it('in a wide table, a month cell of year 57443 is a period.invalid at its cell', () => {
    const wide = parse([sheetOf('进度', [['月份', '巴渝工匠'], [new Date(Date.UTC(57443, 0, 1)), 12]])]);

    expect(wide.errors.map(({ cell, code }) => ({ cell, code }))).toContainEqual({ cell: 'A2', code: 'period.invalid' });
  });
});

describe('a CSV period or value that is no date or number', () => {
  it.each([
    { period: '20261001', value: '12', cell: 'B2', code: 'period.invalid' },
    { period: '99999-01', value: '12', cell: 'B2', code: 'period.invalid' },
    { period: '2026-11', value: '9'.repeat(400), cell: 'C5', code: 'value.not_a_number' },
    { period: '2026-11', value: '-1e999', cell: 'C5', code: 'unit.unknown' },
  ])('$period / $value is a $code at $cell', async ({ period, value, cell, code }) => {
    const csv = `大足区科技局科技创新指标报表\n填报月份,${period}\n\n指标,单位,数值\n巴渝工匠,人,${value}\n`;

    const { errors } = await submissionOf(Buffer.from(csv), 'science.csv');

    expect(errors.map((error) => ({ cell: error.cell, code: error.code }))).toEqual([{ cell, code }]);
  });
});

describe('the 1904 date system', () => {
  it.each([
    { written: '1', period: '2026-11' },
    { written: 'true', period: '2026-11' },
    { written: ' true ', period: '2026-11' },
    { written: '0', period: '2026-11' },
    { written: 'false', period: '2026-11' },
  ])('is honoured as the schema spells it: date1904="$written" reads its serial as $period', async ({ written, period }) => {
    // 2026-11-01 is 46327 counted from 1900 and 46327 - 1462 counted from 1904, which from 1900 would be 2022-10-31.
    const serial = ['1', 'true'].includes(written.trim()) ? 46327 - 1462 : 46327;
    const bytes = excelStyleWorkbook({ date1904: written, sheetData: scienceSheetData({ period: `<c r="B2" s="1"><v>${serial}</v></c>`, value: VALUE }) });

    const result = await submissionOf(bytes);

    expect(result.errors).toEqual([]);
    expect(result.period).toBe(period);
  });

  it.each(['1', 'true'])('date1904="%s" also counts a formula result and a bare serial from 1904', async (written) => {
    const sheetData = scienceSheetData({ period: `<c r="B2" s="1"><f>DATE(2026,11,1)</f><v>${46327 - 1462}</v></c>`, value: VALUE });
    const formula = await submissionOf(excelStyleWorkbook({ date1904: written, sheetData }));
    const bare = await submissionOf(excelStyleWorkbook({ date1904: written, sheetData: scienceSheetData({ period: `<c r="B2"><v>${46327 - 1462}</v></c>`, value: VALUE }) }));

    expect([formula.period, bare.period]).toEqual(['2026-11', '2026-11']);
  });
});
