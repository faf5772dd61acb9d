import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPLETENESS_COLUMNS, PROGRESS_COLUMNS, RESTATEMENT_COLUMNS, SCHEMA_VERSION, type Column } from '../../shared/snapshot/index.js';

const doc = readFileSync(new URL('../../docs/snapshot-schema.md', import.meta.url), 'utf8');

/** The `| column | type | … | meaning |` rows of one section of the page. */
function documentedColumns(heading: string): { name: string; type: string; meaning: string }[] {
  const section = doc.split(/^## /m).find((s) => s.startsWith(heading)) ?? '';
  return [...section.matchAll(/^\| `([a-z_0-9]+)` \| ([a-z]+) \| [^|]+ \| [^|]+ \| (.+) \|$/gm)].map(([, name = '', type = '', meaning = '']) => ({ name, type, meaning }));
}

const inCode = (columns: readonly Column<never>[]) => columns.map(({ name, type, description }) => ({ name, type, meaning: description }));

describe('docs/snapshot-schema.md', () => {
  it('names the current schema version', () => {
    expect(doc).toContain(`**Current version: ${SCHEMA_VERSION}.**`);
    expect(doc).toMatch(new RegExp(`^- \\*\\*${SCHEMA_VERSION}\\*\\* —`, 'm'));
  });

  it.each([
    { heading: 'progress', columns: PROGRESS_COLUMNS as readonly Column<never>[] },
    { heading: 'completeness', columns: COMPLETENESS_COLUMNS as readonly Column<never>[] },
    { heading: 'restatements', columns: RESTATEMENT_COLUMNS as readonly Column<never>[] },
  ])('documents every $heading column, in order, with its type and meaning', ({ heading, columns }) => {
    expect(documentedColumns(heading)).toEqual(inCode(columns));
  });
});
