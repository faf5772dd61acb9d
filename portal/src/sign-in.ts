import type { LocalSignInBody, LocalSignInResponse } from '../../shared/portal/contract.js';
import { api, ApiError, session } from './api.js';
import { authorizeUrl, base64url, codeChallenge, tokenEndpoint, tokenRequestBody, VERIFIER_BYTES, type CognitoConfig } from './lib/pkce.js';

/** What the page keeps across the round trip to the managed login, for this tab only. */
const PENDING_KEY = 'portal.pendingSignIn';

interface PendingSignIn {
  verifier: string;
  state: string;
  /** The hash route the user was on, to return to. */
  hash: string;
}

const randomText = (bytes: number) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

export async function signInLocally(user: string): Promise<void> {
  const body: LocalSignInBody = { user };
  const { token } = await api<LocalSignInResponse>('localSignIn', { body });
  session.keep(token);
}

export async function startCognitoSignIn(config: CognitoConfig): Promise<void> {
  const pending: PendingSignIn = { verifier: randomText(VERIFIER_BYTES), state: randomText(16), hash: location.hash };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(authorizeUrl(config, { challenge: await codeChallenge(pending.verifier), state: pending.state }));
}

/** Trades the code the managed login returned for an ID token, and puts the address back as it was before sign-in. */
export async function finishCognitoSignIn(config: CognitoConfig, { code, state }: { code: string; state: string }): Promise<void> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as PendingSignIn | null;
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `${location.pathname}${pending?.hash ?? ''}`);
  if (!pending || pending.state !== state) {
    throw new ApiError(0, 'auth.state_mismatch', '登录未完成（来源不符），请重新登录 Sign-in did not complete (it did not start here); please sign in again');
  }
  const response = await fetch(tokenEndpoint(config), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(config, { code, verifier: pending.verifier }),
  }).catch(() => null);
  const tokens = response?.ok ? ((await response.json()) as { id_token?: string }) : null;
  if (!tokens?.id_token) throw new ApiError(response?.status ?? 0, 'auth.token_exchange', '登录未完成，请重新登录 Sign-in did not complete; please sign in again');
  session.keep(tokens.id_token);
}
