import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { securityHeaders } from '../../../src/adapters/http/security-headers';

async function headersFor(options?: Parameters<typeof securityHeaders>[0]): Promise<Headers> {
  const app = express();
  app.use(securityHeaders(options));
  app.get('/graphql', (_req, res) => {
    res.json({ data: null });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/graphql`);
    await response.text();
    return response.headers;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('securityHeaders', () => {
  it('locks a JSON API down', async () => {
    const h = await headersFor();
    expect(h.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('x-powered-by')).toBeNull();
  });

  it('is strict unless the landing page is explicitly allowed', async () => {
    expect((await headersFor({ allowLandingPage: false })).get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('relaxes only the CSP for the development landing page', async () => {
    const h = await headersFor({ allowLandingPage: true });
    const csp = h.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain('https://apollo-server-landing-page.cdn.apollographql.com');
    expect(csp).toContain('frame-src');
    expect(csp).toContain('https://sandbox.embed.apollographql.com');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('referrer-policy')).toBe('no-referrer');
  });
});
