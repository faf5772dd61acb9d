import { afterEach, describe, expect, it, vi } from 'vitest';
import { catalog as shippedCatalog } from '../../shared/catalog/catalog.js';
import { buildSnapshot, SCHEMA_VERSION, snapshotCsv, snapshotJson, type Snapshot } from '../../shared/snapshot/index.js';
import { PERIOD, testInput } from '../fixtures.js';

describe('buildSnapshot', () => {
  const snapshot = buildSnapshot(testInput);

  it('names the month, the catalog version and the schema', () => {
    expect(snapshot).toMatchObject({ schemaVersion: SCHEMA_VERSION, period: PERIOD, catalogVersion: 'test.1' });
  });

  it('has one row per catalog indicator, in catalog order, with its department, names, kind and unit', () => {
    expect(snapshot.indicators.map(({ indicator, department, zh, en, kind, unit }) => ({ indicator, department, zh, en, kind, unit }))).toEqual([
      { indicator: 'sci.platforms', department: 'science', zh: '新增平台', en: 'New platforms', kind: 'flow', unit: 'count' },
      { indicator: 'sci.rd_intensity', department: 'science', zh: '研发投入强度', en: 'R&D intensity', kind: 'ratio', unit: 'percent' },
      { indicator: 'sci.city_average', department: 'science', zh: '全市平均', en: 'City average', kind: 'ratio', unit: 'percent' },
      { indicator: 'edu.designation', department: 'education', zh: '创建', en: 'Designation', kind: 'milestone', unit: 'done' },
    ]);
  });

  it('works out each row from its own history up to the month and from its reference', () => {
    expect(snapshot.indicators.map(({ indicator, value, done, asOf, referenceValue, status }) => ({ indicator, value, done, asOf, referenceValue, status }))).toEqual([
      { indicator: 'sci.platforms', value: 7, done: null, asOf: '2026-11', referenceValue: null, status: 'on_track' },
      { indicator: 'sci.rd_intensity', value: 2.5, done: null, asOf: '2026-11', referenceValue: 2.4, status: 'achieved' },
      { indicator: 'sci.city_average', value: 2.4, done: null, asOf: '2026-11', referenceValue: null, status: 'no_target' },
      // A milestone's figure is `done`: `value` holds numbers only.
      { indicator: 'edu.designation', value: null, done: false, asOf: '2026-09', referenceValue: null, status: 'at_risk' },
    ]);
  });

  it("reports the departments in catalog order, one without the month's submission as not reported", () => {
    expect(snapshot.departments).toEqual([
      {
        department: 'science',
        zh: '区科技局',
        en: 'Science & Technology Bureau',
        reported: true,
        // No review of the month: it counts as submitted, as a month stored before sign-off does.
        reviewState: 'submitted',
        signOff: 'provisional',
        submittedAt: '2026-11-28T09:00:00.000Z',
        sourceKey: 'science/2026-11.xlsx',
        dueDate: '2026-12-10',
        onTime: true,
        monthsExpected: 11,
        monthsReceived: 1,
        monthsOnTime: 1,
        latestUploadAt: '2026-11-28T09:00:00.000Z',
        emptyIndicators: ['sci.platforms', 'sci.rd_intensity', 'sci.city_average'],
      },
      {
        department: 'education',
        zh: '区教委',
        en: 'Education Commission',
        reported: false,
        reviewState: null,
        signOff: null,
        submittedAt: null,
        sourceKey: null,
        dueDate: '2026-12-10',
        onTime: null,
        monthsExpected: 11,
        monthsReceived: 1,
        monthsOnTime: 1,
        latestUploadAt: '2026-10-28T09:00:00.000Z',
        emptyIndicators: [],
      },
    ]);
  });

  it('covers every indicator and department of the shipped catalog, with no_data when nothing was reported', () => {
    const empty = buildSnapshot({ catalog: shippedCatalog, period: PERIOD, observations: [], submissions: [] });
    expect(empty.indicators.map((row) => [row.indicator, row.status])).toEqual(shippedCatalog.indicators.map((i) => [i.id, 'no_data']));
    expect(empty.departments.map((d) => [d.department, d.reported])).toEqual(shippedCatalog.departments.map((d) => [d.id, false]));
  });
});

describe('snapshotJson', () => {
  const snapshot = buildSnapshot(testInput);
  const json = snapshotJson(snapshot);

  it('is indented by two spaces and ends with a newline', () => {
    expect(json.startsWith(`{\n  "schemaVersion": ${SCHEMA_VERSION},\n  "period": "2026-11",\n`)).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('parses back to the snapshot', () => {
    expect(JSON.parse(json)).toEqual(snapshot);
  });

  it('writes the keys in the documented order', () => {
    const parsed = JSON.parse(json) as Snapshot;
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'period', 'catalogVersion', 'publication', 'indicators', 'departments', 'restatements']);
    expect(Object.keys(parsed.indicators[0] ?? {})).toEqual([
      'indicator', 'department', 'zh', 'en', 'kind', 'unit', 'value', 'done', 'asOf', 'status', 'progress', 'expected',
      'runRate3m', 'runRate12m', 'requiredRunRate', 'projectedValue',
      'targetType', 'comparison', 'targetValue', 'reference', 'referenceValue', 'baselineValue', 'baselineDate', 'baselineAssumed', 'deadline',
      'revisionEffective', 'revisionReason', 'revisionDecidedBy', 'originalComparison', 'originalTargetValue', 'originalDeadline',
      'originalProgress', 'originalExpected', 'originalStatus', 'note',
      'signOff', 'explanation',
    ]);
    expect(Object.keys(parsed.departments[0] ?? {})).toEqual([
      // signOff is shared with the indicators, whose order places it: the one JSON key order serves every object.
      'department', 'zh', 'en', 'signOff', 'reported', 'reviewState', 'submittedAt', 'sourceKey', 'dueDate', 'onTime',
      'monthsExpected', 'monthsReceived', 'monthsOnTime', 'latestUploadAt', 'emptyIndicators',
    ]);
  });

  it('keeps that order whatever order the rows were built in', () => {
    const reversed = <T extends object>(row: T): T => Object.fromEntries(Object.entries(row).reverse()) as T;
    const rebuilt: Snapshot = {
      ...reversed(snapshot),
      indicators: snapshot.indicators.map(reversed),
      departments: snapshot.departments.map(reversed),
    };
    expect(snapshotJson(rebuilt)).toBe(json);
  });
});

describe('a snapshot is reproducible', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const render = () => {
    const snapshot = buildSnapshot(testInput);
    return { json: snapshotJson(snapshot), csv: snapshotCsv(snapshot) };
  };

  it('renders identical JSON and CSV when built twice from the same data', () => {
    expect(render()).toEqual(render());
  });

  it('renders identical files whatever the clock says', () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T02:00:00+08:00') });
    const first = render();
    vi.setSystemTime(new Date('2031-06-15T12:34:56Z'));
    expect(render()).toEqual(first);
  });
});
