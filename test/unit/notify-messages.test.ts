import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/ingest/ingest.js';
import {
  dueNotice,
  LISTED_PROBLEMS,
  monthlyReportNotice,
  monthPageUrl,
  problemLines,
  receiptNotice,
  reviewNotice,
  withLinks,
  type Addressing,
} from '../../shared/notify/messages.js';
import type { Problem } from '../../shared/problem.js';

const science = { id: 'science', zh: '区科技局', en: 'Science Bureau' };
const addressing: Addressing = { event: 'e#1', to: [{ channel: 'email', address: 'science-clerk@portal.local' }], portalUrl: 'https://portal.example/' };
const problem = (n: number): Problem => ({ sheet: '填报表', cell: `C${n}`, code: 'value.not_a_number', message: `第 ${n} 行不是数字 / row ${n} is not a number` });

function report(overrides: Partial<ImportReport>): ImportReport {
  return {
    status: 'rejected',
    department: 'science',
    period: '2026-11',
    observations: [],
    errors: [],
    warnings: [],
    source: { bucket: 'uploads', key: 'incoming/science/a.xlsx', sequencer: '0A', uploadedAt: '2026-12-03T01:00:00.000Z' },
    outcome: null,
    slices: [],
    counts: { rows: 12, observations: 0, errors: 1, warnings: 0 },
    reportKey: 'reports/science/a.json',
    annotatedKey: null,
    annotation: { status: 'not_read' } as ImportReport['annotation'],
    ...overrides,
  };
}

describe('the problems a receipt lists', () => {
  it.each([
    [0, 0, null],
    [3, 3, null],
    [LISTED_PROBLEMS, LISTED_PROBLEMS, null],
    [LISTED_PROBLEMS + 4, LISTED_PROBLEMS + 1, '另有 4 条 and 4 more'],
  ])('%i problems: %i lines, the last %s', (count, lines, last) => {
    const listed = problemLines(Array.from({ length: count }, (_, i) => problem(i + 1)));
    expect(listed).toHaveLength(lines);
    if (last !== null) expect(listed.at(-1)).toBe(last);
  });

  it('names the sheet and cell, or the file', () => {
    expect(problemLines([problem(7), { sheet: null, cell: null, code: 'file.empty', message: '空文件 / empty' }])).toEqual([
      '- 填报表!C7: 第 7 行不是数字 / row 7 is not a number',
      '- 文件 file: 空文件 / empty',
    ]);
  });
});

describe('receipts', () => {
  it.each([
    ['rejected', report({ errors: [problem(7)] }), '未通过', 'rejected', '填报表!C7'],
    ['accepted', report({ status: 'accepted', counts: { rows: 12, observations: 11, errors: 0, warnings: 1 }, warnings: [problem(9)] }), '已接收', 'accepted', '填报表!C9'],
  ])('%s: the verdict in both languages, the month, the counts and the cell', (_, built, zh, en, cell) => {
    const notice = receiptNotice(built, science, { ...addressing, annotatedUrl: 'https://s3.example/copy' });
    expect(notice.subject).toBe(`区科技局 2026-11 报表${zh} / Science Bureau 2026-11 workbook ${en}`);
    expect(notice.text.indexOf(zh)).toBeLessThan(notice.text.indexOf(en));
    expect(notice.text).toContain(`读取 12 行`);
    expect(notice.text).toContain(cell);
    expect(notice.links).toEqual([
      { label: '门户页面 Portal page', url: 'https://portal.example/#/department/science/months/2026-11' },
      { label: '标注副本 Annotated copy', url: 'https://s3.example/copy' },
    ]);
  });

  it.each([
    [report({ errors: [problem(7)] }), '请按下列问题修改后重新上传。'],
    [report({ status: 'accepted', outcome: 'held' }), '此更正待区改革办审批'],
    [report({ status: 'accepted', outcome: 'committed', warnings: [problem(9)] }), '请到门户页面说明各条警告'],
    [report({ status: 'accepted', outcome: 'committed' }), '已提交部门负责人审核。'],
  ])('says what comes next (%#)', (built, next) => {
    expect(receiptNotice(built, science, { ...addressing, annotatedUrl: null }).text).toContain(next);
  });

  it("links the department's page when the month was not read, and no copy when none was written", () => {
    const notice = receiptNotice(report({ period: null }), science, { ...addressing, annotatedUrl: null });
    expect(notice.period).toBeNull();
    expect(notice.links).toEqual([{ label: '门户页面 Portal page', url: 'https://portal.example/#/department/science' }]);
  });
});

describe('review notices', () => {
  it.each([
    ['submitted', null, '待审核', '请到门户页面审核'],
    ['returned', '请核对 / check it', '已被退回', '理由：请核对 / check it'],
    ['approved', null, '已审核通过', '数据已为正式数据'],
  ] as const)('%s: the step, the revision and the reason', (kind, reason, words, line) => {
    const notice = reviewNotice(kind, { period: '2026-11', revision: 2, reason }, science, addressing);
    expect(notice.subject.startsWith(`区科技局 2026-11 ${words} / Science Bureau 2026-11 `)).toBe(true);
    expect(notice.text).toContain('（第 2 版）');
    expect(notice.text).toContain(line);
    if (reason === null) expect(notice.text).not.toContain('理由');
    expect(notice.links[0]?.url).toBe(monthPageUrl(addressing.portalUrl, 'science', '2026-11'));
  });
});

describe('reminders, escalations and the monthly report', () => {
  it.each([
    ['reminder', dueNotice('reminder', { period: '2026-11', dueDate: '2026-12-10', workingDays: 2 }, science, addressing), '还有 2 个工作日', '2 working days left'],
    ['escalation', dueNotice('escalation', { period: '2026-11', dueDate: '2026-12-10', workingDays: 3 }, science, addressing), '已逾期 3 个工作日', '3 working days late'],
  ])('%s: the due date and the working days', (kind, notice, zh, en) => {
    expect(notice.kind).toBe(kind);
    expect(notice.text).toContain(zh);
    expect(notice.text).toContain(en);
    expect(notice.text).toContain('2026-12-10');
  });

  it.each([
    [[], '各部门均已报送'],
    [[science], '未报送的部门：区科技局'],
  ])('the headline and who did not report (%j)', (notReported, line) => {
    const notice = monthlyReportNotice({ period: '2026-11', headline: { good: 5, behind: 2, targets: 7 }, notReported }, addressing);
    expect(notice.text).toContain('7 项正式目标中，5 项完成或按计划推进，2 项滞后');
    expect(notice.text).toContain(line);
    expect(notice.links).toEqual([{ label: '领导页面 Leaders page', url: 'https://portal.example/#/leaders/2026-11' }]);
  });

  it('writes the links after the text', () => {
    expect(withLinks('文 text', [{ label: 'L', url: 'https://x' }])).toBe('文 text\n\nL: https://x');
  });
});
