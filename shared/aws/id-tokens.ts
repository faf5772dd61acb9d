import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { z } from 'zod';
import { principalOf, type Principal } from '../roles.js';

/**
 * The user behind a request, from the Cognito ID token it carries: verified (signature against the user pool's
 * keys, issuer, audience, expiry, token use) by aws-jwt-verify, never by hand, then read as a Principal. The local
 * portal signs the same tokens for a user pool of its own and verifies them here too, with its keys given.
 */

export interface IdTokens {
  /** The principal of a valid token; null for a missing, expired, wrongly signed or otherwise invalid one. */
  principalOf(token: string | undefined): Promise<Principal | null>;
}

/** The claims read of a verified ID token. */
const claimsSchema = z.object({
  'cognito:username': z.string().min(1),
  email: z.string().optional(),
  'cognito:groups': z.array(z.string()).optional(),
});

export interface UserPool {
  /** e.g. ap-east-1_AbCdEf123 */
  userPoolId: string;
  /** The app client the portal signs in with: a token for another client is refused. */
  clientId: string;
  /** The pool's public keys, when known without fetching them (the local portal's). */
  jwks?: Jwks;
}

export function cognitoIdTokens(pool: UserPool): IdTokens {
  const verifier = CognitoJwtVerifier.create({ userPoolId: pool.userPoolId, clientId: pool.clientId, tokenUse: 'id' });
  if (pool.jwks) verifier.cacheJwks(pool.jwks);
  return {
    async principalOf(token) {
      if (token === undefined || token === '') return null;
      let payload: unknown;
      try {
        payload = await verifier.verify(token);
      } catch {
        // Why a token is refused is the verifier's to know; the caller answers 401 whatever it was.
        return null;
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return null;
      return principalOf(claims.data['cognito:username'], claims.data.email ?? null, claims.data['cognito:groups'] ?? []);
    },
  };
}
