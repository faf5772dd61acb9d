import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { unitFactor } from '../../shared/workbook/value.js';

/**
 * Every indicator of the shipped catalog with the unit words an official statistical form writes for it (accepted
 * as the canonical unit), the units converted to it with their factor, and words that would change the figure's
 * meaning (refused).
 */
const PERCENT = ['%', '％', '百分比', '百分点'];
const NOT_A_PERCENT = ['‰', '个', '人'];
const PERSONS = ['人', '名'];
/** 人次 counts attendances, not people: a person trained twice is 2 人次 but 1 人. */
const NOT_PERSONS = ['人次', '个', '件'];

const UNIT_WORDS: Record<string, { accepted: string[]; converted?: Record<string, number>; refused: string[] }> = {
  'sci.rd_intensity': { accepted: PERCENT, refused: NOT_A_PERCENT },
  'sci.rd_intensity_city_avg': { accepted: PERCENT, refused: NOT_A_PERCENT },
  'sci.national_incubators': { accepted: ['个', '家'], refused: ['件', '人'] },
  'sci.new_innovation_platforms': { accepted: ['个', '家', '项'], refused: ['件', '人'] },
  'sci.bayu_craftsmen': { accepted: PERSONS, refused: NOT_PERSONS },
  'sci.st_commissioners': { accepted: PERSONS, refused: NOT_PERSONS },
  'sci.tech_managers': { accepted: PERSONS, refused: NOT_PERSONS },
  'sci.patents_per_100m_revenue': { accepted: ['件', '件/亿元', '件/亿元营业收入', '件每亿元'], refused: ['件/万人', '个', '项', '万元'] },
  'sci.patents_per_10k_residents': { accepted: ['件', '件/万人', '件/万人口', '件每万人'], refused: ['件/亿元', '人', '个'] },
  'sci.tech_contract_turnover': { accepted: ['亿元', '亿'], converted: { 万元: 0.0001, 元: 1e-8 }, refused: ['千元', '万美元', '件', '个'] },
  'sci.incentive_app_rollout': { accepted: ['是/否', '完成情况'], refused: ['个', '%'] },
  'edu.group_schooling_coverage': { accepted: PERCENT, refused: NOT_A_PERCENT },
  'edu.quality_community_share': { accepted: PERCENT, refused: NOT_A_PERCENT },
  'edu.traditional_feature_schools': { accepted: ['所', '个'], refused: ['人', '件'] },
  'edu.national_designations': { accepted: ['是/否', '完成情况'], refused: ['个', '%'] },
  'voc.haitang_enrolment': { accepted: ['人', '名', '学生'], refused: ['人次', '个'] },
  'voc.hitech_enrolment': { accepted: ['人', '名', '学生'], refused: ['人次', '个'] },
  /** 门 counts courses, not majors. */
  'voc.majors': { accepted: ['个'], refused: ['门', '人'] },
  'voc.industry_colleges': { accepted: ['个', '所', '家'], refused: ['人', '件'] },
  'voc.certificate_share': { accepted: PERCENT, refused: [...NOT_A_PERCENT, '人次'] },
};

function factorFor(id: string, word: string): number | undefined {
  const indicator = catalog.indicator(id);
  if (!indicator) throw new Error(`no indicator ${id}`);
  return unitFactor(catalog.unit(indicator.unit), word);
}

describe('the unit words each catalog indicator accepts', () => {
  it('lists every indicator of the catalog', () => {
    expect(Object.keys(UNIT_WORDS)).toEqual(catalog.indicators.map((indicator) => indicator.id));
  });

  const rows = Object.entries(UNIT_WORDS);

  it.each(rows.flatMap(([id, { accepted }]) => accepted.map((word) => [id, word] as const)))('%s reported in %s is taken as it is', (id, word) => {
    expect(factorFor(id, word)).toBe(1);
  });

  it.each(rows.flatMap(([id, { converted = {} }]) => Object.entries(converted).map(([word, factor]) => [id, word, factor] as const)))(
    '%s reported in %s is converted by %d',
    (id, word, factor) => {
      expect(factorFor(id, word)).toBe(factor);
    },
  );

  it.each(rows.flatMap(([id, { refused }]) => refused.map((word) => [id, word] as const)))('%s reported in %s is refused', (id, word) => {
    expect(factorFor(id, word)).toBeUndefined();
  });
});
