import { describe, expect, it } from 'vitest';
import type { DepartmentAccessView, MonthView } from '../../shared/portal/contract.js';
import { boardOf } from '../../portal/src/lib/board.js';

const science: DepartmentAccessView = { id: 'science', zh: '区科技局', en: 'Science & Technology Bureau', upload: false };
const education: DepartmentAccessView = { id: 'education', zh: '区教委', en: 'Education Commission', upload: false };

const month = (period: string, status: MonthView['status'], onTime: boolean | null, uploadedAt?: string): MonthView => ({
  period,
  due: `${period}-10`,
  status,
  onTime,
  latestUpload: uploadedAt ? { uploadId: 'u1', fileName: 'science.xlsx', uploadedAt, user: 'science-clerk', status: 'accepted' } : null,
  state: uploadedAt ? 'submitted' : 'not_received',
  returnedReason: null,
});

describe('boardOf', () => {
  it('gives each department a row of its months: reported or not, when, on time or late, in words', () => {
    const months = new Map([['science', [month('2026-01', 'accepted', true, '2026-02-03T02:00:00Z'), month('2026-02', 'corrected', false, '2026-03-20T09:30:00Z'), month('2026-03', 'not_received', false)]]]);
    const [row] = boardOf([science], months);
    expect(row?.department).toBe(science);
    expect(row?.cells?.map((cell) => [cell.period, cell.reported, cell.uploadedAt, cell.timeliness.en, cell.label.en])).toEqual([
      ['2026-01', true, '2026-02-03 10:00', 'on time', 'accepted'],
      ['2026-02', true, '2026-03-20 17:30', 'late', 'corrected'],
      ['2026-03', false, null, 'overdue (due 2026-03-10)', 'not received'],
    ]);
  });

  it('keeps the departments in the order given and marks one whose months could not be read', () => {
    const rows = boardOf([education, science], new Map([['science', [month('2026-01', 'processing', null)]]]));
    expect(rows.map((row) => [row.department.id, row.cells?.length ?? null])).toEqual([
      ['education', null],
      ['science', 1],
    ]);
  });
});
