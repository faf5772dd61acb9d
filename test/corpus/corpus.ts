import { TEMPLATE_CASES } from './cases.js';
import { LAYOUT_CASES } from './cases-layouts.js';
import type { CorpusCase } from './outcome.js';

/** The whole corpus: every case file's cases, each name once. */
export const CORPUS: CorpusCase[] = [...TEMPLATE_CASES, ...LAYOUT_CASES];
