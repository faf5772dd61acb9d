import type { PortalConfig } from '../../../shared/portal/contract.js';

/**
 * Signing in with the user pool's managed login: the authorization code flow with PKCE (RFC 7636, S256), as pure
 * functions of their inputs so that the page supplies the randomness and the storage.
 */

export type CognitoConfig = Extract<PortalConfig, { signIn: 'cognito' }>;

/** What the user pool is asked for: an ID token naming the user and their groups. */
export const SIGN_IN_SCOPE = 'openid email profile';

/** 32 random bytes make a 43-character verifier, RFC 7636's minimum length. */
export const VERIFIER_BYTES = 32;

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The S256 challenge of a verifier: the base64url of its SHA-256. */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function authorizeUrl(config: CognitoConfig, { challenge, state }: { challenge: string; state: string }): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: SIGN_IN_SCOPE,
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  });
  return `${config.domain}/oauth2/authorize?${query}`;
}

export const tokenEndpoint = (config: CognitoConfig) => `${config.domain}/oauth2/token`;

/** The managed login's sign-out, which ends its own session too and comes back to the page (the client's logout URL). */
export function logoutUrl(config: CognitoConfig): string {
  const query = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri });
  return `${config.domain}/logout?${query}`;
}

/** The form the page POSTs to the token endpoint for the code it came back with. */
export function tokenRequestBody(config: CognitoConfig, { code, verifier }: { code: string; verifier: string }): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: config.clientId,
    code,
    redirect_uri: config.redirectUri,
    code_verifier: verifier,
  });
}

/** What the managed login sent the browser back with: a code and its state, an error, or nothing (no sign-in under way). */
export type SignInReturn = { code: string; state: string } | { error: string } | null;

export function signInReturnOf(search: string): SignInReturn {
  const query = new URLSearchParams(search);
  const error = query.get('error');
  if (error) return { error: query.get('error_description') ?? error };
  const code = query.get('code');
  return code ? { code, state: query.get('state') ?? '' } : null;
}
