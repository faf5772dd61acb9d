import { createHmac, timingSafeEqual } from 'node:crypto';
import S3Error from 's3rver/lib/models/error.js';

/**
 * What the local S3 stand-in needs of Signature Version 4 to check a browser's presigned POST and a presigned link
 * as S3 does: the signing key of a credential's scope, and an answer in the shape of S3's error documents.
 */

/** The key pair requests are signed with. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What S3 answers a refused request with: the code, message and further elements of its XML error document. */
export interface S3Refusal {
  code: string;
  message: string;
  detail?: Record<string, string | number>;
}

/** The refusal as s3rver answers it: its XML error document, with the status S3 gives the code. */
export function toS3Error(refusal: S3Refusal): S3Error {
  return new S3Error(refusal.code, refusal.message, refusal.detail);
}

/** The only algorithm SigV4 names. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** A credential's scope, `<access key>/<yyyymmdd>/<region>/<service>/aws4_request`, taken apart. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/** The scope a credential names, or null when it is not one. */
export function parseCredential(credential: string): CredentialScope | null {
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || !date || !/^\d{8}$/.test(date) || !region || !service || terminator !== 'aws4_request' || rest.length > 0) return null;
  return { accessKeyId, date, region, service };
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** The hex signature of `stringToSign` under the secret's key for the scope's day, region and service. */
export function sigv4Signature(secretAccessKey: string, scope: CredentialScope, stringToSign: string): string {
  const key = [scope.date, scope.region, scope.service, 'aws4_request'].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${secretAccessKey}`);
  return hmac(key, stringToSign).toString('hex');
}

/** Compares signatures in constant time, so that a guess learns nothing from how long the answer took. */
export function sameSignature(provided: string, expected: string): boolean {
  const [a, b] = [Buffer.from(provided), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** S3's answer to an access key it does not know. */
export function unknownAccessKey(accessKeyId: string): S3Refusal {
  return {
    code: 'InvalidAccessKeyId',
    message: 'The AWS Access Key Id you provided does not exist in our records.',
    detail: { AWSAccessKeyId: accessKeyId },
  };
}

/** S3's answer to a signature that is not the one it computes. */
export function signatureMismatch(accessKeyId: string, stringToSign: string): S3Refusal {
  return {
    code: 'SignatureDoesNotMatch',
    message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    detail: { AWSAccessKeyId: accessKeyId, StringToSign: stringToSign },
  };
}
