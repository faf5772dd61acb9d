import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import { WorkbookFormatError } from '../problem.js';
import { recognisedFormat } from './formats.js';
import { beyondLimit } from './limits.js';
import { partCheck, type PartFacts } from './parts.js';
import { workbookFormatError } from './problems.js';

/**
 * The zip container of an .xlsx, handled before exceljs sees it. An upload is checked from its own bytes: that it
 * is a zip, holds a workbook, unpacks to no more than a limit by the sizes it declares (a zip bomb is refused before
 * anything is inflated), and that every entry inflates to the size and checksum it declares. That last check is made
 * as the zip is read: each entry is inflated here, once, in bounded chunks, and handed to exceljs stored, never whole
 * and never inflated by exceljs itself, whose zip reader waits forever on a damaged entry rather than failing. The
 * entries come in the order exceljs's streaming reader reads reliably.
 */

const LOCAL_FILE_HEADER = 0x04034b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT_SIZE = 0xffff;
/** A size field saturated at this value means the real size is in a ZIP64 field: 4 GiB or more. */
const SATURATED_SIZE = 0xffffffff;
const SATURATED_COUNT = 0xffff;
const ZIP_VERSION = 20;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 0x1;

const WORKBOOK = 'xl/workbook.xml';
const SHARED_STRINGS = 'xl/sharedStrings.xml';
const READ_FIRST = [WORKBOOK, 'xl/_rels/workbook.xml.rels', SHARED_STRINGS, 'xl/styles.xml'];
const EMPTY_SHARED_STRINGS =
  '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>';

/** Legacy .xls files and password-protected workbooks are both OLE compound files. */
const COMPOUND_FILE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Office stores an encrypted workbook as a compound file holding a stream by this (UTF-16) name. */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

function corrupt(cause?: unknown): WorkbookFormatError {
  return workbookFormatError('file.corrupt', undefined, cause);
}

function endOfCentralDirectory(bytes: Buffer): number {
  const earliest = Math.max(0, bytes.length - END_RECORD_SIZE - MAX_COMMENT_SIZE);
  for (let offset = bytes.length - END_RECORD_SIZE; offset >= earliest; offset -= 1) {
    if (bytes.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  throw corrupt();
}

function directoryEntry(bytes: Buffer, offset: number): ZipEntry {
  const nameLength = bytes.readUInt16LE(offset + 28);
  return {
    name: bytes.toString('utf8', offset + 46, offset + 46 + nameLength),
    flags: bytes.readUInt16LE(offset + 8),
    method: bytes.readUInt16LE(offset + 10),
    crc: bytes.readUInt32LE(offset + 16),
    compressedSize: bytes.readUInt32LE(offset + 20),
    uncompressedSize: bytes.readUInt32LE(offset + 24),
    localHeaderOffset: bytes.readUInt32LE(offset + 42),
  };
}

function directoryEntrySize(bytes: Buffer, offset: number): number {
  return 46 + bytes.readUInt16LE(offset + 28) + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
}

/** The entries a zip declares in its central directory. */
export function zipEntries(bytes: Buffer): ZipEntry[] {
  const end = endOfCentralDirectory(bytes);
  const count = bytes.readUInt16LE(end + 10);
  const entries: ZipEntry[] = [];
  for (let index = 0, offset = bytes.readUInt32LE(end + 16); index < count; index += 1) {
    if (offset + 46 > end || bytes.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw corrupt();
    entries.push(directoryEntry(bytes, offset));
    offset += directoryEntrySize(bytes, offset);
  }
  return entries;
}

/** ZIP64 is only needed past 4 GiB or 65535 entries, far beyond any workbook this accepts. */
function isZip64(bytes: Buffer): boolean {
  const end = endOfCentralDirectory(bytes);
  return bytes.readUInt16LE(end + 10) === SATURATED_COUNT || bytes.readUInt32LE(end + 16) === SATURATED_SIZE;
}

/** The entry's bytes as stored, found through its local header. */
export function storedData(bytes: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  if (header + 30 > bytes.length || bytes.readUInt32LE(header) !== LOCAL_FILE_HEADER) throw corrupt();
  const start = header + 30 + bytes.readUInt16LE(header + 26) + bytes.readUInt16LE(header + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw corrupt();
  return data;
}

export function isCompoundFile(bytes: Buffer): boolean {
  return bytes.subarray(0, COMPOUND_FILE_SIGNATURE.length).equals(COMPOUND_FILE_SIGNATURE);
}

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= END_RECORD_SIZE && bytes.readUInt32LE(0) === LOCAL_FILE_HEADER;
}

/** The most of an entry inflated to tell what a package is: its mimetype or content types, a few kilobytes at most. */
const FORMAT_ENTRY_BYTES = 64 * 1024;

/** A small entry's text, or undefined when it is absent, larger than that or does not inflate. */
function smallEntryText(bytes: Buffer, entries: readonly ZipEntry[], name: string): string | undefined {
  const entry = entries.find((candidate) => candidate.name === name);
  if (!entry || entry.uncompressedSize > FORMAT_ENTRY_BYTES) return undefined;
  try {
    const data = storedData(bytes, entry);
    const content = entry.method === STORED ? data : inflateRawSync(data, { maxOutputLength: FORMAT_ENTRY_BYTES });
    return content.toString('utf8');
  } catch {
    return undefined;
  }
}

/** A file that is no workbook is named when its content shows what it is (see formats.ts), with what to save it as. */
function notAWorkbook(bytes: Buffer, entries?: readonly ZipEntry[]): Error {
  const format = recognisedFormat(
    entries ? { bytes, zip: { names: entries.map((entry) => entry.name), text: (name) => smallEntryText(bytes, entries, name) } } : { bytes },
  );
  return format ? workbookFormatError(format.code, format.detail) : workbookFormatError('file.not_a_workbook');
}

/**
 * Throws a WorkbookFormatError unless the bytes are a zip holding a workbook that declares at most
 * `maxUncompressedBytes`, with every entry where the directory says; returns its entries. Whether each inflates
 * to what it declares is checked as it is read (readingZip).
 */
export function checkWorkbookContainer(bytes: Buffer, maxUncompressedBytes: number): ZipEntry[] {
  if (isCompoundFile(bytes)) {
    throw workbookFormatError(bytes.includes(ENCRYPTED_PACKAGE) ? 'file.password_protected' : 'file.legacy_xls');
  }
  if (!isZip(bytes)) throw notAWorkbook(bytes);
  if (isZip64(bytes)) throw beyondLimit('bytes', maxUncompressedBytes);
  const entries = zipEntries(bytes);
  const unpacked = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
  if (unpacked > maxUncompressedBytes) throw beyondLimit('bytes', maxUncompressedBytes);
  if (!entries.some((entry) => entry.name === WORKBOOK)) throw notAWorkbook(bytes, entries);
  for (const entry of entries) {
    if ((entry.flags & ENCRYPTED_FLAG) !== 0) throw workbookFormatError('file.password_protected');
    if (entry.method !== STORED && entry.method !== DEFLATED) throw corrupt();
    storedData(bytes, entry);
  }
  return entries;
}

/** An entry ready to be written into a zip: its bytes as stored, and what the directory says of them. */
export interface PackedEntry {
  name: string;
  method: number;
  crc: number;
  uncompressedSize: number;
  data: Buffer;
}

/** What a local header and a directory record say of an entry. */
interface EntryRecord {
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
}

function recordOf(entry: PackedEntry): EntryRecord {
  return { method: entry.method, crc: entry.crc, compressedSize: entry.data.length, uncompressedSize: entry.uncompressedSize };
}

function localHeader(entry: EntryRecord, name: Buffer): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_FILE_HEADER, 0);
  header.writeUInt16LE(ZIP_VERSION, 4);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.compressedSize, 18);
  header.writeUInt32LE(entry.uncompressedSize, 22);
  header.writeUInt16LE(name.length, 26);
  return header;
}

function directoryRecord(entry: EntryRecord, name: Buffer, localHeaderOffset: number): Buffer {
  const record = Buffer.alloc(46);
  record.writeUInt32LE(CENTRAL_DIRECTORY_ENTRY, 0);
  record.writeUInt16LE(ZIP_VERSION, 4);
  record.writeUInt16LE(ZIP_VERSION, 6);
  record.writeUInt16LE(entry.method, 10);
  record.writeUInt32LE(entry.crc, 16);
  record.writeUInt32LE(entry.compressedSize, 20);
  record.writeUInt32LE(entry.uncompressedSize, 24);
  record.writeUInt16LE(name.length, 28);
  record.writeUInt32LE(localHeaderOffset, 42);
  return record;
}

function endRecord(count: number, directorySize: number, directoryOffset: number): Buffer {
  const record = Buffer.alloc(END_RECORD_SIZE);
  record.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(directorySize, 12);
  record.writeUInt32LE(directoryOffset, 16);
  return record;
}

/** Writes a zip of the entries in the order given, without data descriptors or comments. */
export function packZip(entries: readonly PackedEntry[]): Buffer {
  const files: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const header = localHeader(recordOf(entry), name);
    files.push(header, name, entry.data);
    directory.push(directoryRecord(recordOf(entry), name, offset), name);
    offset += header.length + name.length + entry.data.length;
  }
  const centralDirectory = Buffer.concat(directory);
  return Buffer.concat([...files, centralDirectory, endRecord(entries.length, centralDirectory.length, offset)]);
}

/** The entries as they are stored, to be packed again. */
function packedEntries(bytes: Buffer, entries: readonly ZipEntry[]): PackedEntry[] {
  return entries.map(
    (entry): PackedEntry => ({
      name: entry.name,
      method: entry.method,
      crc: entry.crc,
      uncompressedSize: entry.uncompressedSize,
      data: storedData(bytes, entry),
    }),
  );
}

/**
 * exceljs's streaming reader sets aside a sheet that comes before the shared strings, as Excel orders its parts,
 * and now and then stops before reading the parts after it, silently losing the shared strings and the number
 * formats. With the workbook, its relationships, the shared strings and the styles first, every sheet is read
 * as it comes and nothing is set aside.
 */
export function inReadingOrder<T extends { name: string }>(entries: readonly T[]): T[] {
  const rank = (entry: T) => {
    const index = READ_FIRST.indexOf(entry.name);
    return index === -1 ? READ_FIRST.length : index;
  };
  return [...entries].sort((a, b) => rank(a) - rank(b));
}

/**
 * Inflated content is handed on in pieces of at most this size, as exceljs's own zip reader inflates: memory stays flat
 * however large an entry is, and few parsed rows are alive when the young generation is collected.
 */
const PIECE = 16 * 1024;

/**
 * An entry's content in pieces, inflated if it is deflated, never more than it declares. Throws file.corrupt as soon
 * as it shows it is not what it declares: inflating fails, passes the declared size (an understated zip bomb stops
 * there), or ends at another size or checksum.
 */
async function* checkedContent(bytes: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  const data = storedData(bytes, entry);
  if (entry.method === STORED) {
    if (data.length !== entry.uncompressedSize || crc32(data) !== entry.crc) throw corrupt();
    for (let at = 0; at < data.length; at += PIECE) yield data.subarray(at, at + PIECE);
    return;
  }
  const inflate = createInflateRaw({ chunkSize: PIECE });
  inflate.end(data);
  let size = 0;
  let crc = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      const room = entry.uncompressedSize - size;
      if (chunk.length > room) {
        yield chunk.subarray(0, room);
        throw corrupt();
      }
      size += chunk.length;
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (error) {
    throw error instanceof WorkbookFormatError ? error : corrupt(error);
  }
  if (size !== entry.uncompressedSize || crc !== entry.crc) throw corrupt();
}

/** A part of the zip exceljs reads: its name, what it declares, and its content as it is checked. */
interface Part {
  name: string;
  crc: number;
  size: number;
  content: () => AsyncGenerator<Buffer>;
}

function entryPart(bytes: Buffer, entry: ZipEntry): Part {
  return { name: entry.name, crc: entry.crc, size: entry.uncompressedSize, content: () => checkedContent(bytes, entry) };
}

async function* textContent(text: Buffer): AsyncGenerator<Buffer> {
  yield text;
}

/** A workbook without shared strings gets an empty table, so that its sheets are not set aside waiting for one. */
function emptySharedStrings(): Part {
  const text = Buffer.from(EMPTY_SHARED_STRINGS, 'utf8');
  return { name: SHARED_STRINGS, crc: crc32(text), size: text.length, content: () => textContent(text) };
}

/** Bytes that end a damaged entry: its reader waits for all the bytes the entry declares, and cannot parse these. */
const FILLER = Buffer.alloc(PIECE, '<');

function* filler(length: number): Generator<Buffer> {
  for (let left = length; left > 0; left -= FILLER.length) yield FILLER.subarray(0, Math.min(left, FILLER.length));
}

/** The zip as exceljs reads it, and what was found wrong in it on the way. */
export interface ReadingZip {
  /** Every entry stored, in reading order, checked as it passes (see checkedContent and partCheck). */
  chunks: AsyncGenerator<Buffer>;
  /** The file.corrupt of the first entry found not to be what it declares, once reading has come to it. */
  fault(): WorkbookFormatError | undefined;
  /** Whether the workbook part says it counts dates from 1904, in any spelling the schema allows; known before any sheet. */
  date1904(): boolean;
}

/**
 * An entry's content as it is checked, each piece handed on only once the next has passed the checks, and the last
 * once the whole part has: exceljs never sees all of a part that proves damaged.
 */
async function* checkedPart(part: Part, facts: (found: PartFacts) => void): AsyncGenerator<Buffer> {
  const check = partCheck(part.name);
  let held: Buffer | undefined;
  for await (const piece of part.content()) {
    check.take(piece);
    if (held) yield held;
    held = piece;
  }
  facts(check.end());
  if (held) yield held;
}

/**
 * The checked zip (checkWorkbookContainer) with every entry stored, inflated here once, in pieces. On an entry that
 * proves corrupt the rest of its declared bytes are filler and the zip stops there, so that exceljs fails on it
 * instead of waiting: the caller then reports the fault.
 */
export function readingZip(bytes: Buffer, entries: readonly ZipEntry[]): ReadingZip {
  let fault: WorkbookFormatError | undefined;
  let date1904 = false;
  const strings = entries.some((entry) => entry.name === SHARED_STRINGS) ? [] : [emptySharedStrings()];
  const parts = inReadingOrder([...strings, ...entries.map((entry) => entryPart(bytes, entry))]);
  const noteFacts = (found: PartFacts) => {
    date1904 ||= found.date1904 === true;
  };

  async function* chunks(): AsyncGenerator<Buffer> {
    const directory: Buffer[] = [];
    let offset = 0;
    for (const part of parts) {
      const record = { method: STORED, crc: part.crc, compressedSize: part.size, uncompressedSize: part.size };
      const name = Buffer.from(part.name, 'utf8');
      const header = Buffer.concat([localHeader(record, name), name]);
      yield header;
      let sent = 0;
      try {
        for await (const piece of checkedPart(part, noteFacts)) {
          sent += piece.length;
          // exceljs's zip reader stalls on an empty chunk.
          if (piece.length > 0) yield piece;
        }
      } catch (error) {
        fault = error instanceof WorkbookFormatError ? error : corrupt(error);
        yield* filler(part.size - sent);
        return;
      }
      directory.push(directoryRecord(record, name, offset), name);
      offset += header.length + part.size;
    }
    const centralDirectory = Buffer.concat(directory);
    yield Buffer.concat([centralDirectory, endRecord(parts.length, centralDirectory.length, offset)]);
  }

  return { chunks: chunks(), fault: () => fault, date1904: () => date1904 };
}

/** The same zip with every entry's modification time cleared, so that equal content gives equal bytes. */
export function withoutTimestamps(bytes: Buffer): Buffer {
  return packZip(packedEntries(bytes, zipEntries(bytes)));
}
