import { describe, expect, it } from 'vitest';
import type { SnapshotResponse } from '../../shared/portal/contract.js';
import { headline, STATUS_LABELS } from '../../shared/snapshot/report-model.js';
import { buildSnapshot } from '../../shared/snapshot/snapshot.js';
import { reportViewOf } from '../../portal/src/lib/report.js';
import { PERIOD, testInput } from '../fixtures.js';
import { monthReview } from './review-fixtures.js';

// Every month its heads signed off, so that the headline counts each target a department reported.
const months = new Set(testInput.observations.map((o) => `${o.department} ${o.period}`));
const snapshot = buildSnapshot({
  ...testInput,
  reviews: [...months].map((month) => month.split(' ')).map(([department = '', period = '']) => monthReview(department, period, 'approved')),
});
const response: SnapshotResponse = {
  period: snapshot.period,
  generatedAt: '2026-12-01T18:00:05Z',
  catalogVersion: snapshot.catalogVersion,
  publication: snapshot.publication,
  progress: snapshot.indicators,
  completeness: snapshot.departments,
  restatements: snapshot.restatements,
  files: [{ file: 'report.html', url: 'https://snapshots.example/report.html?sig=1' }],
};

describe('reportViewOf', () => {
  const view = reportViewOf(response);

  it('has the headline of report.html: targets achieved or on track, of those with a target', () => {
    const { good, targets, counts } = headline(snapshot);
    expect(view.headline.good).toBe(good);
    expect(view.headline.targets).toBe(targets);
    expect(view.headline.counts.map(({ status, count, label }) => [status, count, label.zh])).toEqual([...counts].map(([status, count]) => [status, count, STATUS_LABELS[status].zh]));
  });

  it('lists every indicator once, under its department, with its status in words', () => {
    expect(view.sections.map((s) => s.department.department)).toEqual(snapshot.departments.map((d) => d.department));
    const listed = view.sections.flatMap((s) => s.indicators.map((line) => [s.department.department, line.row.indicator, line.status.en]));
    expect(listed).toEqual(snapshot.indicators.map((row) => [row.department, row.indicator, STATUS_LABELS[row.status].en]));
  });

  it('keeps the progress meter on its track however far progress runs past it', () => {
    for (const line of view.sections.flatMap((s) => s.indicators)) {
      if (line.row.progress === null) expect(line.meter).toBeNull();
      else expect(line.meter).toBe(Math.min(1, Math.max(0, line.row.progress)));
    }
  });

  it('says of each department whether it reported this month and on time, and gives the snapshot files and time', () => {
    expect(view.completeness.map((line) => [line.department.department, line.reported.en, line.onTime.en])).toEqual(
      snapshot.departments.map((d) => [d.department, d.reported ? 'yes' : 'no', d.onTime === null ? '' : d.onTime ? 'yes' : 'no']),
    );
    expect(view.period).toBe(PERIOD);
    expect(view.generatedAt).toBe('2026-12-02 02:00');
    expect(view.files).toEqual(response.files);
  });

  it("marks each figure its department's head has not signed off, counts them, and lists the restatements", () => {
    const [first, second, ...rest] = response.progress;
    if (!first || !second) throw new Error('the fixture has fewer than two indicators');
    const restatement = {
      department: first.department,
      period: PERIOD,
      indicator: first.indicator,
      from: 1,
      to: 2,
      unit: first.unit,
      requestedAt: '2026-11-20T01:00:00Z',
      requestedBy: 'clerk',
      approvedAt: '2026-11-21T01:00:00Z',
      approvedBy: 'office',
      reason: 'typo',
      sourceKey: 'incoming/x.xlsx',
    };
    const signed = reportViewOf({
      ...response,
      progress: [{ ...first, signOff: 'provisional', explanation: null }, { ...second, signOff: 'official', explanation: '说明' }, ...rest],
      restatements: [restatement],
    });
    const lines = signed.sections.flatMap((s) => s.indicators);
    const carriedProvisional = rest.filter((row) => row.signOff === 'provisional').map((row) => row.indicator);
    expect(lines.filter((line) => line.provisional).map((line) => line.row.indicator)).toEqual([first.indicator, ...carriedProvisional]);
    expect(signed.provisional).toBe(1);
    expect(signed.restatements).toEqual([restatement]);
    expect(view.provisional).toBe(0);
    expect(view.restatements).toEqual([]);
  });
});
