import { crc32, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { WorkbookFormatError } from '../problem.js';
import { recognisedFormat } from './formats.js';
import { beyondLimit } from './limits.js';
import { workbookFormatError } from './problems.js';

/**
 * The zip container of an .xlsx. An upload is checked from its own bytes: that it is a zip, unpacks to no more than
 * a limit by the sizes it declares (a zip bomb is refused before anything is inflated), and that every entry
 * inflates to the size and checksum it declares. That last check is made as each entry is read (checkedContent):
 * inflated once, in bounded pieces, never whole. What the entries are is the package's to say (package.ts).
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

/**
 * An entry's content as UTF-8 text, inflated whole: for an entry known to be small (a few megabytes at most), never on
 * the reading path, which inflates in pieces (checkedContent). Throws when it inflates past `maxBytes`.
 */
export function entryText({ method, data }: Pick<PackedEntry, 'method' | 'data'>, maxBytes?: number): string {
  return (method === STORED ? data : inflateRawSync(data, maxBytes === undefined ? {} : { maxOutputLength: maxBytes })).toString('utf8');
}

/** A small entry's text, or undefined when it is absent, larger than that or does not inflate. */
function smallEntryText(bytes: Buffer, entries: readonly ZipEntry[], name: string): string | undefined {
  const entry = entries.find((candidate) => candidate.name === name);
  if (!entry || entry.uncompressedSize > FORMAT_ENTRY_BYTES) return undefined;
  try {
    return entryText({ method: entry.method, data: storedData(bytes, entry) }, FORMAT_ENTRY_BYTES);
  } catch {
    return undefined;
  }
}

/** A file that is no workbook is named when its content shows what it is (see formats.ts), with what to save it as. */
export function notAWorkbook(bytes: Buffer, entries?: readonly ZipEntry[]): WorkbookFormatError {
  const format = recognisedFormat(
    entries ? { bytes, zip: { names: entries.map((entry) => entry.name), text: (name) => smallEntryText(bytes, entries, name) } } : { bytes },
  );
  return format ? workbookFormatError(format.code, format.detail) : workbookFormatError('file.not_a_workbook');
}

/**
 * Throws a WorkbookFormatError unless the bytes are a zip that declares at most `maxUncompressedBytes`, with every
 * entry where the directory says; returns its entries. Whether each inflates to what it declares is checked as it is
 * read (checkedContent); whether it holds a workbook is the package's to say (spreadsheet.ts).
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

/** An entry of the given content, deflated, ready to be packed. */
export function deflatedEntry(name: string, content: Buffer): PackedEntry {
  return { name, method: DEFLATED, crc: crc32(content), uncompressedSize: content.length, data: deflateRawSync(content, { level: 9 }) };
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
export function packedEntries(bytes: Buffer, entries: readonly ZipEntry[]): PackedEntry[] {
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
 * Inflated content is handed on in pieces of at most this size: memory stays flat however large an entry is, and few
 * parsed rows are alive when the young generation is collected.
 */
const PIECE = 16 * 1024;

/**
 * An entry's content in pieces, inflated if it is deflated, never more than it declares. Throws file.corrupt as soon
 * as it shows it is not what it declares: inflating fails, passes the declared size (an understated zip bomb stops
 * there), or ends at another size or checksum.
 */
export async function* checkedContent(bytes: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
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

/** The same zip with every entry's modification time cleared, so that equal content gives equal bytes. */
export function withoutTimestamps(bytes: Buffer): Buffer {
  return packZip(packedEntries(bytes, zipEntries(bytes)));
}
