import type { ImportReport } from '../shared/ingest/ingest.js';
import type { ObjectRef, ObjectStore, ObjectTooLarge } from '../shared/ports.js';

type Put = { bucket: string; key: string; body: string | Uint8Array; contentType: string };

/** Objects in memory, with what each put was given, in order. */
export class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, { body: string | Uint8Array; contentType: string }>();
  readonly puts: Put[] = [];

  async get({ bucket, key }: ObjectRef, { maxBytes }: { maxBytes: number }): Promise<Uint8Array | ObjectTooLarge> {
    const stored = this.objects.get(`${bucket}/${key}`)?.body;
    if (stored === undefined) throw new Error(`no object ${key}`);
    const bytes = typeof stored === 'string' ? new TextEncoder().encode(stored) : stored;
    return bytes.byteLength > maxBytes ? { tooLarge: true, size: bytes.byteLength } : bytes;
  }

  async put(object: Put) {
    this.puts.push(object);
    this.objects.set(`${object.bucket}/${object.key}`, { body: object.body, contentType: object.contentType });
  }

  report(key: string): ImportReport {
    return JSON.parse(String(this.objects.get(`uploads/${key}`)?.body)) as ImportReport;
  }
}

