import { crc32, createInflateRaw } from 'node:zlib';
import { beyondLimit } from './limits.js';
import { workbookFormatError } from './problems.js';

/**
 * The zip container of an .xlsx, handled before exceljs sees it. An upload is checked from its own bytes:
 * that it is a zip, holds a workbook, unpacks to no more than a limit and that every entry inflates to the
 * size and checksum it declares. A zip bomb is refused by the sizes it declares, and a damaged entry is
 * refused here because the streaming reader can hang on one rather than fail. The checked zip is then
 * repacked in the order the streaming reader reads reliably.
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

function corrupt(cause?: unknown): Error {
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

/** Inflated output is looked at in pieces of this size and dropped: memory stays flat however large an entry is. */
const INFLATE_CHUNK = 64 * 1024;

/**
 * The size and checksum of an entry's content, inflated in bounded chunks that are checksummed and dropped.
 * Inflating stops as soon as the output passes the declared size, so an entry that lies about it cannot run on.
 */
function inflatedDigest(data: Buffer, declaredSize: number): Promise<{ size: number; crc: number }> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    let size = 0;
    let crc = 0;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > declaredSize) {
        inflate.destroy();
        reject(corrupt());
      } else crc = crc32(chunk, crc);
    });
    inflate.on('error', (error) => reject(corrupt(error)));
    inflate.on('end', () => resolve({ size, crc }));
    inflate.end(data);
  });
}

async function contentDigest(bytes: Buffer, entry: ZipEntry): Promise<{ size: number; crc: number }> {
  const data = storedData(bytes, entry);
  if (entry.method === STORED) return { size: data.length, crc: crc32(data) };
  if (entry.method !== DEFLATED) throw corrupt();
  return inflatedDigest(data, entry.uncompressedSize);
}

async function verifyEntry(bytes: Buffer, entry: ZipEntry): Promise<void> {
  if ((entry.flags & ENCRYPTED_FLAG) !== 0) throw workbookFormatError('file.password_protected');
  const { size, crc } = await contentDigest(bytes, entry);
  if (size !== entry.uncompressedSize || crc !== entry.crc) throw corrupt();
}

export function isCompoundFile(bytes: Buffer): boolean {
  return bytes.subarray(0, COMPOUND_FILE_SIGNATURE.length).equals(COMPOUND_FILE_SIGNATURE);
}

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= END_RECORD_SIZE && bytes.readUInt32LE(0) === LOCAL_FILE_HEADER;
}

const PDF_SIGNATURE = Buffer.from('%PDF-');

/** A PDF is the usual wrong file (the report printed rather than the workbook saved), so it is named. */
function notAWorkbook(bytes: Buffer): Error {
  if (bytes.subarray(0, PDF_SIGNATURE.length).equals(PDF_SIGNATURE)) {
    return workbookFormatError('file.not_a_workbook', { zh: '这是 PDF 文件', en: 'it is a PDF document' });
  }
  return workbookFormatError('file.not_a_workbook');
}

/**
 * Throws a WorkbookFormatError unless the bytes are an intact zip holding a workbook of at most
 * `maxUncompressedBytes`; returns its entries.
 */
export async function checkWorkbookContainer(bytes: Buffer, maxUncompressedBytes: number): Promise<ZipEntry[]> {
  if (isCompoundFile(bytes)) {
    throw workbookFormatError(bytes.includes(ENCRYPTED_PACKAGE) ? 'file.password_protected' : 'file.legacy_xls');
  }
  if (!isZip(bytes)) throw notAWorkbook(bytes);
  if (isZip64(bytes)) throw beyondLimit('bytes', maxUncompressedBytes);
  const entries = zipEntries(bytes);
  const unpacked = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
  if (unpacked > maxUncompressedBytes) throw beyondLimit('bytes', maxUncompressedBytes);
  if (!entries.some((entry) => entry.name === WORKBOOK)) throw workbookFormatError('file.not_a_workbook');
  for (const entry of entries) await verifyEntry(bytes, entry);
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

function localHeader(entry: PackedEntry, name: Buffer): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_FILE_HEADER, 0);
  header.writeUInt16LE(ZIP_VERSION, 4);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.data.length, 18);
  header.writeUInt32LE(entry.uncompressedSize, 22);
  header.writeUInt16LE(name.length, 26);
  return header;
}

function directoryRecord(entry: PackedEntry, name: Buffer, localHeaderOffset: number): Buffer {
  const record = Buffer.alloc(46);
  record.writeUInt32LE(CENTRAL_DIRECTORY_ENTRY, 0);
  record.writeUInt16LE(ZIP_VERSION, 4);
  record.writeUInt16LE(ZIP_VERSION, 6);
  record.writeUInt16LE(entry.method, 10);
  record.writeUInt32LE(entry.crc, 16);
  record.writeUInt32LE(entry.data.length, 20);
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

/**
 * A zip of the entries in the order given, without data descriptors or comments, as the pieces to write one
 * after the other: each entry's data is the caller's buffer itself, not a copy.
 */
function zipChunks(entries: readonly PackedEntry[]): Buffer[] {
  const files: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const header = localHeader(entry, name);
    files.push(header, name, entry.data);
    directory.push(directoryRecord(entry, name, offset), name);
    offset += header.length + name.length + entry.data.length;
  }
  const directorySize = directory.reduce((total, chunk) => total + chunk.length, 0);
  // No empty pieces (a directory entry's data): exceljs's unzipper stalls on a zero-length chunk.
  return [...files, ...directory, endRecord(entries.length, directorySize, offset)].filter((chunk) => chunk.length > 0);
}

/** Writes a zip of the entries in the order given, without data descriptors or comments. */
export function packZip(entries: readonly PackedEntry[]): Buffer {
  return Buffer.concat(zipChunks(entries));
}

function storedEntry(name: string, text: string): PackedEntry {
  const data = Buffer.from(text, 'utf8');
  return { name, method: STORED, crc: crc32(data), uncompressedSize: data.length, data };
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
 * formats. Repacked with the workbook, its relationships, the shared strings and the styles first (an empty
 * shared-string table when there is none), every sheet is read as it comes and nothing is set aside.
 *
 * The repacked zip comes as pieces that copy no entry's data (see zipChunks), so memory does not double.
 */
export function repackForStreaming(bytes: Buffer, entries: readonly ZipEntry[]): Buffer[] {
  const packed = packedEntries(bytes, entries);
  const strings = packed.some((entry) => entry.name === SHARED_STRINGS) ? [] : [storedEntry(SHARED_STRINGS, EMPTY_SHARED_STRINGS)];
  const rank = (entry: PackedEntry) => {
    const index = READ_FIRST.indexOf(entry.name);
    return index === -1 ? READ_FIRST.length : index;
  };
  return zipChunks([...strings, ...packed].sort((a, b) => rank(a) - rank(b)));
}

/** The same zip with every entry's modification time cleared, so that equal content gives equal bytes. */
export function withoutTimestamps(bytes: Buffer): Buffer {
  return packZip(packedEntries(bytes, zipEntries(bytes)));
}
