import { LoketApp } from '../../../src/app';
import { rateLimitConfigFromEnv } from '../../../src/adapters/http/rate-limiter';
import { createTestDatabase } from '../../support/database';
import { anonymous, as, gqlResponse, startTestApp, Target } from '../../support/test-app';
import { firstExtensions } from '../credentials/support';

const MUTATION = 'mutation { setCalendarYearCovered(year: 2026, covered: true) { coveredYears } }';
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`;
const STATUS = `query($r: String!, $c: String!) { caseStatus(reference: $r, accessCode: $c) { reference } }`;

/** Two instances on one database, as behind a load balancer: every budget is the cluster's, not a process's. */
describe('rate limits hold across instances (kept in PostgreSQL)', () => {
  let a: LoketApp;
  let b: LoketApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase('rate_limits_shared');
    drop = db.drop;
    const limits = {
      trustProxy: true,
      rateLimits: rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: '3,100', LOKET_RATE_LIMIT_LOGINS_PER_MINUTE: '2,10' }),
      authFailuresPerMinute: 4,
      statusLookupsPerMinute: 3,
    };
    a = await startTestApp(db.url, undefined, limits);
    b = await startTestApp(db.url, undefined, limits);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await drop?.();
  });

  const post = async (app: LoketApp, ip: string, query: string, variables?: Record<string, unknown>, token?: string | null) => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as { errors?: { extensions?: Record<string, unknown> }[] } };
  };

  it('mutations: 2 on A and 1 on B use up a token budget of 3; the 4th, on B, is refused', async () => {
    const token = (await a.services.access.createToken(null, { name: 'shared admin', role: 'ADMIN' })).token;
    const onA: Target = { url: a.url, token };
    const onB: Target = { url: b.url, token };
    expect((await gqlResponse(onA, MUTATION)).status).toBe(200);
    expect((await gqlResponse(onA, MUTATION)).status).toBe(200);
    expect((await gqlResponse(onB, MUTATION)).status).toBe(200);
    const fourth = await gqlResponse(onB, MUTATION);
    expect(fourth.status).toBe(429);
    expect(firstExtensions(fourth.body)).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect((await gqlResponse(onA, MUTATION)).status).toBe(429);
    // Another token still has its own budget, on either instance.
    expect((await gqlResponse(as(b, 'ADMIN'), MUTATION)).status).toBe(200);
  });

  it('logins: one attempt on A, one on B, the third for that username and address is refused on A', async () => {
    const attempt = (app: LoketApp) => gqlResponse(anonymous(app), LOGIN, { u: 'shared.user', p: 'salah-sandi-1' });
    expect(firstExtensions((await attempt(a)).body)?.code).toBe('UNAUTHENTICATED');
    expect(firstExtensions((await attempt(b)).body)?.code).toBe('UNAUTHENTICATED');
    const third = await attempt(a);
    expect(third.status).toBe(429);
    expect(firstExtensions(third.body)?.code).toBe('RATE_LIMITED');
  });

  it('failed authentications: guesses on A use up the address budget; the next request on B is refused, even with a good token', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 4; i++) expect((await post(a, ip, '{ me { role } }', undefined, `lkt_guess-${i}`)).status).toBe(401);
    const good = (await b.services.access.createToken(null, { name: 'good', role: 'CLERK' })).token;
    const refused = await post(b, ip, '{ me { role } }', undefined, good);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Another address is not affected.
    expect((await post(b, '203.0.113.78', '{ me { role } }', undefined, good)).status).toBe(200);
  });

  it('status lookups: 2 on A and 1 on B from one address; the 4th, on B, is refused', async () => {
    const ip = '198.51.100.99';
    for (const app of [a, a, b]) expect(firstExtensions((await post(app, ip, STATUS, { r: 'ADU-2026-999999', c: 'AAAA-BBBB' })).body)?.code).not.toBe('RATE_LIMITED');
    const fourth = await post(b, ip, STATUS, { r: 'ADU-2026-999999', c: 'AAAA-BBBB' });
    expect(fourth.status).toBe(429);
    expect(fourth.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
