import { describe, expect, it } from 'vitest';
import { cognitoIdTokens } from '../../shared/aws/id-tokens.js';
import { LOCAL_USER_POOL, LocalSignIn, localUsers } from '../../cli/local/sign-in.js';

const signIn = new LocalSignIn();
const tokens = cognitoIdTokens({ ...LOCAL_USER_POOL, jwks: signIn.jwks });
const [scienceClerk] = localUsers(['science']);
const now = () => Math.floor(Date.now() / 1000);

function user() {
  if (!scienceClerk) throw new Error('no local users');
  return scienceClerk;
}

/** A token with one part of it replaced, as a forger or a damaged copy would send it. */
function withPayload(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  change(claims);
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

describe('the local users', () => {
  it('are a clerk and a head of each department, and the office', () => {
    expect(localUsers(['science', 'education']).map(({ id, roles }) => ({ id, roles }))).toEqual([
      { id: 'science-clerk', roles: [{ kind: 'clerk', department: 'science' }] },
      { id: 'science-head', roles: [{ kind: 'head', department: 'science' }] },
      { id: 'education-clerk', roles: [{ kind: 'clerk', department: 'education' }] },
      { id: 'education-head', roles: [{ kind: 'head', department: 'education' }] },
      { id: 'office', roles: [{ kind: 'office' }] },
    ]);
  });
});

describe('an ID token, verified by aws-jwt-verify against the user pool', () => {
  it('gives the user, the e-mail and the roles a signed token names', async () => {
    await expect(tokens.principalOf(signIn.idToken(user()))).resolves.toEqual({
      user: 'science-clerk',
      email: 'science-clerk@portal.local',
      roles: [{ kind: 'clerk', department: 'science' }],
    });
  });

  it.each([
    { token: 'no token at all', make: () => undefined },
    { token: 'an empty token', make: () => '' },
    { token: 'not a JWT', make: () => 'abc.def' },
    { token: 'an expired token', make: () => signIn.idToken(user(), now() - 7200) },
    { token: 'a token signed with another key', make: () => new LocalSignIn().idToken(user()) },
    { token: 'a token whose groups were changed after signing', make: () => withPayload(signIn.idToken(user()), (claims) => void (claims['cognito:groups'] = ['office'])) },
  ])('refuses $token', async ({ make }) => {
    await expect(tokens.principalOf(make())).resolves.toBeNull();
  });

  it('refuses a token the pool signed for another app client', async () => {
    const otherClient = cognitoIdTokens({ ...LOCAL_USER_POOL, clientId: 'another-client', jwks: signIn.jwks });

    await expect(otherClient.principalOf(signIn.idToken(user()))).resolves.toBeNull();
  });
});
