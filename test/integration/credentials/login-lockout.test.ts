import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { GqlResult, ManualClock, startTestApp } from '../../support/test-app';
import { firstExtensions, queryDb } from './support';

const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token user { lockedUntil } } }`;
const PASSWORD = 'kopi-susu-pontianak-42';

/** Lockout per (username, client address): the app trusts X-Forwarded-For, so each test picks its addresses. */
describe('login lockout per username and address', () => {
  const clock = new ManualClock(new Date('2026-03-02T01:00:00Z'));
  let app: LoketApp;
  let dbUrl: string;
  let drop: () => Promise<void>;

  const login = async (username: string, password: string, ip: string): Promise<{ status: number; headers: Headers; body: GqlResult }> => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ query: LOGIN, variables: { u: username, p: password } }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult };
  };
  const createUser = (username: string) => app.services.access.createUser(null, { username, displayName: username, role: 'CLERK', password: PASSWORD });
  /** What a client can see of an answer. */
  const seen = (r: { status: number; body: GqlResult }) => ({
    status: r.status,
    message: r.body.errors?.[0]?.message,
    extensions: firstExtensions(r.body),
    data: r.body.data ?? null,
  });

  beforeAll(async () => {
    const db = await createTestDatabase('cred_lockout');
    dbUrl = db.url;
    drop = db.drop;
    app = await startTestApp(db.url, clock, { trustProxy: true });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('9 parallel wrong passwords: only 5 are checked, the account is locked and the right password then refused', async () => {
    await createUser('paralel.user');
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => login('paralel.user', `wrong-password-${i}`, '10.1.0.1')));
    const codes = results.map((r) => firstExtensions(r.body)?.code).sort();
    expect(codes).toEqual([...Array(5).fill('ACCOUNT_LOCKED'), ...Array(4).fill('UNAUTHENTICATED')]);

    const right = await login('paralel.user', PASSWORD, '10.1.0.1');
    expect(right.body.data ?? null).toBeNull();
    expect(firstExtensions(right.body)?.code).toBe('ACCOUNT_LOCKED');
  });

  it('an attacker at address A locks only A: the user logs in from address B, A stays locked', async () => {
    await createUser('target.user');
    for (let i = 1; i <= 4; i++) expect(firstExtensions((await login('target.user', `guess-${i}-xxxxx`, '203.0.113.7')).body)?.code).toBe('UNAUTHENTICATED');
    const locked = firstExtensions((await login('target.user', 'guess-5-xxxxx', '203.0.113.7')).body)!;
    expect(locked.code).toBe('ACCOUNT_LOCKED');

    const own = await login('target.user', PASSWORD, '192.168.10.20');
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.login.token).toMatch(/^lks_/);
    // The admin view still shows the lock that holds for A.
    expect(own.body.data!.login.user.lockedUntil).toBe(locked.lockedUntil);

    const attacker = await login('target.user', PASSWORD, '203.0.113.7');
    expect(firstExtensions(attacker.body)).toMatchObject({ code: 'ACCOUNT_LOCKED', lockedUntil: locked.lockedUntil });
  });

  it('an unknown username gets exactly the answers a real one gets, lock included', async () => {
    await createUser('real.user');
    const real: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 1; i <= 7; i++) {
      real.push(seen(await login('real.user', `wrong-password-${i}`, '198.51.100.1')));
      unknown.push(seen(await login('no.such.user', `wrong-password-${i}`, '198.51.100.1')));
    }
    // Even the right password of the real user, from the locked address, answers like the unknown one.
    real.push(seen(await login('real.user', PASSWORD, '198.51.100.1')));
    unknown.push(seen(await login('no.such.user', PASSWORD, '198.51.100.1')));
    expect(unknown).toEqual(real);
    expect((real as { extensions: { code: string } }[]).map((r) => r.extensions.code)).toEqual([
      ...Array(4).fill('UNAUTHENTICATED'),
      ...Array(4).fill('ACCOUNT_LOCKED'),
    ]);
    // The lock ends for both alike.
    clock.advance(15 * 60_000 + 1000);
    expect(firstExtensions((await login('no.such.user', 'wrong-password-8', '198.51.100.1')).body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'BAD_LOGIN' });
    expect((await login('real.user', PASSWORD, '198.51.100.1')).body.data!.login.token).toMatch(/^lks_/);
  });

  it('across addresses, past 20 attempts the username is slowed down (RATE_LIMITED), except from an address it logged in from', async () => {
    await createUser('slow.user');
    // The user's own address (a first login there counts like any attempt from a new address).
    expect((await login('slow.user', PASSWORD, '172.16.0.9')).body.data!.login.token).toMatch(/^lks_/);
    expect(firstExtensions((await login('never.existed', PASSWORD, '172.16.0.9')).body)?.code).toBe('UNAUTHENTICATED');
    const spray = async (username: string) => {
      const answers: string[] = [];
      for (let i = 0; i < 21; i++) {
        const r = await login(username, `spray-password-${i}`, `100.64.${i}.1`); // a new address each time: no lock, only the global count
        answers.push(firstExtensions(r.body)!.code);
      }
      return answers;
    };
    const known = await spray('slow.user');
    expect(known).toEqual([...Array(20).fill('UNAUTHENTICATED'), 'RATE_LIMITED']);
    expect(await spray('never.existed')).toEqual(known);

    const fresh = await login('slow.user', PASSWORD, '100.64.200.1');
    expect(fresh.status).toBe(429);
    const ext = firstExtensions(fresh.body)!;
    expect(ext.code).toBe('RATE_LIMITED');
    expect(ext.retryAfterSeconds).toBeGreaterThan(0);
    expect(ext.retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(fresh.headers.get('retry-after')).toBe(String(ext.retryAfterSeconds));

    // The real user at their own address is not slowed down.
    expect((await login('slow.user', PASSWORD, '172.16.0.9')).body.data!.login.token).toMatch(/^lks_/);
    // Elsewhere, after the wait, one attempt goes through.
    clock.advance(ext.retryAfterSeconds * 1000);
    expect((await login('slow.user', PASSWORD, '100.64.200.1')).body.data!.login.token).toMatch(/^lks_/);
  });

  it('usernames are stored only as hashes, with the address, and old rows are pruned', async () => {
    const rows = await queryDb(dbUrl, 'SELECT * FROM login_attempts');
    expect(rows.length).toBeGreaterThan(0);
    const dump = JSON.stringify(rows);
    for (const name of ['paralel.user', 'target.user', 'no.such.user', 'wrong-password']) expect(dump).not.toContain(name);

    clock.advance(2 * 24 * 3_600_000); // idle past a day; the next login prunes (in the background)
    await login('prune.trigger', 'whatever-password', '10.9.9.9');
    const deadline = Date.now() + 10_000;
    let left = rows.length;
    while (Date.now() < deadline) {
      left = (await queryDb(dbUrl, 'SELECT 1 FROM login_attempts WHERE last_success_at IS NULL AND updated_at < $1', [clock.now().toISOString()])).length;
      if (left <= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // What stays: addresses a user logged in from (trusted for 30 days) and the row of the login that pruned.
    expect(left).toBeLessThanOrEqual(1);
  });
});
