import { PORTAL_CONFIG_FILE, type API_ROUTES, type ApiErrorBody, type PortalConfig, type UploadGrant } from '../../shared/portal/contract.js';
import { apiRequest } from './lib/api-paths.js';

/** The signed-in user's ID token lives as long as the tab: sessionStorage, never localStorage. */
const TOKEN_KEY = 'portal.idToken';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  keep: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  forget: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** An error as the API (or the bucket, or the network) answered it: its code and its message, already bilingual. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let signedOut = () => {};
/** What to do when the API no longer takes the token: the page goes back to sign-in. */
export function whenSignedOut(handler: () => void): void {
  signedOut = handler;
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as Partial<ApiErrorBody> | null;
  if (body?.error) return new ApiError(response.status, body.error.code, body.error.message);
  return new ApiError(response.status, 'server.fault', `服务器未能答复（HTTP ${response.status}） The server could not answer (HTTP ${response.status})`);
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试 Could not reach the server: check the connection and try again');
  }
}

interface ApiCall {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/** A call of the API with the user's token; a 401 forgets the token and signs the user out. */
export async function apiResponse(route: keyof typeof API_ROUTES, { params, query, body }: ApiCall = {}): Promise<Response> {
  const { method, path } = apiRequest(route, params);
  const token = session.token();
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const search = query ? `?${new URLSearchParams(query)}` : '';
  const response = await send(`${path}${search}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (response.status === 401) {
    session.forget();
    signedOut();
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function api<T>(route: keyof typeof API_ROUTES, call: ApiCall = {}): Promise<T> {
  return (await apiResponse(route, call)).json() as Promise<T>;
}

export async function portalConfig(): Promise<PortalConfig> {
  const response = await send(`/${PORTAL_CONFIG_FILE}`, { cache: 'no-store' });
  if (!response.ok) throw await errorOf(response);
  return response.json() as Promise<PortalConfig>;
}

/** The presigned POST: every field of the grant as it is, the file last, straight to the bucket. */
export async function sendToBucket(grant: UploadGrant, file: File): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
  form.append('file', file);
  const response = await send(grant.url, { method: 'POST', body: form, mode: 'cors' });
  if (response.ok) return;
  const code = /<Code>([^<]+)<\/Code>/.exec(await response.text().catch(() => ''))?.[1] ?? `HTTP ${response.status}`;
  throw new ApiError(response.status, 'upload.refused', `文件未能存入（${code}），请重试 The file could not be stored (${code}); please try again`);
}

/** Hands a response's body to the browser as a download under the name given. */
export async function download(response: Response, fileName: string): Promise<void> {
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download asynchronously; the object URL must outlive it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
