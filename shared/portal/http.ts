import { z } from 'zod';
import { API_ERRORS, type ApiErrorBody, type ApiErrorCode } from './contract.js';

/** A request as the API's use cases see it, whichever server carried it (API Gateway, the local server). */
export interface ApiRequest {
  method: string;
  /** The path without the query, e.g. `/api/departments/science/months`. */
  path: string;
  query: Record<string, string | undefined>;
  /** The `Authorization` header as sent. */
  authorization: string | undefined;
  /** The body as text; undefined when there is none. */
  body: string | undefined;
}

/** What the API answers: JSON, or a file. */
export type ApiResponse =
  | { status: number; json: unknown }
  | { status: number; file: { bytes: Uint8Array; contentType: string; fileName: string } };

/** A refusal the API answers with its status and `{error: {code, message}}`; the message is Chinese, then English. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    readonly text: { zh: string; en: string },
  ) {
    super(`${text.zh} ${text.en}`);
  }

  get status(): number {
    return API_ERRORS[this.code];
  }

  body(): ApiErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The input as the schema reads it, or `request.invalid` naming each field that is wrong. */
export function validated<T>(schema: z.ZodType<T>, input: unknown, what: { zh: string; en: string }): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  throw new ApiError('request.invalid', { zh: `${what.zh}有误：${issues}`, en: `The ${what.en} is not valid: ${issues}` });
}

/** A JSON body, or `request.invalid` when it is none. */
export function jsonBody(body: string | undefined): unknown {
  if (body === undefined || body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError('request.invalid', { zh: '请求正文不是 JSON。', en: 'The request body is not JSON.' });
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

/** `attachment` with the name in RFC 6266's UTF-8 form, which every current browser reads, and a plain one for the rest. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
