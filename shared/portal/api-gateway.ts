import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { attachmentDisposition, type ApiRequest, type ApiResponse } from './http.js';

/**
 * The API's requests and answers as API Gateway's HTTP API (payload format 2.0) carries them. The local server
 * builds the same events, so the page reaches the same handler locally as on AWS.
 */

export function apiRequestOf(event: APIGatewayProxyEventV2): ApiRequest {
  const body = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: event.queryStringParameters ?? {},
    // HTTP API lower-cases header names.
    authorization: event.headers.authorization,
    body,
  };
}

/** Nothing the API answers is for a cache: each answer is one user's. */
const PRIVATE = { 'cache-control': 'no-store' } as const;

export function httpResultOf(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  if ('json' in response) {
    return { statusCode: response.status, headers: { ...PRIVATE, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(response.json) };
  }
  const { bytes, contentType, fileName } = response.file;
  return {
    statusCode: response.status,
    headers: {
      ...PRIVATE,
      'content-type': contentType,
      'content-disposition': attachmentDisposition(fileName),
    },
    body: Buffer.from(bytes).toString('base64'),
    isBase64Encoded: true,
  };
}
