import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { roleName, type Role } from '../../shared/roles.js';

/**
 * The local portal's sign-in: the users of a district (a clerk and a head per department, and the office), and ID
 * tokens for them shaped as Cognito issues them (the same claims, RS256), signed with a key made at start and
 * verified by the same code as on AWS (shared/aws/id-tokens.ts) against a user pool of its own.
 */

/** A user pool id in Cognito's format, so that the verifier takes the local issuer for one. */
export const LOCAL_USER_POOL = { userPoolId: 'ap-east-1_localportal', clientId: 'local-portal' } as const;

export interface LocalUser {
  /** `<department>-clerk`, `<department>-head`, `office`. */
  id: string;
  email: string;
  roles: Role[];
}

/** The local users of these departments: a clerk and a head of each, and one office user who reads them all. */
export function localUsers(departments: readonly string[]): LocalUser[] {
  const user = (id: string, role: Role): LocalUser => ({ id, email: `${id}@portal.local`, roles: [role] });
  return [
    ...departments.flatMap((department) => [user(`${department}-clerk`, { kind: 'clerk', department }), user(`${department}-head`, { kind: 'head', department })]),
    user('office', { kind: 'office' }),
  ];
}

/** How long a local token lasts, as Cognito's default for ID tokens. */
const TOKEN_SECONDS = 3600;

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export class LocalSignIn {
  private readonly privateKey: KeyObject;
  private readonly kid = randomUUID();
  /** The public half, as a user pool publishes its keys. */
  readonly jwks: Jwks;

  constructor(private readonly region = LOCAL_USER_POOL.userPoolId.split('_')[0] ?? '') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig', kty: 'RSA' }] };
  }

  /** An ID token for the user, valid from `now` (seconds since the epoch) for an hour. */
  idToken(user: LocalUser, now = Math.floor(Date.now() / 1000)): string {
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid };
    const payload = {
      sub: randomUUID(),
      iss: `https://cognito-idp.${this.region}.amazonaws.com/${LOCAL_USER_POOL.userPoolId}`,
      aud: LOCAL_USER_POOL.clientId,
      token_use: 'id',
      auth_time: now,
      iat: now,
      exp: now + TOKEN_SECONDS,
      'cognito:username': user.id,
      email: user.email,
      'cognito:groups': user.roles.map(roleName),
    };
    const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    return `${signed}.${base64url(sign('RSA-SHA256', Buffer.from(signed), this.privateKey))}`;
  }
}
