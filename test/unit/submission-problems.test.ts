import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { PROBLEM_CODES, problemAt, problemMessage } from '../../shared/workbook/problems.js';

const entries = Object.entries(PROBLEM_CODES);

describe('PROBLEM_CODES', () => {
  it('has the codes the README documents', () => {
    expect(Object.keys(PROBLEM_CODES)).toEqual(
      expect.arrayContaining([
        'file.not_a_workbook',
        'file.corrupt',
        'sheet.no_table',
        'sheet.no_figures',
        'period.missing',
        'period.invalid',
        'period.future',
        'period.conflict',
        'indicator.unknown',
        'indicator.other_department',
        'indicator.duplicate',
        'value.not_a_number',
        'value.not_whole',
        'value.negative',
        'value.percent_out_of_range',
        'value.not_boolean',
        'value.formula_error',
        'value.missing',
        'unit.unknown',
      ]),
    );
  });

  it.each(entries)('%s is a dotted code with Chinese and English text', (code, { zh, en }) => {
    expect(code).toMatch(/^[a-z]+\.[a-z_]+$/);
    expect(zh).toMatch(/^\p{Script=Han}/u);
    expect(en).toMatch(/^[A-Z]/);
    expect(`${zh}${en}`).not.toContain(' / ');
  });

  it('makes only a sheet it could not read or find, a title overruled by the period cell, a blank value, an unlisted indicator and a cumulative unlike its months warnings by themselves', () => {
    const warnings = entries.filter(([, { severity }]) => severity === 'warning').map(([code]) => code);

    expect(warnings).toEqual(['sheet.unreadable', 'sheet.not_read', 'period.overruled', 'indicator.not_listed', 'value.missing', 'value.cumulative_mismatch']);
  });

  it("leaves exactly the catalog's rules to the catalog", () => {
    const ruled = entries.filter(([, { severity }]) => severity === 'catalog').map(([code]) => code);

    expect(ruled.sort()).toEqual(Object.keys(catalog.severities).sort());
  });
});

describe('problem messages', () => {
  it('put Chinese first, then English, each followed by the specifics', () => {
    expect(problemMessage('value.not_whole', { zh: '请填 12', en: 'type 12' })).toBe(
      '数值必须是整数：请填 12 / The value must be a whole number; type 12',
    );
  });

  it('are the general text alone when there are no specifics', () => {
    expect(problemAt('file.corrupt', null, null)).toEqual({
      sheet: null,
      cell: null,
      code: 'file.corrupt',
      message: `${PROBLEM_CODES['file.corrupt'].zh} / ${PROBLEM_CODES['file.corrupt'].en}`,
    });
  });
});
