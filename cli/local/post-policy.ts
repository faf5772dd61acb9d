import { Readable } from 'node:stream';
import type S3rver from 's3rver';
import type { RequestContext } from 's3rver';
import objectController from 's3rver/lib/controllers/object.js';
import S3Error from 's3rver/lib/models/error.js';
import { parseCredential, sameSignature, signatureMismatch, SIGV4_ALGORITHM, sigv4Signature, toS3Error, unknownAccessKey, type S3Refusal, type SigningCredentials } from './sigv4.js';

/**
 * A browser-based upload (POST Object) checked against its POST policy as S3 checks it: the signature of the policy,
 * its expiration, every condition, no field outside the conditions, and the file's size within content-length-range.
 * s3rver 3.7.1 stores whatever is posted; the portal relies on S3 refusing a file over its limit by the policy itself.
 */

/** A browser-based upload as S3 receives it: the bucket it is posted to, the form's fields before the file, and the file's size. */
export interface PostedForm {
  bucket: string;
  /** Name → value, names as the form spells them (S3 reads them regardless of case). */
  fields: Record<string, string>;
  fileSize: number;
}

/** Form fields no condition needs to name (AWS: "Creating a POST policy"). */
const UNCONDITIONED_FIELDS = new Set(['policy', 'x-amz-signature', 'file']);
const IGNORED_FIELD_PREFIX = 'x-ignore-';

/** A policy condition, every form of it read into one: `{"f": v}` and `["eq", "$f", v]` alike. */
type Condition = { match: 'eq' | 'starts-with'; field: string; value: string } | { match: 'content-length-range'; min: number; max: number };

const denied = (why: string): S3Refusal => ({ code: 'AccessDenied', message: `Invalid according to Policy: ${why}` });
const invalidPolicy = (why: string): S3Refusal => ({ code: 'InvalidPolicyDocument', message: `Invalid Policy: ${why}` });
const missingField = (name: string): S3Refusal => ({
  code: 'InvalidArgument',
  message: `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
  detail: { ArgumentName: name, ArgumentValue: '' },
});

/** S3's answer to a file over the policy's content-length-range, or over the most the local stand-in reads. */
export function entityTooLarge(size: number, max: number): S3Refusal {
  return { code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size', detail: { ProposedSize: size, MaxSizeAllowed: max } };
}

/** A condition as S3 quotes it in its refusal: `["eq", "$key", "incoming/…"]`. */
function quoted(condition: Condition): string {
  const parts = condition.match === 'content-length-range' ? [condition.match, condition.min, condition.max] : [condition.match, `$${condition.field}`, condition.value];
  return `[${parts.map((part) => JSON.stringify(part)).join(', ')}]`;
}

/** The policy's conditions, or why S3 would not read them. */
function readConditions(conditions: unknown): Condition[] | S3Refusal {
  if (!Array.isArray(conditions)) return invalidPolicy("Invalid 'conditions' value: must be a List.");
  const read: Condition[] = [];
  for (const condition of conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [operator, subject, value] = condition as unknown[];
      const match = typeof operator === 'string' ? operator.toLowerCase() : undefined;
      if (match === 'content-length-range' && Number.isSafeInteger(subject) && Number.isSafeInteger(value) && condition.length === 3) {
        read.push({ match, min: subject as number, max: value as number });
        continue;
      }
      if ((match === 'eq' || match === 'starts-with') && typeof subject === 'string' && subject.startsWith('$') && typeof value === 'string' && condition.length === 3) {
        read.push({ match, field: subject.slice(1).toLowerCase(), value });
        continue;
      }
    } else if (condition !== null && typeof condition === 'object') {
      const entries = Object.entries(condition as Record<string, unknown>);
      const [entry] = entries;
      if (entry && entries.length === 1 && typeof entry[1] === 'string') {
        read.push({ match: 'eq', field: entry[0].toLowerCase(), value: entry[1] });
        continue;
      }
    }
    return invalidPolicy(`Invalid Condition: ${JSON.stringify(condition)}`);
  }
  return read;
}

function decodePolicy(policy: string): { expiration?: unknown; conditions?: unknown } | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
    return decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded) ? decoded : null;
  } catch {
    return null;
  }
}

/** Why S3 would refuse this POST, or null when it would store the file. */
export function checkPostPolicy(form: PostedForm, now: Date, credentials: SigningCredentials): S3Refusal | null {
  const fields = new Map(Object.entries(form.fields).map(([name, value]) => [name.toLowerCase(), value]));
  const policy = fields.get('policy');
  // Without a policy the POST is anonymous, and the stack's buckets let no one write anonymously.
  if (policy === undefined) return { code: 'AccessDenied', message: 'Access Denied' };
  const signed: Record<string, string> = {};
  for (const name of ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature']) {
    const value = fields.get(name);
    if (value === undefined) return missingField(name);
    signed[name] = value;
  }
  const { 'x-amz-algorithm': algorithm = '', 'x-amz-credential': credential = '', 'x-amz-signature': signature = '' } = signed;
  if (algorithm !== SIGV4_ALGORITHM) {
    return { code: 'InvalidArgument', message: `${algorithm} is not a supported algorithm; use ${SIGV4_ALGORITHM}.`, detail: { ArgumentName: 'x-amz-algorithm', ArgumentValue: algorithm } };
  }
  const scope = parseCredential(credential);
  if (!scope || scope.service !== 's3') {
    return { code: 'InvalidArgument', message: 'Invalid credential: expected <access key>/<yyyymmdd>/<region>/s3/aws4_request.', detail: { ArgumentName: 'x-amz-credential', ArgumentValue: credential } };
  }
  if (scope.accessKeyId !== credentials.accessKeyId) return unknownAccessKey(scope.accessKeyId);
  if (!sameSignature(signature, sigv4Signature(credentials.secretAccessKey, scope, policy))) return signatureMismatch(scope.accessKeyId, policy);

  const document = decodePolicy(policy);
  if (!document) return invalidPolicy('Invalid JSON.');
  const expiration = typeof document.expiration === 'string' ? Date.parse(document.expiration) : NaN;
  if (Number.isNaN(expiration)) return invalidPolicy("Invalid 'expiration' value: must be an ISO 8601 date and time.");
  if (now.getTime() > expiration) return denied('Policy expired.');
  const conditions = readConditions(document.conditions);
  if (!Array.isArray(conditions)) return conditions;

  const named = new Set<string>();
  let sizeRange: { min: number; max: number } | undefined;
  for (const condition of conditions) {
    if (condition.match === 'content-length-range') {
      sizeRange = condition;
      continue;
    }
    named.add(condition.field);
    // The bucket is the one posted to, whatever a `bucket` field says.
    const actual = condition.field === 'bucket' ? form.bucket : fields.get(condition.field);
    const met = actual !== undefined && (condition.match === 'eq' ? actual === condition.value : actual.startsWith(condition.value));
    if (!met) return denied(`Policy Condition failed: ${quoted(condition)}`);
  }
  const extra = [...fields.keys()].filter((name) => !UNCONDITIONED_FIELDS.has(name) && !name.startsWith(IGNORED_FIELD_PREFIX) && !named.has(name));
  if (extra.length > 0) return denied(`Extra input fields: ${extra.join(', ')}`);
  if (sizeRange && form.fileSize > sizeRange.max) return entityTooLarge(form.fileSize, sizeRange.max);
  if (sizeRange && form.fileSize < sizeRange.min) {
    return { code: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed size', detail: { ProposedSize: form.fileSize, MinSizeAllowed: sizeRange.min } };
  }
  return null;
}

/**
 * The most bytes of a POST body the local stand-in reads, whatever the policy allows (S3 takes up to 5 GB): the body
 * is held in memory to be checked before anything is stored, and the portal grants far less (20 MiB by default).
 */
export const LOCAL_POST_MAX_BYTES = 64 * 2 ** 20;

/** The body of a request, refused with EntityTooLarge as soon as it passes `maxBytes`, the rest left unread. */
export function readBodyCapped(body: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Not destroyed: the client still gets the answer, and the server discards what it goes on sending.
      body.off('data', keep).off('end', done).resume();
      reject(toS3Error(entityTooLarge(size, maxBytes)));
    };
    const done = () => resolve(Buffer.concat(chunks));
    body.on('data', keep).once('end', done).once('error', reject);
  });
}

/** The fields before the form's `file` and that file's size (S3 ignores what follows it), or null when there is no file. */
async function readForm(body: Buffer, contentType: string): Promise<{ fields: Record<string, string>; fileSize: number } | null> {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData().catch(() => {
    throw new S3Error('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
  });
  const fields: Record<string, string> = {};
  for (const [name, value] of form) {
    if (name === 'file') return { fields, fileSize: typeof value === 'string' ? Buffer.byteLength(value) : value.size };
    if (typeof value === 'string') fields[name] = value;
  }
  return null;
}

/** The apps whose POSTs are checked, with the credentials their policies must be signed with. */
const policed = new WeakMap<S3rver, SigningCredentials>();
const storePostedForm = objectController.postObject;

/**
 * In place of s3rver's POST Object: read the body (capped), refuse it as S3 would, and hand an accepted one, replayed,
 * to s3rver's own handler, which stores it through the store (whole before announced) and emits the event. Placed at
 * the controller, not before s3rver's router, so that a refusal carries the bucket's CORS headers as S3's does and the
 * page can read why; the store alone could not do it, as s3rver drops the policy before the store sees the object.
 */
async function postObjectWithinPolicy(ctx: RequestContext): Promise<void> {
  const credentials = policed.get(ctx.app);
  // A body that is no form goes on to s3rver, which refuses it as S3 does.
  if (!credentials || !ctx.is('multipart/form-data')) return storePostedForm(ctx);
  const body = await readBodyCapped(ctx.req, LOCAL_POST_MAX_BYTES);
  const form = await readForm(body, ctx.get('content-type'));
  const bucket = ctx.params.bucket;
  if (form && bucket) {
    const refusal = checkPostPolicy({ bucket, ...form }, new Date(), credentials);
    if (refusal) throw toS3Error(refusal);
  }
  // s3rver parses the request stream itself; headers are still read from the request Koa keeps.
  ctx.req = Readable.from([body]);
  return storePostedForm(ctx);
}

/** Makes this s3rver refuse browser-based uploads (POST Object) as S3 would, their policies signed with `credentials`. */
export function enforcePostPolicies(s3rver: S3rver, credentials: SigningCredentials): void {
  policed.set(s3rver, credentials);
  // routes.js calls the controller through its exports at each request, so the handler is replaced there.
  objectController.postObject = postObjectWithinPolicy;
}
