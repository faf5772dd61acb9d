import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestCommand } from '../../cli/commands/ingest.js';
import { jsonText, terminalText } from '../../cli/print.js';

/** Any character a terminal would act on: what must never reach it from a file. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminalText', () => {
  it.each([
    { case: 'plain Chinese and English', text: '填报 Data!E12 巴渝工匠', shown: '填报 Data!E12 巴渝工匠' },
    { case: 'an escape sequence that clears the screen', text: 'a\u001b[2Jb', shown: 'a\\x1b[2Jb' },
    { case: 'a window title set by OSC, ended by BEL', text: '\u001b]0;owned\u0007', shown: '\\x1b]0;owned\\x07' },
    { case: 'NUL, backspace and DEL', text: 'x\u0000\u0008\u007f', shown: 'x\\x00\\x08\\x7f' },
    { case: 'newline, carriage return and tab inside a field', text: 'A\nACCEPTED\r\tB', shown: 'A\\nACCEPTED\\r\\tB' },
    { case: 'the one-byte CSI of C1 and the C1 range ends', text: '\u009b31m\u0080\u009f', shown: '\\x9b31m\\x80\\x9f' },
    { case: 'a right-to-left override', text: 'report\u202Excod.xlsx', shown: 'report\\u202excod.xlsx' },
    { case: 'every bidi embedding, override and isolate', text: '\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069', shown: '\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069' },
    { case: 'characters next to the ranges, kept', text: ' ~\u00a0\u2029\u206a', shown: ' ~\u00a0\u2029\u206a' },
    { case: 'a backslash, kept as it is', text: 'C:\\x1b', shown: 'C:\\x1b' },
  ])('shows $case as printable text', ({ text, shown }) => {
    expect(terminalText(text)).toBe(shown);
  });

  it('gives text it already escaped back unchanged', () => {
    const once = terminalText('\u001b[31m\u202e\n');
    expect(terminalText(once)).toBe(once);
  });
});

describe('jsonText', () => {
  const hostile = { sheet: 'S\u001b[2J', message: 'm\u009b1m\u202e\u2066\u007f\n', plain: '填报 Data' };

  it('parses back to exactly the value given', () => {
    expect(JSON.parse(jsonText(hostile))).toEqual(hostile);
  });

  it('holds no raw terminal control, only their \\u escapes', () => {
    const text = jsonText(hostile);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('\\u009b');
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\u007f');
  });
});

describe('ingest --dry-run printing a file full of terminal controls', () => {
  let directory: string;
  let file: string;
  const cellText = 'twelve\u001b[2J\u001b]0;owned\u0007\u202e';

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'cli-print-'));
    // A CSV's one sheet is named after the file, so the name's controls reach the sheet name too.
    file = join(directory, 'science-2026-11\u001b[31m\u202e.csv');
    writeFileSync(file, ['指标,单位,数值,填报月份', `巴渝工匠,人,${cellText},2026-11`].join('\n'));
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());

  async function printed(json: boolean): Promise<{ status: number; text: string }> {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line));
    const status = await ingestCommand({
      positionals: ['ingest', file],
      values: { department: 'science', 'dry-run': true, json, data: join(directory, 'data'), help: false },
    });
    return { status, text: lines.join('\n') };
  }

  it('prints the file name, sheet and cell text escaped, one line per problem', async () => {
    const { status, text } = await printed(false);

    expect(status).toBe(2);
    expect(text).not.toMatch(RAW_CONTROL);
    const [heading, ...problems] = text.split('\n');
    expect(heading).toContain('science-2026-11\\x1b[31m\\u202e.csv');
    const error = problems.find((line) => line.startsWith('  error  '));
    expect(error).toContain('science-2026-11\\x1b[31m\\u202e!C2  value.not_a_number');
    expect(error).toContain('twelve\\x1b[2J\\x1b]0;owned\\x07\\u202e');
  });

  it('prints --json that parses back to the cell text exactly', async () => {
    const { status, text } = await printed(true);

    expect(status).toBe(2);
    expect(text).not.toMatch(RAW_CONTROL);
    const result = JSON.parse(text) as { errors: { sheet: string; message: string }[] };
    expect(result.errors[0]?.sheet).toBe('science-2026-11\u001b[31m\u202e');
    expect(result.errors[0]?.message).toContain(cellText);
  });
});
