// Minimal typings for the two embedded AWS stand-ins, which ship none.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
  }
  /** The object an upload hands to the store: the request body as a stream (or a Buffer for a form POST). */
  export interface StoredObject {
    bucket: string;
    key: string;
    content: import('node:stream').Readable | Buffer;
    metadata: Record<string, string>;
  }
  /** lib/stores/filesystem.js: only the members the local wiring uses. */
  export interface FilesystemStore {
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
    putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
    /** Resolves once the object's file is open, with its metadata; null when there is no such object. */
    getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<unknown>;
  }
  /** A request's Koa context: only the members the local wiring uses. */
  export interface RequestContext {
    app: S3rver;
    /** The body as s3rver's handlers read it; the headers are read from the request Koa keeps. */
    req: import('node:stream').Readable;
    /** The path and query as the client sent them. */
    url: string;
    method: string;
    params: { bucket?: string; key?: string };
    get(header: string): string;
    is(type: string): string | false | null;
  }
  export type Middleware = (ctx: RequestContext, next: () => Promise<void>) => Promise<void>;
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Koa's middleware, composed when the server starts to listen. */
    readonly middleware: Middleware[];
    /** The store every request goes through (set in the constructor, shared with the request context). */
    readonly store: FilesystemStore;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    on(event: 'event', listener: (event: import('aws-lambda').S3Event) => void): this;
  }
}

declare module 's3rver/lib/models/error.js' {
  /** An error s3rver answers with its S3 code and message (a 4xx for client mistakes), and further elements of the document. */
  export default class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string | number>);
  }
}

declare module 's3rver/lib/controllers/object.js' {
  import type { RequestContext } from 's3rver';
  /** lib/controllers/object.js: routes.js calls its handlers through these exports at each request. */
  const objectController: { postObject(ctx: RequestContext): Promise<void> };
  export default objectController;
}

declare module 'dynalite' {
  import type { Server } from 'node:http';
  export default function dynalite(options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }): Server;
}
