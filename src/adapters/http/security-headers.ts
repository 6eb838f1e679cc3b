import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Options of {@link securityHeaders}. */
export interface SecurityHeadersOptions {
  /**
   * Relax the Content-Security-Policy so Apollo's development landing page (embedded Sandbox, loaded
   * from Apollo's CDNs) can render. Never in production, where the landing page is disabled anyway.
   */
  readonly allowLandingPage?: boolean;
}

const APOLLO_CDN = 'https://apollo-server-landing-page.cdn.apollographql.com';

/**
 * A JSON API serves nothing a browser should render, run or frame: `default-src 'none'` and
 * `frame-ancestors 'none'` say so for any response a browser does open directly.
 */
const JSON_API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

/** What Apollo's landing page (Apollo Server 5, embedded Sandbox) loads. Development only. */
const LANDING_PAGE_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'", APOLLO_CDN, 'https://embeddable-sandbox.cdn.apollographql.com', 'https://embeddable-explorer.cdn.apollographql.com'],
    styleSrc: ["'self'", "'unsafe-inline'", APOLLO_CDN, 'https://fonts.googleapis.com'],
    fontSrc: ["'self'", 'data:', 'https://fonts.gstatic.com'],
    imgSrc: ["'self'", 'data:', APOLLO_CDN],
    manifestSrc: ["'self'", APOLLO_CDN],
    frameSrc: ["'self'", 'https://sandbox.embed.apollographql.com', 'https://explorer.embed.apollographql.com'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
  },
};

/**
 * Security headers for the HTTP API (helmet): CSP `default-src 'none'; frame-ancestors 'none'`,
 * `X-Content-Type-Options: nosniff`, HSTS (1 year, subdomains), `Referrer-Policy: no-referrer`,
 * `X-Frame-Options: DENY`, and helmet's other defaults (no `X-Powered-By`, CORP same-origin, ...).
 * Mount before every route: `app.use(securityHeaders({ allowLandingPage: !config.production }))`.
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): RequestHandler {
  return helmet({
    contentSecurityPolicy: options.allowLandingPage ? LANDING_PAGE_CSP : JSON_API_CSP,
    xContentTypeOptions: true,
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    xPoweredBy: true,
  });
}
