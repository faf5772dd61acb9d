import { describe, expect, it } from 'vitest';
import { MAX_INSPECTED_TEXT } from '../../shared/workbook/limits.js';
import { excerpt } from '../../shared/workbook/text.js';
import { parse, scienceSheet, sheetOf, submissionOf, type CellInput } from './workbook-fixtures.js';

const LONG = 2_000_000;

/** Every message of a result, which must quote no long text whole. */
function longestMessage(result: { errors: readonly { message: string }[]; warnings: readonly { message: string }[] }): number {
  return Math.max(0, ...[...result.errors, ...result.warnings].map((problem) => problem.message.length));
}

describe('excerpt', () => {
  it.each([
    { text: '', zh: '', en: '' },
    { text: '巴渝工匠', zh: '巴渝工匠', en: '巴渝工匠' },
    { text: 'x'.repeat(40), zh: 'x'.repeat(40), en: 'x'.repeat(40) },
    { text: 'x'.repeat(41), zh: `${'x'.repeat(40)}…（共 41 个字符）`, en: `${'x'.repeat(40)}…(41 characters)` },
    { text: '1'.repeat(LONG), zh: `${'1'.repeat(40)}…（共 ${LONG} 个字符）`, en: `${'1'.repeat(40)}…(${LONG} characters)` },
    { text: `${'x'.repeat(39)}😀${'x'.repeat(9)}`, zh: `${'x'.repeat(39)}…（共 50 个字符）`, en: `${'x'.repeat(39)}…(50 characters)` },
  ])('quotes $text.length characters as at most 40 and a mark of the length', ({ text, zh, en }) => {
    expect(excerpt(text)).toEqual({ zh, en });
  });
});

describe('a long text in a cell is no name, number, unit or month, and is quoted as an excerpt', () => {
  it.each<{ case: string; row: CellInput[]; cell: string; code: string }>([
    { case: 'an indicator cell', row: ['巴'.repeat(LONG), '人', 12], cell: 'A5', code: 'indicator.unknown' },
    { case: 'an indicator cell starting with a name', row: [`巴渝工匠${' '.repeat(MAX_INSPECTED_TEXT)}x`, '人', 12], cell: 'A5', code: 'indicator.unknown' },
    { case: 'a value cell of digits', row: ['巴渝工匠', '人', '1'.repeat(LONG)], cell: 'C5', code: 'value.not_a_number' },
    { case: 'a unit cell', row: ['巴渝工匠', '人'.repeat(LONG), 12], cell: 'B5', code: 'unit.unknown' },
  ])('$case: $code at $cell', ({ row, cell, code }) => {
    const result = parse([scienceSheet([row])]);

    expect(result.errors.map((error) => ({ cell: error.cell, code: error.code }))).toEqual([{ cell, code }]);
    expect(result.errors[0]?.message).toMatch(/…（共 \d+ 个字符）.*…\(\d+ characters\)/);
    expect(longestMessage(result)).toBeLessThan(1000);
  });

  it('a number with a long run of spaces around it is the number: only what is left once trimmed counts', () => {
    const result = parse([scienceSheet([['巴渝工匠', '人', `${' '.repeat(LONG)}12${' '.repeat(LONG)}`]])]);

    expect(result.errors).toEqual([]);
    expect(result.figures.map((figure) => figure.value)).toEqual([12]);
  });

  it('a period cell: period.invalid, quoted as an excerpt', () => {
    const result = parse([scienceSheet([['巴渝工匠', '人', 12]], `2026-11${'x'.repeat(LONG)}`)]);

    expect(result.errors.map((error) => ({ cell: error.cell, code: error.code }))).toEqual([{ cell: 'B2', code: 'period.invalid' }]);
    expect(longestMessage(result)).toBeLessThan(500);
  });

  it('a long sheet name and file name are quoted as excerpts', () => {
    const sheet = 'S'.repeat(LONG);
    const fileName = `science-2026-10-${'n'.repeat(MAX_INSPECTED_TEXT / 2)}.xlsx`;

    const result = parse([scienceSheet([['巴渝工匠', '人', 12], ['巴渝工匠', '人', 13]], '2026-11', sheet)], { fileName });

    expect(result.errors.map((error) => error.code)).toEqual(['indicator.duplicate']);
    expect(result.warnings.map((warning) => warning.code)).toContain('period.overruled');
    expect(longestMessage(result)).toBeLessThan(600);
  });

  it('a long note line below a table is still a note by its opening', () => {
    const sheet = sheetOf('科技创新', [['填报月份', '2026-11'], ['指标', '数值'], ['巴渝工匠', 12], [`注：${'说明'.repeat(LONG)}`]]);

    expect(parse([sheet]).errors).toEqual([]);
  });

  it('a CSV value as long as a cell may be is a value.not_a_number quoted as an excerpt', async () => {
    const csv = `填报月份,2026-11\n指标,单位,数值\n巴渝工匠,人,${'1'.repeat(32_767)}\n`;

    const result = await submissionOf(Buffer.from(csv), 'science.csv');

    expect(result.errors.map((error) => ({ cell: error.cell, code: error.code }))).toEqual([{ cell: 'C3', code: 'value.not_a_number' }]);
    expect(longestMessage(result)).toBeLessThan(500);
  });
});
