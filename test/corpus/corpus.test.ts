import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/catalog.js';
import { WorkbookFormatError, type Problem } from '../../shared/problem.js';
import { readWorkbook } from '../../shared/workbook/read.js';
import { readSubmission } from '../../shared/workbook/submission.js';
import { CORPUS } from './corpus.js';
import { COVERS, CURRENT_PERIOD, type CorpusCase, type ExpectedOutcome, type Located } from './outcome.js';

function located({ code, sheet, cell }: Problem): Located {
  return { code, sheet, cell };
}

/** What reading and parsing make of a corpus file, in the shape of its expected outcome. */
async function outcomeOf(corpusCase: CorpusCase): Promise<ExpectedOutcome> {
  const { department, fileName } = corpusCase;
  let parsed;
  try {
    parsed = await readSubmission({
      sheets: readWorkbook(await corpusCase.bytes(), {}, { fileName }),
      catalog: corpusCase.catalog ?? catalog,
      department,
      fileName,
      currentPeriod: CURRENT_PERIOD,
      ...(corpusCase.previous ? { previous: corpusCase.previous } : {}),
    });
  } catch (error) {
    if (!(error instanceof WorkbookFormatError)) throw error;
    return { status: 'rejected', period: null, figures: [], errors: [{ code: error.code, sheet: null, cell: null }], warnings: [] };
  }
  return {
    status: parsed.errors.length === 0 ? 'accepted' : 'rejected',
    period: parsed.period,
    figures: parsed.figures,
    errors: parsed.errors.map(located),
    warnings: parsed.warnings.filter((warning) => warning.code !== 'indicator.not_listed').map(located),
  };
}

describe('the corpus of clerks’ workbooks', () => {
  it('has at least 30 workbooks, covering every part of reading a file', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CORPUS.map((corpusCase) => corpusCase.covers))).toEqual(new Set(COVERS));
    expect(new Set(CORPUS.map((corpusCase) => corpusCase.name)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s', async (_name, corpusCase) => {
    const outcome = await outcomeOf(corpusCase);

    expect(outcome.status).toBe(corpusCase.expected.status);
    expect(outcome.period).toBe(corpusCase.expected.period);
    expect(outcome.figures).toEqual(corpusCase.expected.figures);
    expect(outcome.errors).toEqual(corpusCase.expected.errors);
    expect(outcome.warnings).toEqual(corpusCase.expected.warnings);
  });
});
