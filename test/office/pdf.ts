import { inflateSync } from 'node:zlib';

/** What a test needs of a PDF that LibreOffice wrote: its pages' sizes and the fill colours its pages paint. */
export interface PdfSummary {
  pages: number;
  /** Every MediaBox in the file, width × height in points. */
  mediaBoxes: [number, number][];
  /** Each RGB fill colour (the `rg` operator) of the content streams, as "#rrggbb". */
  fillColours: Set<string>;
}

const hex = (channel: string) => Math.round(Number(channel) * 255).toString(16).padStart(2, '0');

/** Read by pattern, not parsed: LibreOffice writes plain objects and Flate-compressed streams, enough to tell these facts. */
export function summarisePdf(bytes: Uint8Array): PdfSummary {
  const buffer = Buffer.from(bytes);
  const text = buffer.toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  const mediaBoxes = [...text.matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map(
    ([, x0, y0, x1, y1]): [number, number] => [Number(x1) - Number(x0), Number(y1) - Number(y0)],
  );
  const fillColours = new Set<string>();
  for (const start of text.matchAll(/stream\r?\n/g)) {
    const from = start.index + start[0].length;
    const content = (() => {
      try {
        return inflateSync(buffer.subarray(from, text.indexOf('endstream', from))).toString('latin1');
      } catch {
        return ''; // not a Flate stream (an image or font in another encoding)
      }
    })();
    for (const [, r, g, b] of content.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) rg/g)) fillColours.add(`#${[r, g, b].map((c) => hex(c ?? '0')).join('')}`);
  }
  return { pages, mediaBoxes, fillColours };
}
