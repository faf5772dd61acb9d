import { describe, expect, it } from 'vitest';
import { apiRequest, fileNameOfDisposition } from '../../portal/src/lib/api-paths.js';

describe('apiRequest', () => {
  it('fills the route of the contract with encoded values', () => {
    expect(apiRequest('upload', { department: 'science', uploadId: 'a b/c' })).toEqual({ method: 'GET', path: '/api/departments/science/uploads/a%20b%2Fc' });
    expect(apiRequest('requestUpload', { department: 'education' })).toEqual({ method: 'POST', path: '/api/departments/education/uploads' });
    expect(apiRequest('me')).toEqual({ method: 'GET', path: '/api/me' });
  });

  it('refuses a route whose placeholder is not given', () => {
    expect(() => apiRequest('months')).toThrow(/months needs department/);
  });
});

describe('fileNameOfDisposition', () => {
  it.each([
    { header: `attachment; filename="___-2026-10.xlsx"; filename*=UTF-8''${encodeURIComponent('科技局-2026-10.xlsx')}`, name: '科技局-2026-10.xlsx' },
    { header: 'attachment; filename="science-2026-10.xlsx"', name: 'science-2026-10.xlsx' },
    { header: 'attachment; filename=science.xlsx', name: 'science.xlsx' },
    { header: `attachment; filename="fallback.xlsx"; filename*=UTF-8''%E0%A4%A`, name: 'fallback.xlsx' },
    { header: 'attachment', name: null },
    { header: null, name: null },
  ])('names $name from $header', ({ header, name }) => {
    expect(fileNameOfDisposition(header)).toBe(name);
  });
});
