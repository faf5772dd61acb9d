import { describe, expect, it } from 'vitest';
import { NOTE_LENGTH } from '../../shared/workbook/rows.js';
import { parse, scienceSheet, sheetOf, submissionOf, type CellInput } from './workbook-fixtures.js';

function notesOf(result: ReturnType<typeof parse>) {
  return result.figures.map(({ indicator, period, note }) => ({ indicator, period, note }));
}

/** 指标 | 单位 | 数值 | <heading>: the long layout with a note column headed as a clerk heads it. */
function notedSheet(heading: string, rows: readonly (readonly CellInput[])[]) {
  return sheetOf('科技创新', [['大足区科技局科技创新指标报表'], ['填报月份', '2026-11'], [], ['指标', '单位', '数值', heading], ...rows]);
}

describe('parseSubmission reads the clerk\'s note beside each figure', () => {
  it.each(['备注 Note', '备注', '说明', '进展说明', '情况说明', 'Note', 'Notes', 'Remark', 'Remarks', 'Comment', 'Comments'])(
    'in a note column headed %s',
    (heading) => {
      const result = parse([notedSheet(heading, [['巴渝工匠', '人', 12, '  两名学员推迟到12月考核  '], ['科技特派员', '人', 3]])]);

      expect(result.errors).toEqual([]);
      expect(notesOf(result)).toEqual([
        { indicator: 'sci.bayu_craftsmen', period: '2026-11', note: '两名学员推迟到12月考核' },
        { indicator: 'sci.st_commissioners', period: '2026-11', note: undefined },
      ]);
    },
  );

  it('gives no note where the note cell holds only spaces, or where the table has no note column', () => {
    expect(notesOf(parse([notedSheet('备注', [['巴渝工匠', '人', 12, '   ']])]))).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', note: undefined }]);
    expect(notesOf(parse([scienceSheet([['巴渝工匠', '人', 12, '写在表外的字']])]))).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', note: undefined }]);
  });

  it(`keeps the first ${NOTE_LENGTH} characters of a longer note, never half a character`, () => {
    const long = `${'进'.repeat(NOTE_LENGTH - 1)}𠀀尾`;

    const result = parse([notedSheet('备注', [['巴渝工匠', '人', 12, long]])]);

    expect(result.errors).toEqual([]);
    expect(result.figures[0]?.note).toBe('进'.repeat(NOTE_LENGTH - 1));
    expect(parse([notedSheet('备注', [['巴渝工匠', '人', 12, 'x'.repeat(NOTE_LENGTH + 5)]])]).figures[0]?.note).toHaveLength(NOTE_LENGTH);
  });

  it('never makes a row an error: a note on a row without a value or an indicator gives no figure and no problem', () => {
    const result = parse([notedSheet('备注', [['巴渝工匠', '人', 12, '正常'], [undefined, undefined, undefined, '以下为补充说明'], ['科技特派员', '人', undefined, '本月未统计']])]);

    expect(result.errors).toEqual([]);
    expect(notesOf(result)).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', note: '正常' }]);
    expect(result.warnings.map((warning) => warning.code)).not.toContain('indicator.unknown');
  });

  it('reads a number typed in the note column as the note\'s text, not as a figure', () => {
    const result = parse([notedSheet('备注', [['巴渝工匠', '人', 12, 3]])]);

    expect(result.errors).toEqual([]);
    expect(result.figures).toEqual([expect.objectContaining({ indicator: 'sci.bayu_craftsmen', value: 12, note: '3' })]);
  });

  it('gives each figure of a wide table\'s month row that row\'s note, and refuses nothing for numbers in it', () => {
    const sheet = sheetOf('进度', [
      ['大足区科技局2026年1-11月科技创新进度表'],
      ['月份', '巴渝工匠（人）', '科技特派员', '进展说明'],
      ['2026-10', 10, 3],
      ['2026-11', 12, 4, 2026],
    ]);

    const result = parse([sheet]);

    expect(result.errors).toEqual([]);
    expect(notesOf(result)).toEqual([
      { indicator: 'sci.bayu_craftsmen', period: '2026-10', note: undefined },
      { indicator: 'sci.st_commissioners', period: '2026-10', note: undefined },
      { indicator: 'sci.bayu_craftsmen', period: '2026-11', note: '2026' },
      { indicator: 'sci.st_commissioners', period: '2026-11', note: '2026' },
    ]);
  });

  it('gives every month figure of a month-columns row that row\'s note', () => {
    const sheet = sheetOf('进度', [['大足区科技局2026年1-2月科技创新指标'], ['指标', '单位', '1月', '2月', '备注'], ['巴渝工匠', '人', 5, 7, '2月集中培训']]);

    const result = parse([sheet]);

    expect(result.errors).toEqual([]);
    expect(notesOf(result)).toEqual([
      { indicator: 'sci.bayu_craftsmen', period: '2026-01', note: '2月集中培训' },
      { indicator: 'sci.bayu_craftsmen', period: '2026-02', note: '2月集中培训' },
    ]);
  });

  it('gives the rows of an indicator merged down the note of its first row unless a row has its own', () => {
    const sheet = sheetOf('科技创新', [
      ['大足区科技局科技创新指标报表'],
      ['填报月份', '2026-11'],
      ['指标', '项目', '数值', '备注'],
      ['巴渝工匠', '本月', 12, '培训延期'],
      [undefined, '累计', 12],
    ]);

    expect(notesOf(parse([sheet]))).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', note: '培训延期' }]);
  });

  it('reads the note column of a CSV upload', async () => {
    const csv = '填报月份,2026-11\n指标,单位,数值,备注\n巴渝工匠,人,12,"推迟,待12月"\n';

    const result = await submissionOf(new TextEncoder().encode(csv), '科技局_2026-11.csv');

    expect(result.errors).toEqual([]);
    expect(notesOf(result)).toEqual([{ indicator: 'sci.bayu_craftsmen', period: '2026-11', note: '推迟,待12月' }]);
  });
});
