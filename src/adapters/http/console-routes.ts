import fs from 'node:fs';
import path from 'node:path';
import express from 'express';

/**
 * The console's Content-Security-Policy: its own scripts and styles only (no inline script, no
 * eval, nothing from elsewhere); blob: for previews of faxes and scans fetched with the bearer
 * token; connections to this origin only (HTTP and the graphql-ws WebSocket).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "manifest-src 'self'",
].join('; ');

/** Paths that belong to the API: never answered with the console's page. */
const API_PREFIXES = ['/graphql', '/files', '/cases/', '/reports/', '/status', '/healthz', '/readyz', '/webhooks', '/metrics', '/assets/'];

/** The built console (dist/web): from the repository root, whether running from src (jest) or dist. */
export function defaultConsoleDir(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'web');
    dir = path.dirname(dir);
  }
  return path.resolve(from, '..', '..', '..', 'dist', 'web');
}

/**
 * Serves the console at `/`: the hashed assets (cached for good), and index.html for every other
 * GET that asks for HTML (the console's own paths such as /kasus/<id>), never cached. Mounted after
 * every API route, so it answers only what nothing else did. Without a built console, nothing.
 */
export function consoleRoutes(dir: string): express.Router {
  const router = express.Router();
  const index = path.join(dir, 'index.html');
  const setCsp = (res: express.Response) => res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
      setHeaders: (res) => setCsp(res as express.Response),
    }),
  );
  router.get(/.*/, (req, res, next) => {
    const p = req.path;
    if (API_PREFIXES.some((prefix) => p === prefix.replace(/\/$/, '') || p.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))) return next();
    if (!req.accepts('html')) return next();
    if (!fs.existsSync(index)) return next();
    setCsp(res);
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(index);
  });
  return router;
}
