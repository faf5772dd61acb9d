import { TEMPLATE_CASES } from './cases.js';
import { FORMATS_CASES } from './cases-formats.js';
import { LAYOUT_CASES } from './cases-layouts.js';
import { PERIOD_CASES } from './cases-periods.js';
import { WRITER_CASES } from './cases-writers.js';
import type { CorpusCase } from './outcome.js';

/** The whole corpus: every case file's cases, each name once. */
export const CORPUS: CorpusCase[] = [...TEMPLATE_CASES, ...WRITER_CASES, ...FORMATS_CASES, ...PERIOD_CASES, ...LAYOUT_CASES];
