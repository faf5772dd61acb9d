import type { Finding, Problem, Severity } from '../problem.js';

/**
 * How many problems of one code a report lists. A sheet of 100,000 mistyped rows would otherwise give a report,
 * an annotated copy and a memory footprint as large as the sheet; past this many, the rest of the code are counted
 * and said in one summary problem. The clerk fixes what is listed and sees the rest on the next upload.
 */
export const LISTED_PER_CODE = 100;

/** Counts problems per code as rows are read, so that one past the listing is counted instead of kept. */
export class ProblemTally {
  /** Problems found so far, per code: a counter each, so that counting one more is a single look-up. */
  private readonly found = new Map<string, { count: number }>();

  /** Whether a problem of this code found now may be listed; if not, it is counted as unlisted. */
  keeps(code: string): boolean {
    let found = this.found.get(code);
    if (!found) {
      found = { count: 0 };
      this.found.set(code, found);
    }
    found.count += 1;
    return found.count <= LISTED_PER_CODE;
  }

  /** Problems counted and not kept, per code. */
  unlisted(): Map<string, number> {
    const past = [...this.found].filter(([, found]) => found.count > LISTED_PER_CODE);
    return new Map(past.map(([code, found]) => [code, found.count - LISTED_PER_CODE]));
  }
}

function summary(code: string, n: number): Problem {
  return {
    sheet: null,
    cell: null,
    code,
    message: `另有 ${n} 处同类问题（${code}）未逐一列出，请按以上所列改正全部同类单元格后重新上传 / ${n} more problems like these (${code}) are not listed one by one; correct every cell of this kind as shown above and upload again`,
  };
}

/**
 * The first LISTED_PER_CODE findings of each code, in order, then one summary per code with more: those left out
 * here and those a tally left out while reading (each came after LISTED_PER_CODE of its code, so none is missed).
 */
export function listFindings(findings: readonly Finding[], unlisted: ReadonlyMap<string, number>, severityOf: (code: string) => Severity): Finding[] {
  const tally = new ProblemTally();
  const kept = findings.filter((finding) => tally.keeps(finding.code));
  const more = sumCounts(unlisted, tally.unlisted());
  return [...kept, ...[...more].map(([code, count]) => ({ ...summary(code, count), severity: severityOf(code) }))];
}

/** Counts per code, added up. */
export function sumCounts(...counts: readonly ReadonlyMap<string, number>[]): Map<string, number> {
  const sum = new Map<string, number>();
  for (const [code, count] of counts.flatMap((each) => [...each])) sum.set(code, (sum.get(code) ?? 0) + count);
  return sum;
}
