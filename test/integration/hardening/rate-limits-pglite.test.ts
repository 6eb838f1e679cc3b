import pino from 'pino';
import { LoketApp, startLoket } from '../../../src/app';
import { rateLimitConfigFromEnv } from '../../../src/adapters/http/rate-limiter';
import { PostgresRateLimitStore } from '../../../src/adapters/persistence/postgres-rate-limit-store';
import { as, gqlResponse, issueRoleTokens, testConfig } from '../../support/test-app';

describe('rate limits on embedded PGlite (the same table, one process)', () => {
  let app: LoketApp;

  beforeAll(async () => {
    app = await startLoket(
      testConfig({ kind: 'pglite', dataDir: null }, { rateLimits: rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: '2,100' }) }),
      { log: pino({ level: 'silent' }) },
    );
    await issueRoleTokens(app);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('the 3rd mutation of a token is refused, and the budget is a row of rate_limit_buckets', async () => {
    const mutation = 'mutation { setCalendarYearCovered(year: 2026, covered: true) { coveredYears } }';
    expect((await gqlResponse(as(app, 'ADMIN'), mutation)).status).toBe(200);
    expect((await gqlResponse(as(app, 'ADMIN'), mutation)).status).toBe(200);
    expect((await gqlResponse(as(app, 'ADMIN'), mutation)).status).toBe(429);
    const rows = (await app.db.dataSource.query(`SELECT key FROM rate_limit_buckets WHERE key LIKE 'mutation-cred:%'`)) as unknown[];
    expect(rows).toHaveLength(1);
  });

  it('refill: a refused take takes nothing, and tokens come back with time', async () => {
    const store = new PostgresRateLimitStore(app.db.dataSource);
    const bucket = { capacity: 2, refillPerSecond: 1000 };
    const slow = { capacity: 2, refillPerSecond: 0.001 };
    expect((await store.take('t:slow', slow, 2)).allowed).toBe(true);
    const refused = await store.take('t:slow', slow, 1);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect(refused.retryAfterSeconds).toBeGreaterThan(900);
    expect((await store.check('t:slow', slow, 1)).allowed).toBe(false);
    expect((await store.take('t:fast', bucket, 2)).allowed).toBe(true);
    await new Promise((r) => setTimeout(r, 20)); // 1000 tokens a second: full again within milliseconds
    expect((await store.take('t:fast', bucket, 2)).allowed).toBe(true);
    // A cost above the level after refusal is still refused (nothing was taken by the refusal).
    expect((await store.take('t:slow', slow, 1)).allowed).toBe(false);
  });
});
