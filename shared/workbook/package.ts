import type { WorkbookFormatError } from '../problem.js';
import { checkedContent, notAWorkbook, type ZipEntry } from './zip.js';
import { PACKAGE_RELATIONSHIPS_NAMESPACE, xmlReader, type XmlHandlers } from './xml.js';

/**
 * An .xlsx as the Open Packaging Conventions define it: parts named by IRIs, compared without regard to case, and
 * found through relationships (`_rels/.rels` for the package, `<folder>/_rels/<part>.rels` for a part), whose
 * targets are relative to the part they leave from or, written with a leading slash, to the package. Nothing here
 * assumes where a writer puts its parts or what it calls them.
 */

/** A relationship from a part (or the package) to another part; an external target is no part and is left out. */
export interface Relationship {
  id: string;
  /** The relationship type's last segment: officeDocument, worksheet, sharedStrings, styles, xlMacrosheet… */
  kind: string;
  /** The part it reaches, a name as the zip stores it (no leading slash). */
  target: string;
}

/** The namespaces relationship types are written in: transitional, strict, and Microsoft's own. */
const RELATIONSHIP_TYPE_NAMESPACES = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships/',
  'http://purl.oclc.org/ooxml/officeDocument/relationships/',
  'http://schemas.microsoft.com/office/2006/relationships/',
] as const;

function kindOf(type: string): string | undefined {
  const namespace = RELATIONSHIP_TYPE_NAMESPACES.find((prefix) => type.startsWith(prefix));
  return namespace === undefined ? undefined : type.slice(namespace.length);
}

/** A part name as compared: percent-encoding decoded, ASCII case folded, no leading slash, `\` as `/` (some writers' zips). */
function comparable(name: string): string {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // A stray % is taken as written.
  }
  return decoded
    .replaceAll('\\', '/')
    .replace(/^\/+/, '')
    .replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** The relationships part of a part ('' for the package itself). */
export function relationshipsPartOf(source: string): string {
  const slash = source.lastIndexOf('/');
  return `${source.slice(0, slash + 1)}_rels/${source.slice(slash + 1)}.rels`;
}

/** A target resolved against the part it leaves from: `worksheets/a.xml` from `xl/workbook.xml` is `xl/worksheets/a.xml`. */
export function resolveTarget(source: string, target: string): string {
  const written = target.replaceAll('\\', '/').replace(/[?#].*$/, '');
  const base = written.startsWith('/') ? [] : source.split('/').slice(0, -1);
  const segments: string[] = [...base];
  for (const segment of written.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

/** The parts of a checked zip (checkWorkbookContainer), by name, and their relationships. */
export class Package {
  private readonly byName = new Map<string, ZipEntry>();
  private readonly read = new Set<ZipEntry>();

  constructor(
    private readonly bytes: Buffer,
    private readonly entries: readonly ZipEntry[],
  ) {
    for (const entry of entries) if (!entry.name.endsWith('/')) this.byName.set(comparable(entry.name), entry);
  }

  /** The refusal of a package that holds no workbook, naming what it is when its content shows it (formats.ts). */
  notAWorkbook(): WorkbookFormatError {
    return notAWorkbook(this.bytes, this.entries);
  }

  has(part: string): boolean {
    return this.byName.has(comparable(part));
  }

  /** A part's content as it inflates, checked against what the zip declares (checkedContent); nothing for a part not there. */
  async *content(part: string): AsyncGenerator<Buffer> {
    const entry = this.byName.get(comparable(part));
    if (!entry) return;
    this.read.add(entry);
    yield* checkedContent(this.bytes, entry);
  }

  /** Reads a whole XML part with the handlers given; a part that is not there reads as nothing. */
  async readXml(part: string, handlers: XmlHandlers): Promise<void> {
    if (!this.has(part)) return;
    const reader = xmlReader(handlers);
    for await (const piece of this.content(part)) reader.write(piece);
    reader.end();
  }

  /** The relationships leaving a part ('' for the package), external ones left out, in the order written. */
  async relationships(source: string): Promise<Relationship[]> {
    const found: Relationship[] = [];
    await this.readXml(relationshipsPartOf(source), {
      open(element) {
        if (element.local !== 'Relationship' || element.uri !== PACKAGE_RELATIONSHIPS_NAMESPACE) return;
        const value = (name: string) => element.attributes[name]?.value;
        const [id, type, target] = [value('Id'), value('Type'), value('Target')];
        const kind = type === undefined ? undefined : kindOf(type);
        if (id === undefined || kind === undefined || target === undefined || value('TargetMode') === 'External') return;
        found.push({ id, kind, target: resolveTarget(source, target) });
      },
      close: () => undefined,
      text: () => undefined,
    });
    return found;
  }

  /**
   * Inflates and checks every part not read, so that a damaged part is found whether or not figures were in it:
   * the annotated copy opens the whole package again.
   */
  async checkUnread(): Promise<void> {
    for (const entry of this.byName.values()) {
      if (this.read.has(entry)) continue;
      this.read.add(entry);
      for await (const piece of checkedContent(this.bytes, entry)) void piece;
    }
  }
}
