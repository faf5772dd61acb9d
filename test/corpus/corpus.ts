import { TEMPLATE_CASES } from './cases.js';
import { PERIOD_CASES } from './cases-periods.js';
import type { CorpusCase } from './outcome.js';

/** The whole corpus: every case file's cases, each name once. */
export const CORPUS: CorpusCase[] = [...TEMPLATE_CASES, ...PERIOD_CASES];
