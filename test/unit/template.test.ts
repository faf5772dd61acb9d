import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { catalog, type Indicator } from '../../shared/catalog/catalog.js';
import { UnknownDepartmentError } from '../../shared/workbook/department.js';
import { readWorkbook } from '../../shared/workbook/read.js';
import { readSubmission, type ParsedSubmission } from '../../shared/workbook/submission.js';
import { buildTemplate, lastReported, REASON_PROMPT, TEMPLATE, templateFileName, type TemplateOptions } from '../../shared/workbook/template.js';
import { observation } from '../fixtures.js';

const PERIOD = '2026-11';

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

function dataSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet {
  const sheet = workbook.getWorksheet(TEMPLATE.dataSheet);
  if (!sheet) throw new Error(`no sheet ${TEMPLATE.dataSheet}`);
  return sheet;
}

function rowOf(sheet: ExcelJS.Worksheet, indicator: string): ExcelJS.Row {
  const index = catalogRows(sheet).indexOf(indicator);
  if (index === -1) throw new Error(`no row for ${indicator}`);
  return sheet.getRow(TEMPLATE.rows.firstIndicator + index);
}

function catalogRows(sheet: ExcelJS.Worksheet): string[] {
  const ids: string[] = [];
  for (let row = TEMPLATE.rows.firstIndicator; sheet.getRow(row).getCell(TEMPLATE.columns.id).value !== null; row += 1) {
    ids.push(String(sheet.getRow(row).getCell(TEMPLATE.columns.id).value));
  }
  return ids;
}

/** Opens the template as a clerk would, changes cells of indicator rows, and saves it. */
async function fillIn(
  department: string,
  edits: Record<string, { value: ExcelJS.CellValue; numFmt?: string; unit?: string; note?: string }>,
  options: TemplateOptions = {},
): Promise<Uint8Array> {
  const workbook = await load(await buildTemplate(catalog, department, PERIOD, options));
  const sheet = dataSheet(workbook);
  for (const [indicator, edit] of Object.entries(edits)) {
    const row = rowOf(sheet, indicator);
    const cell = row.getCell(TEMPLATE.columns.value);
    cell.value = edit.value;
    if (edit.numFmt) cell.numFmt = edit.numFmt;
    if (edit.unit) row.getCell(TEMPLATE.columns.unit).value = edit.unit;
    if (edit.note) row.getCell(TEMPLATE.columns.note).value = edit.note;
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function parsed(bytes: Uint8Array, department: string): Promise<ParsedSubmission> {
  return readSubmission({
    sheets: readWorkbook(bytes),
    catalog,
    department,
    fileName: templateFileName(department, PERIOD),
    currentPeriod: '2026-12',
  });
}

/** A value a clerk may type for each kind of unit, and what it means in the canonical unit. */
function sample(indicator: Indicator, index: number): { typed: ExcelJS.CellValue; canonical: number | boolean } {
  switch (catalog.unit(indicator.unit).value) {
    case 'integer':
      return { typed: 10 + index, canonical: 10 + index };
    case 'decimal':
      return { typed: index + 0.5, canonical: index + 0.5 };
    case 'percent':
      return { typed: 90 + index / 10, canonical: 90 + index / 10 };
    case 'boolean':
      return index % 2 === 0 ? { typed: '是', canonical: true } : { typed: '否', canonical: false };
  }
}

describe('buildTemplate', () => {
  it('lays out the data sheet: title, department, period, header, one row per indicator in catalog order', async () => {
    const workbook = await load(await buildTemplate(catalog, 'science', PERIOD));
    const sheet = dataSheet(workbook);

    expect(workbook.worksheets.map((s) => [s.name, s.state])).toEqual([
      ['填报 Data', 'visible'],
      ['说明 Instructions', 'visible'],
      ['选项 Lists', 'hidden'],
    ]);
    expect(sheet.getCell('A1').value).toEqual({
      formula:
        '"区科技局 "&IF(ISNUMBER(B3),TEXT(B3,"yyyy-mm"),B3)&" 指标填报表 / Science & Technology Bureau monthly indicators, "&IF(ISNUMBER(B3),TEXT(B3,"yyyy-mm"),B3)',
      result: '区科技局 2026-11 指标填报表 / Science & Technology Bureau monthly indicators, 2026-11',
    });
    expect(sheet.getCell('G1').isMerged).toBe(true);
    expect(sheet.getCell('G1').master.address).toBe('A1');
    expect(['A2', 'B2', 'C2'].map((address) => sheet.getCell(address).value)).toEqual([
      '填报单位 Department',
      'science',
      '区科技局 / Science & Technology Bureau',
    ]);
    expect(sheet.getCell('G2').master.address).toBe('C2');
    expect(sheet.getRow(3).values).toEqual([undefined, '填报月份 Period', '2026-11']);
    expect(sheet.getRow(5).values).toEqual([
      undefined,
      '指标编号 Indicator ID',
      '指标名称 Indicator (中文)',
      'Indicator (English)',
      '单位 Unit',
      '数值 Value',
      '备注 Note',
      '上次填报（仅供参考）Last reported (for reference)',
    ]);
    expect(catalogRows(sheet)).toEqual(catalog.indicatorsOf('science').map((indicator) => indicator.id));
    expect(sheet.getRow(6).values).toEqual([undefined, 'sci.rd_intensity', '整体研发投入强度', 'District R&D spending intensity (R&D / GDP)', '%']);
  });

  it('leaves every value cell empty, marks milestones 是/否 and lets Excel check what is typed', async () => {
    const sheet = dataSheet(await load(await buildTemplate(catalog, 'science', PERIOD)));
    const milestone = rowOf(sheet, 'sci.incentive_app_rollout');
    const persons = rowOf(sheet, 'sci.bayu_craftsmen');

    expect(catalogRows(sheet).map((id) => rowOf(sheet, id).getCell(TEMPLATE.columns.value).value)).toEqual(
      catalogRows(sheet).map(() => null),
    );
    expect(milestone.getCell(TEMPLATE.columns.unit).value).toBe('是/否');
    expect(milestone.getCell(TEMPLATE.columns.value).dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    expect(persons.getCell(TEMPLATE.columns.value).dataValidation).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual' });
    expect(sheet.columns.map((column) => column.width)).toEqual([30, 44, 52, 18, 16, 36, 30]);
  });

  it('offers dropdowns: the department\'s indicator ids from the hidden lists sheet, and each unit with the units it converts from', async () => {
    const workbook = await load(await buildTemplate(catalog, 'science', PERIOD));
    const sheet = dataSheet(workbook);
    const turnover = rowOf(sheet, 'sci.tech_contract_turnover');
    const lists = workbook.getWorksheet(TEMPLATE.listsSheet);

    expect(turnover.getCell(TEMPLATE.columns.unit).dataValidation).toMatchObject({ type: 'list', formulae: ['"亿元,万元,元"'], showErrorMessage: true });
    expect(rowOf(sheet, 'sci.bayu_craftsmen').getCell(TEMPLATE.columns.unit).dataValidation).toMatchObject({ type: 'list', formulae: ['"人"'] });
    const ids = catalog.indicatorsOf('science').map((indicator) => indicator.id);
    expect(turnover.getCell(TEMPLATE.columns.id).dataValidation).toMatchObject({ type: 'list', formulae: [`'选项 Lists'!$A$1:$A$${ids.length}`] });
    expect(ids.map((_, i) => lists?.getCell(i + 1, 1).value)).toEqual(ids);
  });

  it('protects the sheet without a password, leaving only the period, unit, value and note cells open', async () => {
    const sheet = dataSheet(await load(await buildTemplate(catalog, 'education', PERIOD)));
    const row = TEMPLATE.rows.firstIndicator;
    const locked = (address: string) => sheet.getCell(address).protection?.locked !== false;
    // The typings leave out what protect() sets.
    const { sheetProtection } = sheet as unknown as { sheetProtection: Record<string, unknown> };

    expect(sheetProtection).toMatchObject({ sheet: true, formatColumns: true, formatRows: true });
    expect(sheetProtection).not.toHaveProperty('hashValue');
    expect(['B3', `D${row}`, `E${row}`, `F${row}`].map(locked)).toEqual([false, false, false, false]);
    expect(['A1', 'B2', 'A5', 'E5', `A${row}`, `B${row}`, `C${row}`, `G${row}`].map(locked)).toEqual(Array(8).fill(true));
  });

  it('shows each indicator\'s latest figure up to the month, with its month, for reference only', async () => {
    const previous = [
      observation('edu.group_schooling_coverage', '2026-09', 80, 'education'),
      observation('edu.group_schooling_coverage', '2026-10', 81.5, 'education'),
      observation('edu.national_designations', '2026-11', true, 'education'),
      // Later than the month, and another department's: neither is shown.
      observation('edu.quality_community_share', '2026-12', 90, 'education'),
      observation('edu.traditional_feature_schools', '2026-10', 50, 'science'),
    ];
    const sheet = dataSheet(await load(await buildTemplate(catalog, 'education', PERIOD, { previous })));
    const shown = (id: string) => rowOf(sheet, id).getCell(TEMPLATE.columns.lastReported).value;

    expect(catalog.indicatorsOf('education').map((indicator) => [indicator.id, shown(indicator.id)])).toEqual([
      ['edu.group_schooling_coverage', '81.5（2026-10）'],
      ['edu.quality_community_share', null],
      ['edu.traditional_feature_schools', null],
      ['edu.national_designations', '是（2026-11）'],
    ]);
    expect(rowOf(sheet, 'edu.group_schooling_coverage').getCell(TEMPLATE.columns.value).value).toBeNull();
  });

  it('explains in Chinese and English how to fill in, where to upload, where the verdict appears and that a re-upload replaces the month', async () => {
    const workbook = await load(await buildTemplate(catalog, 'science', PERIOD));
    const lines: string[] = [];
    workbook.getWorksheet(TEMPLATE.instructionsSheet)?.eachRow((row) => lines.push(String(row.getCell(1).value)));
    const text = lines.join('\n');

    expect(lines[0]).toBe('填报说明 / How to fill in this workbook');
    expect(text).toContain('上传到 incoming/science/ 文件夹');
    expect(text).toContain('结果写在 reports/science/ 文件夹');
    expect(text).toContain("Upload the file on the portal's page");
    expect(text).toContain('put it in the folder incoming/science/ (named like science-2026-11.xlsx), and read the verdict in reports/science/');
    expect(text).toContain('92.5% 填 92.5');
    expect(text).toContain('in percentage points');
    expect(text).toContain('如按万元或元填写');
    expect(text).toContain('已完成填“是”');
    expect(text).toContain('不要修改指标编号');
    expect(text).toContain("it replaces that month's figures");
    expect(text).toContain('for reference only; it is not read');
    expect(text).toContain('no password: Review → Unprotect Sheet lifts it');
  });

  it('throws for a department the catalog does not have, naming it', async () => {
    await expect(buildTemplate(catalog, 'library', PERIOD)).rejects.toThrow(UnknownDepartmentError);
    await expect(buildTemplate(catalog, 'library', PERIOD)).rejects.toThrow('Unknown department "library"');
  });

  it.each([
    ['the latest month wins', [['a', '2026-09', 1], ['a', '2026-10', 2]], { a: 2 }],
    ['the month itself counts (a correction)', [['a', '2026-11', 3], ['a', '2026-10', 2]], { a: 3 }],
    ['later months are left out', [['a', '2026-12', 4]], {}],
    ['each indicator on its own', [['a', '2026-08', 1], ['b', '2026-10', 5]], { a: 1, b: 5 }],
  ] as const)('lastReported: %s', (_case, figures, expected) => {
    const latest = lastReported(figures.map(([id, period, value]) => observation(id, period, value)), PERIOD);
    expect(Object.fromEntries([...latest].map(([id, o]) => [id, o.value]))).toEqual(expected);
  });

  it('names the file so that its period can be read back from the name', () => {
    expect(templateFileName('science', PERIOD)).toBe('science-2026-11.xlsx');
  });
});

describe('a filled-in template, read back', () => {
  it.each(catalog.departments.map((department) => department.id))('gives exactly the typed figures for %s', async (department) => {
    const indicators = catalog.indicatorsOf(department);
    const samples = indicators.map(sample);
    const bytes = await fillIn(department, Object.fromEntries(indicators.map((indicator, i) => [indicator.id, { value: samples[i]?.typed ?? null }])));

    const result = await parsed(bytes, department);

    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.period).toBe(PERIOD);
    expect(result.figures).toEqual(
      indicators.map((indicator, i) => ({
        indicator: indicator.id,
        period: PERIOD,
        value: samples[i]?.canonical,
        unit: indicator.unit,
        sheet: '填报 Data',
        cell: `E${TEMPLATE.rows.firstIndicator + i}`,
      })),
    );
  });

  it('never reads the last reported figures shown for reference as figures of the month', async () => {
    const previous = [observation('sci.bayu_craftsmen', '2026-10', 30), observation('sci.tech_contract_turnover', '2026-10', 1.25)];
    const bytes = await fillIn('science', { 'sci.st_commissioners': { value: 25 } }, { previous });

    const { figures, errors, period } = await parsed(bytes, 'science');

    expect(errors).toEqual([]);
    expect(period).toBe(PERIOD);
    expect(figures.map(({ indicator, period, value }) => ({ indicator, period, value }))).toEqual([
      { indicator: 'sci.st_commissioners', period: PERIOD, value: 25 },
    ]);
  });

  it('reads a percent-formatted cell, money in 万元 and typed text the way the clerk meant them', async () => {
    const bytes = await fillIn('science', {
      'sci.rd_intensity': { value: 0.0215, numFmt: '0.00%' },
      'sci.rd_intensity_city_avg': { value: '2.4%' },
      'sci.bayu_craftsmen': { value: '1,200' },
      'sci.tech_contract_turnover': { value: 3500, unit: '万元' },
      'sci.incentive_app_rollout': { value: '已完成' },
    });

    const { figures, errors } = await parsed(bytes, 'science');

    expect(errors).toEqual([]);
    expect(figures.map(({ indicator, value, cell }) => ({ indicator, value, cell }))).toEqual([
      { indicator: 'sci.rd_intensity', value: 2.15, cell: 'E6' },
      { indicator: 'sci.rd_intensity_city_avg', value: 2.4, cell: 'E7' },
      { indicator: 'sci.bayu_craftsmen', value: 1200, cell: 'E10' },
      { indicator: 'sci.tech_contract_turnover', value: 0.35, cell: 'E15' },
      { indicator: 'sci.incentive_app_rollout', value: true, cell: 'E16' },
    ]);
  });

  it('refuses a template left untouched, with a warning at every blank value cell', async () => {
    const { figures, errors, warnings, period } = await parsed(await buildTemplate(catalog, 'vocational', PERIOD), 'vocational');

    expect(period).toBe(PERIOD);
    expect(errors.map(({ sheet, cell, code }) => ({ sheet, cell, code }))).toEqual([{ sheet: '填报 Data', cell: null, code: 'sheet.no_figures' }]);
    expect(figures).toEqual([]);
    expect(warnings.map(({ sheet, cell, code }) => ({ sheet, cell, code }))).toEqual(
      catalog.indicatorsOf('vocational').map((_, i) => ({ sheet: '填报 Data', cell: `E${TEMPLATE.rows.firstIndicator + i}`, code: 'value.missing' })),
    );
  });

  it.each([
    { typed: 12.5, code: 'value.not_whole', says: '数值必须是整数：请填整数（如 12），不要填 12.5 / The value must be a whole number; type a whole number such as 12, not 12.5' },
    { typed: 'abc', code: 'value.not_a_number', says: "数值不是数字：“abc”无法识别为数字，请只填写数字，如 12 或 3.5 / The value is not a number; 'abc' cannot be read as a number; type digits only, e.g. 12 or 3.5" },
  ])('points at the one bad cell when $typed persons are typed', async ({ typed, code, says }) => {
    const bytes = await fillIn('science', { 'sci.bayu_craftsmen': { value: typed }, 'sci.st_commissioners': { value: 25 } });

    const { errors, figures } = await parsed(bytes, 'science');

    expect(errors).toEqual([{ sheet: '填报 Data', cell: 'E10', code, message: says }]);
    expect(figures.map(({ indicator, value }) => ({ indicator, value }))).toEqual([{ indicator: 'sci.st_commissioners', value: 25 }]);
  });

  it.each([
    { saved: 'by an office suite, which recalculates the title', title: '区科技局 2026-11 指标填报表 / Science & Technology Bureau monthly indicators, 2026-11', warnings: [] },
    {
      saved: 'by a writer that does not recalculate, keeping the old title',
      title: undefined,
      warnings: [{ sheet: '填报 Data', cell: 'A1', code: 'period.overruled' }],
    },
  ])('accepts last month\'s template with only the period cell changed, saved $saved', async ({ title, warnings }) => {
    const workbook = await load(await buildTemplate(catalog, 'science', '2026-10'));
    const sheet = dataSheet(workbook);
    sheet.getCell(`B${TEMPLATE.rows.period}`).value = PERIOD;
    const titleCell = sheet.getCell('A1');
    if (title !== undefined && typeof titleCell.formula === 'string') titleCell.value = { formula: titleCell.formula, result: title };
    rowOf(sheet, 'sci.bayu_craftsmen').getCell(TEMPLATE.columns.value).value = 12;

    const result = await parsed(new Uint8Array(await workbook.xlsx.writeBuffer()), 'science');

    expect(result.errors).toEqual([]);
    expect(result.period).toBe(PERIOD);
    expect(result.figures).toEqual([{ indicator: 'sci.bayu_craftsmen', period: PERIOD, value: 12, unit: 'persons', sheet: '填报 Data', cell: 'E10' }]);
    // The other indicators are left blank, each with its own value.missing.
    const others = result.warnings.filter((warning) => warning.code !== 'value.missing');
    expect(others.map(({ sheet: name, cell, code }) => ({ sheet: name, cell, code }))).toEqual(warnings);
  });

  it('still reads the period after Excel turned a retyped 2026-11 into a date', async () => {
    const workbook = await load(await buildTemplate(catalog, 'education', '2026-10'));
    const sheet = dataSheet(workbook);
    sheet.getCell(`B${TEMPLATE.rows.period}`).value = new Date(Date.UTC(2026, 10, 1));
    sheet.getCell(`B${TEMPLATE.rows.period}`).numFmt = 'mmm-yy';
    sheet.getCell(TEMPLATE.rows.firstIndicator, TEMPLATE.columns.value).value = 80;

    const result = await parsed(new Uint8Array(await workbook.xlsx.writeBuffer()), 'education');

    expect(result.period).toBe('2026-11');
    expect(result.errors).toEqual([]);
  });
});

describe('the template asks for the reason where last month was at risk or off track', () => {
  /** By last month (2026-10) 巴渝工匠 had 30 of 1,000 due by 2027-12, far behind the straight line; 科技特派员 all 300 of theirs. */
  const previous = [observation('sci.bayu_craftsmen', '2026-10', 30), observation('sci.st_commissioners', '2026-10', 300)];

  it("prompts for it in the note cell and says so beside the last reported figure of a row behind, and of no other row", async () => {
    const sheet = dataSheet(await load(await buildTemplate(catalog, 'science', PERIOD, { previous })));
    const behind = rowOf(sheet, 'sci.bayu_craftsmen');
    const others = catalogRows(sheet).filter((id) => id !== 'sci.bayu_craftsmen');

    expect(behind.getCell(TEMPLATE.columns.note).dataValidation).toMatchObject({ showInputMessage: true, prompt: expect.stringContaining(REASON_PROMPT.zh) });
    expect(behind.getCell(TEMPLATE.columns.note).dataValidation.prompt).toContain(REASON_PROMPT.en);
    expect(behind.getCell(TEMPLATE.columns.note).value).toBeNull();
    expect(behind.getCell(TEMPLATE.columns.note).protection).toMatchObject({ locked: false });
    expect(behind.getCell(TEMPLATE.columns.lastReported).value).toBe(`30（2026-10） ${REASON_PROMPT.zh} / ${REASON_PROMPT.en}`);
    for (const id of others) {
      expect(rowOf(sheet, id).getCell(TEMPLATE.columns.note).dataValidation).toBeUndefined();
      expect(String(rowOf(sheet, id).getCell(TEMPLATE.columns.lastReported).value)).not.toContain(REASON_PROMPT.zh);
    }
  });

  it('judges by the figures up to the month before: a figure of the month itself does not change the question', async () => {
    const caughtUp = [...previous, observation('sci.bayu_craftsmen', PERIOD, 900)];
    const sheet = dataSheet(await load(await buildTemplate(catalog, 'science', PERIOD, { previous: caughtUp })));

    expect(rowOf(sheet, 'sci.bayu_craftsmen').getCell(TEMPLATE.columns.note).dataValidation).toMatchObject({ showInputMessage: true });
  });

  it('asks nothing without figures', async () => {
    const sheet = dataSheet(await load(await buildTemplate(catalog, 'science', PERIOD)));

    for (const id of catalogRows(sheet)) expect(rowOf(sheet, id).getCell(TEMPLATE.columns.note).dataValidation).toBeUndefined();
  });

  it("reads the reason the clerk types in the note cell as the figure's note, and not the prompt", async () => {
    const bytes = await fillIn('science', { 'sci.bayu_craftsmen': { value: 12, note: '培训班推迟到12月；下步加快组织考核' }, 'sci.st_commissioners': { value: 2 } }, { previous });

    const { figures, errors } = await parsed(bytes, 'science');

    expect(errors).toEqual([]);
    expect(figures.map(({ indicator, note }) => ({ indicator, note }))).toEqual([
      { indicator: 'sci.bayu_craftsmen', note: '培训班推迟到12月；下步加快组织考核' },
      { indicator: 'sci.st_commissioners', note: undefined },
    ]);
  });
});
