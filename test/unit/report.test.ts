import { describe, expect, it } from 'vitest';
import { catalog, loadCatalog } from '../../shared/catalog/catalog.js';
import { buildReport, buildSnapshot, reportHtml } from '../../shared/snapshot/index.js';
import { sparkline } from '../../shared/snapshot/report-html.js';
import { observation, PERIOD, REVISED_PLATFORMS_TARGET, revisedTestInput, testInput, yearOfFigures } from '../fixtures.js';

describe('buildReport', () => {
  it('is the month snapshot plus a 12-month trend of each numeric level', () => {
    const report = buildReport(testInput);
    expect(report.snapshot).toEqual(buildSnapshot(testInput));
    expect(report.trendMonths).toEqual(['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(report.trends.get('sci.platforms')).toEqual([null, null, null, null, null, null, null, null, null, null, 3, 7]);
    expect(report.trends.get('edu.designation')).toEqual(Array(12).fill(null));
  });
});

describe('sparkline', () => {
  it.each([
    { case: 'no figure at all', points: [null, null], svg: '–' },
    { case: 'a rising line', points: [1, 2, 3], polylines: ['0.0,22.0 60.0,12.0 120.0,2.0'], circles: 0 },
    { case: 'a flat line', points: [5, 5], polylines: ['0.0,22.0 120.0,22.0'], circles: 0 },
    { case: 'a gap', points: [1, null, 3, 3], polylines: ['80.0,2.0 120.0,2.0'], circles: 1 },
  ])('draws $case', ({ points, svg, polylines, circles }) => {
    const drawn = sparkline(points);
    if (svg !== undefined) return expect(drawn).toBe(svg);
    expect([...drawn.matchAll(/points="([^"]+)"/g)].map((m) => m[1])).toEqual(polylines);
    expect(drawn.match(/<circle/g)?.length ?? 0).toBe(circles);
  });
});

describe('reportHtml', () => {
  const html = reportHtml(buildReport({ catalog, period: PERIOD, observations: yearOfFigures(catalog, PERIOD), submissions: [] }));

  it('is one self-contained file: no script, no stylesheet link, no image or font to fetch', () => {
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\//i);
  });

  it('has a row and a status for every catalog indicator', () => {
    for (const indicator of catalog.indicators) expect(html).toContain(`<tr data-indicator="${indicator.id}" data-status="`);
  });

  it('escapes catalog text', () => {
    const hostile = loadCatalog({
      version: '<b>1</b>',
      units: [{ id: 'count', zh: '个', en: 'count', value: 'integer', labels: ['个'] }],
      departments: [{ id: 'science', zh: '<script>x</script>', en: 'S & T' }],
      indicators: [{ id: 'sci.hostile', department: 'science', zh: '"><img src=x>', en: "it's", unit: 'count', kind: 'stock' }],
    });
    const page = reportHtml(buildReport({ catalog: hostile, period: PERIOD, observations: [observation('sci.hostile', PERIOD, 1)], submissions: [] }));
    expect(page).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x&gt;');
    expect(page).toContain('S &amp; T');
    expect(page).not.toMatch(/<script|<img/);
  });

  it('is the same text whenever it is rendered from the same data', () => {
    expect(reportHtml(buildReport({ catalog, period: PERIOD, observations: yearOfFigures(catalog, PERIOD), submissions: [] }))).toBe(html);
  });
});

describe("the clerk's note in report.html", () => {
  it('stands under its indicator as 进展说明, escaped', () => {
    const noted = { ...observation('sci.platforms', PERIOD, 7), note: '两家平台 <待认定> & 下月复核' };
    const input = { ...testInput, observations: [...testInput.observations.filter((o) => !(o.indicator === 'sci.platforms' && o.period === PERIOD)), noted] };
    const html = reportHtml(buildReport(input));
    const row = html.slice(html.indexOf('data-indicator="sci.platforms"'), html.indexOf('</tr>', html.indexOf('data-indicator="sci.platforms"')));
    expect(row).toContain('进展说明 <span class="en">Progress note</span>：两家平台 &lt;待认定&gt; &amp; 下月复核');
    expect(reportHtml(buildReport(testInput))).not.toContain('进展说明');
  });
});

describe('a revised target in report.html', () => {
  it('shows the target in force with its revision, then the original and the status against it', () => {
    const html = reportHtml(buildReport(revisedTestInput));
    const row = html.slice(html.indexOf('data-indicator="sci.platforms"'), html.indexOf('</tr>', html.indexOf('data-indicator="sci.platforms"')));
    expect(row).toContain(`<td data-label="目标 Target">${REVISED_PLATFORMS_TARGET}</td>`);
    expect(reportHtml(buildReport(testInput))).not.toContain('现行 in force');
  });
});
