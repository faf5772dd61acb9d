import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import { catalog } from '../../shared/catalog/catalog.js';
import { ENV } from '../../shared/config.js';
import { API_ROUTES, PORTAL_CONFIG_FILE, type LocalSignInResponse, type PortalConfig } from '../../shared/portal/contract.js';
import { ApiError, jsonBody, validated } from '../../shared/portal/http.js';
import { securityHeaders } from '../../shared/portal/security-headers.js';
import { roleName } from '../../shared/roles.js';
import { outboxEntries, type OutboxEntry } from './outbox.js';
import { LOCAL_USER_POOL, LocalSignIn, localUsers, type LocalUser } from './sign-in.js';
import { localContext, LOCAL_RESOURCES, type LocalStores } from './stores.js';

/**
 * The portal on 127.0.0.1, as CloudFront serves it on AWS: the built page and its configuration, and `/api/*`
 * handed to the real API function as API Gateway's HTTP API would invoke it. What AWS has and the local run has
 * not is the user pool: `POST /api/local/sign-in` signs Cognito-shaped tokens with a key of its own, which the
 * function verifies by the same code as Cognito's.
 */

export interface LocalPortal {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  users: LocalUser[];
  /** The local user pool's signer, whose tokens the API takes. */
  signIn: LocalSignIn;
  close(): Promise<void>;
}

const API_PREFIX = '/api/';
/** An API request body is a few hundred bytes; nothing the page sends comes near this. */
const MAX_BODY_BYTES = 2 ** 20;
const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const [localSignInMethod = '', localSignInPath = ''] = API_ROUTES.localSignIn.split(' ');
const signInSchema = z.strictObject({ user: z.string().min(1) });
/** The local run's outbox: what AWS sends through SES and the robots, the local run writes down, and shows here. */
const OUTBOX_API_PATH = '/api/local/outbox';
const OUTBOX_PAGE_PATH = '/local/outbox';

const escaped = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The outbox as a page of its own, newest first: no script, so that the portal's security headers hold as they are. */
function outboxPage(entries: OutboxEntry[]): string {
  const items = entries
    .map((e) => `<article><h2>${escaped(e.subject)}</h2><p>${e.channel === 'email' ? '邮件 e-mail' : '群机器人 robot'} → ${escaped(e.to)} · <code>${escaped(e.file)}</code></p><pre>${escaped(e.text)}</pre></article>`)
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>发件箱 Outbox</title></head><body><h1>发件箱 Outbox (${entries.length})</h1>${items || '<p>暂无消息 / No messages yet.</p>'}</body></html>`;
}

/** A path's percent-encoding undone; null for one that is not valid percent-encoding, which names no file. */
function decodedPath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** A request's body, refused past MAX_BODY_BYTES. */
async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError('request.invalid', { zh: '请求正文过大。', en: 'The request body is too large.' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The HTTP API's payload-2.0 event for a request, as API Gateway builds it once its authorizer has let it through. */
function apiGatewayEvent(request: IncomingMessage, url: URL, body: Buffer): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(Object.entries(request.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
  const method = request.method ?? 'GET';
  const query = Object.fromEntries(url.searchParams);
  return {
    version: '2.0',
    routeKey: `ANY ${API_PREFIX}{proxy+}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    body: body.length > 0 ? body.toString('base64') : undefined,
    isBase64Encoded: body.length > 0,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: crypto.randomUUID(),
      routeKey: `ANY ${API_PREFIX}{proxy+}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
}

export interface LocalPortalOptions {
  /** The local stores the pipeline runs on (their environment is already the process's). */
  stores: LocalStores;
  /** The built page (portal/build.ts). */
  pageDirectory: string;
  /** 0 picks a free port. */
  port: number;
  /** The local run's outbox, listed at `GET /api/local/outbox` and shown at `/local/outbox`; none when not given. */
  outboxDirectory?: string;
}

/** Serves the portal until closed. The API function is imported here, once its settings are in the environment. */
export async function startLocalPortal({ stores, pageDirectory, port, outboxDirectory }: LocalPortalOptions): Promise<LocalPortal> {
  const signIn = new LocalSignIn();
  const users = localUsers(catalog.departments.map((department) => department.id));
  Object.assign(process.env, {
    [ENV.uploadBucket]: LOCAL_RESOURCES.uploadBucket,
    [ENV.userPoolId]: LOCAL_USER_POOL.userPoolId,
    [ENV.userPoolClientId]: LOCAL_USER_POOL.clientId,
    [ENV.userPoolJwks]: JSON.stringify(signIn.jwks),
  });
  const api = await import('../../functions/api/handler.js');
  const headers = securityHeaders({ upload: new URL(stores.env.AWS_ENDPOINT_URL_S3 ?? '').origin });
  const config: PortalConfig = { signIn: 'local', users: users.map((user) => ({ id: user.id, roles: user.roles.map(roleName) })) };

  function send(response: ServerResponse, status: number, type: string, body: string | Uint8Array, extra: Record<string, string> = {}): void {
    response.writeHead(status, { ...headers, 'content-type': type, ...extra });
    response.end(body);
  }
  const sendJson = (response: ServerResponse, status: number, value: unknown) =>
    send(response, status, MEDIA_TYPES['.json'] ?? '', JSON.stringify(value), { 'cache-control': 'no-store' });

  function sendResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
    const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
    response.writeHead(result.statusCode ?? 200, { ...headers, ...(result.headers as Record<string, string>) });
    response.end(body);
  }

  async function localSignIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { user: id } = validated(signInSchema, jsonBody((await bodyOf(request)).toString('utf8')), { zh: '登录请求', en: 'sign-in request' });
    const user = users.find((candidate) => candidate.id === id);
    if (!user) {
      const ids = users.map((candidate) => candidate.id).join(', ');
      throw new ApiError('request.invalid', { zh: `没有用户“${id}”；可用：${ids}`, en: `There is no user "${id}"; the users are ${ids}` });
    }
    const body: LocalSignInResponse = { token: signIn.idToken(user) };
    sendJson(response, 200, body);
  }

  async function page(url: URL, response: ServerResponse): Promise<void> {
    if (url.pathname === `/${PORTAL_CONFIG_FILE}`) return sendJson(response, 200, config);
    const decoded = decodedPath(url.pathname === '/' ? '/index.html' : url.pathname);
    if (decoded === null) return send(response, 404, 'text/plain; charset=utf-8', 'not found');
    const relative = normalize(decoded).replace(/^[/\\]+/, '');
    const path = join(pageDirectory, relative);
    if (!path.startsWith(`${pageDirectory}${sep}`)) return send(response, 404, 'text/plain; charset=utf-8', 'not found');
    const bytes = await readFile(path).catch(() => null);
    if (bytes === null) return send(response, 404, 'text/plain; charset=utf-8', 'not found');
    send(response, 200, MEDIA_TYPES[extname(path)] ?? 'application/octet-stream', bytes);
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    try {
      if (url.pathname === localSignInPath && request.method === localSignInMethod) return await localSignIn(request, response);
      if (outboxDirectory !== undefined && request.method === 'GET' && url.pathname === OUTBOX_API_PATH) return sendJson(response, 200, await outboxEntries(outboxDirectory));
      if (outboxDirectory !== undefined && request.method === 'GET' && url.pathname === OUTBOX_PAGE_PATH) {
        return send(response, 200, MEDIA_TYPES['.html'] ?? '', outboxPage(await outboxEntries(outboxDirectory)), { 'cache-control': 'no-store' });
      }
      if (url.pathname.startsWith(API_PREFIX)) {
        const event = apiGatewayEvent(request, url, await bodyOf(request));
        return sendResult(response, await api.handler(event, localContext('api')));
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed');
      return await page(url, response);
    } catch (error) {
      if (error instanceof ApiError) return sendJson(response, error.status, error.body());
      const fault = new ApiError('server.fault', { zh: '本地服务器出错。', en: 'The local server failed.' });
      console.error(error);
      return sendJson(response, fault.status, fault.body());
    }
  }

  const server = createServer((request, response) => void serve(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    users,
    signIn,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // A browser keeps its connections open; closing them lets the server end now.
        server.closeAllConnections();
      }),
  };
}
