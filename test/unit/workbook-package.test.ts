import { describe, expect, it } from 'vitest';
import { Package, relationshipsPartOf, resolveTarget } from '../../shared/workbook/package.js';
import { zipEntries } from '../../shared/workbook/zip.js';
import { zipOf } from './workbook-fixtures.js';

describe('relationship targets, resolved as the Open Packaging Conventions say', () => {
  it.each([
    { source: 'xl/workbook.xml', target: 'worksheets/sheet1.xml', part: 'xl/worksheets/sheet1.xml' },
    { source: 'xl/workbook.xml', target: '/xl/worksheets/sheet2.xml', part: 'xl/worksheets/sheet2.xml' },
    { source: 'xl/workbook.xml', target: './worksheets/part_1.xml', part: 'xl/worksheets/part_1.xml' },
    { source: 'xl/worksheets/sheet1.xml', target: '../drawings/drawing1.xml', part: 'xl/drawings/drawing1.xml' },
    { source: 'book/main.xml', target: '/xl/worksheets/sheet1.xml', part: 'xl/worksheets/sheet1.xml' },
    { source: '', target: 'xl/workbook.xml', part: 'xl/workbook.xml' },
    { source: '', target: '/xl/workbook.xml', part: 'xl/workbook.xml' },
    { source: 'xl/workbook.xml', target: 'worksheets\\sheet1.xml', part: 'xl/worksheets/sheet1.xml' },
    { source: 'xl/workbook.xml', target: 'worksheets/sheet1.xml#fragment', part: 'xl/worksheets/sheet1.xml' },
  ])('$target from $source is $part', ({ source, target, part }) => {
    expect(resolveTarget(source, target)).toBe(part);
  });

  it.each([
    { source: '', relationships: '_rels/.rels' },
    { source: 'xl/workbook.xml', relationships: 'xl/_rels/workbook.xml.rels' },
    { source: 'book/main.xml', relationships: 'book/_rels/main.xml.rels' },
  ])("finds the relationships of '$source' in $relationships", ({ source, relationships }) => {
    expect(relationshipsPartOf(source)).toBe(relationships);
  });
});

describe('part names, compared as the Open Packaging Conventions say', () => {
  const bytes = Buffer.from(zipOf({ 'xl/Worksheets/Sheet%201.xml': '<a/>', 'xl\\workbook.xml': '<b/>', 'xl/': '' }));
  const pkg = new Package(bytes, zipEntries(bytes));

  it.each(['xl/worksheets/sheet 1.xml', '/XL/WORKSHEETS/SHEET%201.XML', 'xl/workbook.xml', '/xl/workbook.xml'])('has %s', (name) => {
    expect(pkg.has(name)).toBe(true);
  });

  it.each(['xl/worksheets/sheet1.xml', 'xl', 'xl/'])('has no part %s', (name) => {
    expect(pkg.has(name)).toBe(false);
  });
});
