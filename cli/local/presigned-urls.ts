import { createHash } from 'node:crypto';
import type S3rver from 's3rver';
import type { Middleware, RequestContext } from 's3rver';
import { parseCredential, sameSignature, signatureMismatch, SIGV4_ALGORITHM, sigv4Signature, toS3Error, unknownAccessKey, type S3Refusal, type SigningCredentials } from './sigv4.js';

/**
 * Presigned links (query-string SigV4) checked as S3 checks them. s3rver 3.7.1 takes any V4 signature for a good
 * one, so a link whose key, response-content-disposition or signature was changed would still be served locally.
 * Its own check of X-Amz-Expires stays; requests signed in the Authorization header are left as s3rver takes them.
 */

/** RFC 3986 encoding, as SigV4 canonicalizes names and values. */
const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A request as the signature covers it. */
export interface PresignedRequest {
  method: string;
  /** The path and query as sent, e.g. `/bucket/key?X-Amz-Algorithm=…`. */
  url: string;
  /** Lower-case header name → value. */
  header(name: string): string;
}

/** Why S3 would refuse this presigned request's signature, or null when it is the one the credentials make. */
export function checkPresignedSignature(request: PresignedRequest, credentials: SigningCredentials): S3Refusal | null {
  const [path = '', rawQuery = ''] = request.url.split(/\?(.*)/s);
  const query = rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [name = '', value = ''] = pair.split(/=(.*)/s);
      return [decode(name), decode(value)] as const;
    });
  const param = (name: string) => query.find(([n]) => n === name)?.[1] ?? '';
  const malformed = (message: string): S3Refusal => ({ code: 'AuthorizationQueryParametersError', message });
  if (param('X-Amz-Algorithm') !== SIGV4_ALGORITHM) return malformed(`X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`);
  const scope = parseCredential(param('X-Amz-Credential'));
  if (!scope) return malformed('Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  if (scope.accessKeyId !== credentials.accessKeyId) return unknownAccessKey(scope.accessKeyId);

  const signedHeaders = param('X-Amz-SignedHeaders');
  const canonicalRequest = [
    request.method,
    path,
    query
      .filter(([name]) => name !== 'X-Amz-Signature')
      .map(([name, value]) => `${encode(name)}=${encode(value)}`)
      .sort()
      .join('&'),
    ...signedHeaders.split(';').map((name) => `${name}:${request.header(name).trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders,
    param('X-Amz-Content-Sha256') || 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [SIGV4_ALGORITHM, param('X-Amz-Date'), `${scope.date}/${scope.region}/${scope.service}/aws4_request`, sha256Hex(canonicalRequest)].join('\n');
  return sameSignature(param('X-Amz-Signature'), sigv4Signature(credentials.secretAccessKey, scope, stringToSign)) ? null : signatureMismatch(scope.accessKeyId, stringToSign);
}

/**
 * Makes this s3rver refuse a presigned request whose signature `credentials` did not make. First of its middleware,
 * so that it sees the path as the client signed it, before s3rver reads the bucket out of the host name.
 */
export function refuseForgedPresignedUrls(s3rver: S3rver, credentials: SigningCredentials): void {
  const check: Middleware = async (ctx: RequestContext, next) => {
    if (/[?&]X-Amz-Algorithm=/.test(ctx.url)) {
      const refusal = checkPresignedSignature({ method: ctx.method, url: ctx.url, header: (name) => ctx.get(name) }, credentials);
      if (refusal) throw toS3Error(refusal);
    }
    return next();
  };
  s3rver.middleware.unshift(check);
}
