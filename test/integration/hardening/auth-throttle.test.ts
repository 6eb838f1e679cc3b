import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { as, GqlResult, startTestApp } from '../../support/test-app';
import { firstExtensions, waitFor } from '../credentials/support';

const ME = '{ me { role } }';
const BUDGET = 5;

/** Failed authentications are throttled per client address (X-Forwarded-For is trusted here, so each test picks its own). */
describe('throttling failed authentications', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let base: string;

  const post = async (ip: string, token: string): Promise<{ status: number; headers: Headers; body: GqlResult }> => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-forwarded-for': ip },
      body: JSON.stringify({ query: ME }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult };
  };
  const get = async (path: string, ip: string, token: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult };
  };
  const expectRateLimited = (r: { status: number; headers: Headers; body: GqlResult }) => {
    expect(r.status).toBe(429);
    const ext = firstExtensions(r.body)!;
    expect(ext).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(ext.retryAfterSeconds).toBeGreaterThan(0);
    expect(r.headers.get('retry-after')).toBe(String(ext.retryAfterSeconds));
    expect(ext.http).toBeUndefined();
  };

  beforeAll(async () => {
    const db = await createTestDatabase('auth_throttle');
    drop = db.drop;
    app = await startTestApp(db.url, undefined, { trustProxy: true, authFailuresPerMinute: BUDGET });
    base = app.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('GraphQL over HTTP: after the budget of unknown tokens, the address gets 429 RATE_LIMITED with Retry-After, even with a good token', async () => {
    const guesses = await Promise.all(Array.from({ length: 40 }, (_, i) => post('203.0.113.50', `lkt_guess-${i}`)));
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(BUDGET);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - BUDGET);
    expectRateLimited(guesses.find((r) => r.status === 429)!);

    const good = as(app, 'ADMIN').token!;
    expectRateLimited(await post('203.0.113.50', good));
    // Another address is not affected.
    const elsewhere = await post('198.51.100.50', good);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.data!.me.role).toBe('ADMIN');
  });

  it('valid credentials are not charged: many good requests from one address pass', async () => {
    const good = as(app, 'CLERK').token!;
    for (let i = 0; i < BUDGET * 3; i++) expect((await post('198.51.100.60', good)).status).toBe(200);
    expect((await post('198.51.100.60', 'lkt_one-wrong-guess')).status).toBe(401);
  });

  it('GET /files/:id and the receipt route share the throttle', async () => {
    const file = '/files/0000000000000000000000000000000000000000000000000000000000000000';
    const receipt = '/cases/00000000-0000-4000-8000-000000000000/receipt.pdf';
    for (let i = 0; i < BUDGET; i++) {
      const r = await get(i % 2 ? file : receipt, '203.0.113.51', `lkt_file-guess-${i}`);
      expect(r.status).toBe(401);
      expect(firstExtensions(r.body)?.code).toBe('UNAUTHENTICATED');
    }
    expectRateLimited(await get(file, '203.0.113.51', 'lkt_file-guess-x'));
    expectRateLimited(await get(receipt, '203.0.113.51', 'lkt_file-guess-y'));
    expectRateLimited(await post('203.0.113.51', 'lkt_and-graphql-too'));
  });

  it('WebSocket connection_init: past the budget the socket is closed with 4429', async () => {
    const connect = (token: string) => {
      const closes: { code: number; reason: string }[] = [];
      class FromAddress extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { 'x-forwarded-for': '203.0.113.52' } });
        }
      }
      const client = createClient({
        url: app.url.replace(/^http/, 'ws'),
        webSocketImpl: FromAddress,
        retryAttempts: 0,
        lazy: false,
        connectionParams: { authorization: `Bearer ${token}` },
        on: { closed: (e) => closes.push({ code: (e as { code: number }).code, reason: String((e as { reason?: string }).reason ?? '') }) },
        onNonLazyError: () => undefined,
      });
      return { client, closes };
    };
    for (let i = 0; i < BUDGET; i++) {
      const c = connect(`lkt_ws-guess-${i}`);
      await waitFor(() => c.closes.length > 0, 'the server to refuse the guess');
      expect(c.closes[0].code).toBe(4401);
      await c.client.dispose();
    }
    const limited = connect(as(app, 'ADMIN').token!);
    await waitFor(() => limited.closes.length > 0, 'the server to refuse the address');
    expect(limited.closes[0].code).toBe(4429);
    expect(limited.closes[0].reason).toMatch(/retry after [1-9][0-9]* s/);
    await limited.client.dispose();
  });
});
