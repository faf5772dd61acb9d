import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../shared/catalog/catalog.js';
import { csvCell, type CsvCell } from '../../shared/snapshot/csv.js';
import { buildSnapshot, PROGRESS_COLUMNS, snapshotCsv, type ColumnType } from '../../shared/snapshot/index.js';
import { testCatalog, testInput } from '../fixtures.js';

describe('csvCell', () => {
  it.each<[string, CsvCell, string]>([
    ['a formula', '=SUM(A1)', `"'=SUM(A1)"`],
    ['a leading plus', '+86 023', `"'+86 023"`],
    ['a leading minus', '-1+1', `"'-1+1"`],
    ['a leading at sign', '@cmd', `"'@cmd"`],
    ['a leading tab', '\tx', `"'\tx"`],
    ['a leading carriage return', '\rx', `"'\rx"`],
    ['a formula holding quotes', '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['a comma', 'a,b', '"a,b"'],
    ['quotes', 'say "hi"', '"say ""hi"""'],
    ['a line feed', 'line\nbreak', '"line\nbreak"'],
    ['a carriage return inside', 'line\rbreak', '"line\rbreak"'],
    ['plain Chinese text', '新增平台', '新增平台'],
    ['a month', '2026-11', '2026-11'],
    ['a negative number', -5, '-5'],
    ['a decimal', 2.5, '2.5'],
    ['a tiny number', 1e-7, '0.0000001'],
    ['a tiny negative number', -1.25e-9, '-0.00000000125'],
    ['a huge number', 1.5e21, '1500000000000000000000'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['null', null, ''],
  ])('writes %s as %j', (_, cell, expected) => {
    expect(csvCell(cell)).toBe(expected);
  });

  it.each<[string, number, ColumnType, string]>([
    ['a whole decimal', 20, 'decimal', '20.0'],
    ['a whole negative decimal', -3, 'decimal', '-3.0'],
    ['a huge whole decimal', 1.5e21, 'decimal', '1500000000000000000000.0'],
    ['a fractional decimal', 0.35, 'decimal', '0.35'],
    ['an integer', 20, 'integer', '20'],
  ])('writes %s (%j in a %s column) as %j, so that type-guessing readers keep the column type', (_, cell, type, expected) => {
    expect(csvCell(cell, type)).toBe(expected);
  });
});

describe('snapshotCsv', () => {
  // The test months have no review: every figure is provisional.
  const csv = snapshotCsv(buildSnapshot(testInput));
  const lines = csv.slice(1).split('\r\n');

  it('starts with the UTF-8 byte order mark EF BB BF', () => {
    expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('ends every line, the last one too, with CRLF and nowhere a bare LF', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('has the fixed header row and one row per catalog indicator', () => {
    expect(lines[0]).toBe(
      'period,catalog_version,department,department_reported,indicator,zh,en,kind,unit,value,done,as_of,status,' +
        'progress,expected,run_rate_3m,run_rate_12m,required_run_rate,projected_value,target_type,comparison,target_value,reference,reference_value,baseline_value,baseline_date,baseline_assumed,deadline,' +
        'revision_effective,revision_reason,revision_decided_by,original_comparison,original_target_value,original_deadline,original_progress,original_expected,original_status,note,sign_off,explanation',
    );
    expect(lines[0]).toBe(PROGRESS_COLUMNS.map((column) => column.name).join(','));
    expect(lines.slice(1, -1)).toHaveLength(testCatalog.indicators.length);
    expect(lines.at(-1)).toBe('');
  });

  it.each([
    {
      row: 'a reach target',
      line: '2026-11,vtest.1,science,true,sci.platforms,新增平台,New platforms,flow,count,7.0,,2026-11,on_track,0.35,0.4575,2.3333333333,0.5833333333,1.0,37.3333333333,reach,at_least,20.0,,,0.0,2025-12-31,false,2027-12-31,,,,,,,,,,,provisional,',
    },
    {
      row: 'a relative target',
      line: '2026-11,vtest.1,science,true,sci.rd_intensity,研发投入强度,R&D intensity,ratio,percent,2.5,,2026-11,achieved,1.0417,1.0,,,,,relative,greater_than,,sci.city_average,2.4,,,,2027-12-31,,,,,,,,,,,provisional,',
    },
    { row: 'a reference value', line: '2026-11,vtest.1,science,true,sci.city_average,全市平均,City average,ratio,percent,2.4,,2026-11,no_target,,,,,,,,,,,,,,,,,,,,,,,,,,provisional,' },
    { row: 'a milestone of a department that has not reported', line: '2026-11,vtest.1,education,false,edu.designation,创建,Designation,milestone,done,,false,2026-09,at_risk,0.0,,,,,,milestone,,,,,,,,,,,,,,,,,,,provisional,' },
  ])('writes $row with booleans as true/false, decimals with a fraction and nulls empty', ({ line }) => {
    expect(lines).toContain(line);
  });

  it('guards and quotes catalog text that a spreadsheet would run or split', () => {
    const hostile = loadCatalog({
      version: '=1,2',
      units: [{ id: 'count', zh: '个', en: 'count', value: 'integer', labels: ['个'] }],
      departments: [{ id: 'science', zh: '区科技局', en: 'Science' }],
      indicators: [
        {
          id: 'sci.hostile',
          department: 'science',
          zh: '=SUM(A1)',
          en: 'Platforms, "new"',
          unit: 'count',
          kind: 'stock',
          target: { type: 'hold', comparison: 'at_least', value: 4 },
          targetRevisions: [{ effective: '2026-07-01', reason: '=HYPERLINK("x")', decidedBy: '+86 会议, 纪要', target: { type: 'hold', comparison: 'at_least', value: 5 } }],
        },
      ],
    });
    const row = snapshotCsv(buildSnapshot({ catalog: hostile, period: '2026-11', observations: [], submissions: [] })).split('\r\n')[1];
    expect(row).toBe(`2026-11,"v=1,2",science,false,sci.hostile,"'=SUM(A1)","Platforms, ""new""",stock,count,,,,no_data,,1.0,,,,,hold,at_least,5.0,,,,,,,2026-07-01,"'=HYPERLINK(""x"")","'+86 会议, 纪要",at_least,4.0,,,1.0,no_data,,,`);
  });
});
