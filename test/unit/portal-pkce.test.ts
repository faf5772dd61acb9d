import { describe, expect, it } from 'vitest';
import { authorizeUrl, base64url, codeChallenge, logoutUrl, signInReturnOf, tokenEndpoint, tokenRequestBody, type CognitoConfig } from '../../portal/src/lib/pkce.js';

const config: CognitoConfig = {
  signIn: 'cognito',
  domain: 'https://department-metrics-prod.auth.ap-east-1.amazoncognito.com',
  clientId: 'client123',
  redirectUri: 'https://portal.example.gov.cn/',
};

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B from its verifier', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('writes bytes as unpadded base64url, which a URL carries as it is', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('-__-');
    expect(base64url(new Uint8Array(32).fill(7))).toHaveLength(43);
  });
});

describe('authorizeUrl', () => {
  it('asks the managed login for a code with the client, callback, scope, challenge and state', () => {
    const url = new URL(authorizeUrl(config, { challenge: 'CHALLENGE', state: 'STATE' }));
    expect(`${url.origin}${url.pathname}`).toBe(`${config.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://portal.example.gov.cn/',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      code_challenge: 'CHALLENGE',
      state: 'STATE',
    });
  });
});

describe('the token request', () => {
  it('posts the code, the callback and the verifier to the token endpoint as a form', () => {
    expect(tokenEndpoint(config)).toBe(`${config.domain}/oauth2/token`);
    const body = tokenRequestBody(config, { code: 'the code', verifier: 'VERIFIER' });
    expect(body.toString()).toBe(
      'grant_type=authorization_code&client_id=client123&code=the+code&redirect_uri=https%3A%2F%2Fportal.example.gov.cn%2F&code_verifier=VERIFIER',
    );
  });
});

describe('signInReturnOf', () => {
  it.each([
    { search: '?code=abc&state=xyz', expected: { code: 'abc', state: 'xyz' } },
    { search: '?error=access_denied&error_description=User+cancelled', expected: { error: 'User cancelled' } },
    { search: '?error=invalid_request', expected: { error: 'invalid_request' } },
    { search: '', expected: null },
    { search: '?year=2026', expected: null },
  ])('reads $search', ({ search, expected }) => {
    expect(signInReturnOf(search)).toEqual(expected);
  });
});

describe('logoutUrl', () => {
  it("ends the managed login's session and comes back to the page, which the client lists as its logout URL", () => {
    const url = new URL(logoutUrl(config));
    expect(`${url.origin}${url.pathname}`).toBe(`${config.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: config.clientId, logout_uri: config.redirectUri });
  });
});
