/**
 * The portal's security headers, the one home of them: CloudFront's response headers policy on AWS and the local
 * server send the same. The page loads nothing but its own files; it talks to its own origin (the API), to the
 * upload bucket (the presigned POST) and, on AWS, to the user pool's managed login (the token exchange).
 */

export interface PortalOrigins {
  /** Where the browser POSTs uploads: the upload bucket's regional endpoint, or the local S3 stand-in. */
  upload: string;
  /** The user pool's managed login, whose token endpoint the page calls; none locally. */
  signIn?: string;
}

/** A year, with subdomains: what HSTS preload lists ask of a site. */
export const HSTS_SECONDS = 365 * 24 * 60 * 60;

/** The Content-Security-Policy: no inline script or style, no plugins, never framed, forms only to its own origins. */
export function contentSecurityPolicy(origins: PortalOrigins): string {
  const talksTo = ["'self'", origins.upload, ...(origins.signIn ? [origins.signIn] : [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${talksTo}`,
    `form-action ${talksTo}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The headers every response of the portal carries, as name → value. */
export function securityHeaders(origins: PortalOrigins): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(origins),
    'strict-transport-security': `max-age=${HSTS_SECONDS}; includeSubDomains`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}
