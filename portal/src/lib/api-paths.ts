import { API_ROUTES } from '../../../shared/portal/contract.js';

/** A route of the contract as a method and a path, its `{placeholders}` filled with the encoded values given. */
export function apiRequest(route: keyof typeof API_ROUTES, params: Record<string, string> = {}): { method: string; path: string } {
  const [method = 'GET', template = ''] = API_ROUTES[route].split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new RangeError(`${route} needs ${name}`);
    return encodeURIComponent(value);
  });
  return { method, path };
}

/** The file name a response's Content-Disposition gives, the UTF-8 form first; null when it names none. */
export function fileNameOfDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed escape: the plain form below still names the file.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
  return plain?.[1] ?? plain?.[2]?.trim() ?? null;
}
