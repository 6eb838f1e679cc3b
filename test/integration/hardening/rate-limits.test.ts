import { LoketApp } from '../../../src/app';
import { rateLimitConfigFromEnv } from '../../../src/adapters/http/rate-limiter';
import { createTestDatabase } from '../../support/database';
import { anonymous, as, gqlOk, gqlResponse, startTestApp, Target, wsClient } from '../../support/test-app';
import { firstExtensions } from '../credentials/support';

const MUTATION = 'mutation { setCalendarYearCovered(year: 2026, covered: true) { coveredYears } }';
const QUERY = '{ me { id role } }';
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`;
const PASSWORD = 'kopi-susu-pontianak-42';

describe('rate limits', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase('rate_limits');
    drop = db.drop;
    app = await startTestApp(db.url, undefined, {
      rateLimits: rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: '3,100', LOKET_RATE_LIMIT_LOGINS_PER_MINUTE: '2,10' }),
    });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('the 4th mutation of one token within the minute is RATE_LIMITED: HTTP 429 with Retry-After; queries and other tokens go on', async () => {
    const admin = as(app, 'ADMIN');
    for (let i = 0; i < 3; i++) {
      const ok = await gqlResponse(admin, MUTATION);
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();
    }
    const fourth = await gqlResponse(admin, MUTATION);
    expect(fourth.status).toBe(429);
    expect(fourth.body.data ?? null).toBeNull();
    const ext = firstExtensions(fourth.body)!;
    expect(ext.code).toBe('RATE_LIMITED');
    expect(ext.retryAfterSeconds).toBeGreaterThan(0);
    expect(ext.http).toBeUndefined();
    const retryAfter = fourth.headers.get('retry-after');
    expect(retryAfter).toMatch(/^[1-9][0-9]*$/);
    expect(Number(retryAfter)).toBe(ext.retryAfterSeconds);

    // Queries are not limited.
    for (let i = 0; i < 10; i++) {
      const q = await gqlResponse(admin, QUERY);
      expect(q.status).toBe(200);
      expect(q.body.data!.me.role).toBe('ADMIN');
    }
    // Still limited for this token.
    expect((await gqlResponse(admin, MUTATION)).status).toBe(429);

    // Another token has its own budget.
    const other: Target = { url: app.url, token: (await app.services.access.createToken(null, { name: 'second admin', role: 'ADMIN' })).token };
    const otherOk = await gqlResponse(other, MUTATION);
    expect(otherOk.status).toBe(200);
    expect(otherOk.body.errors).toBeUndefined();
  });

  it('logins: the 3rd attempt for one username from one address is RATE_LIMITED', async () => {
    await app.services.access.createUser(null, { username: 'limited.user', displayName: 'Limited', role: 'CLERK', password: PASSWORD });
    const attempt = (username: string, password: string) => gqlResponse(anonymous(app), LOGIN, { u: username, p: password });

    expect(firstExtensions((await attempt('limited.user', 'wrong-password-1')).body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'BAD_LOGIN' });
    const second = await attempt('limited.user', PASSWORD);
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data!.login.token).toMatch(/^lks_/);

    // The limit counts attempts, successful or not; the right password does not get past it.
    const third = await attempt('Limited.User', PASSWORD);
    const ext = firstExtensions(third.body)!;
    expect(ext.code).toBe('RATE_LIMITED');
    expect(ext.retryAfterSeconds).toBeGreaterThan(0);
    expect(third.body.data ?? null).toBeNull();
    expect(JSON.stringify(third.body)).not.toContain('lks_');
    // Like the mutation limit: HTTP 429 and a Retry-After header that matches the extension.
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe(String(ext.retryAfterSeconds));

    // Another username from the same address still has its budget (per-IP budget is 10).
    expect(firstExtensions((await attempt('someone.else', 'wrong-password-1')).body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'BAD_LOGIN' });
    // Logins do not use the mutation budget: the ADMIN token above is still limited, logins were not.
    expect((await gqlResponse(as(app, 'ADMIN'), MUTATION)).status).toBe(429);
  });

  it('every top-level mutation field counts: aliased mutations cannot multiply the budget (HTTP and WebSocket)', async () => {
    const caseId = (await gqlOk(as(app, 'CLERK'), 'mutation { logPhoneCall(input: { kind: COMPLAINT, subject: "Lampu jalan mati" }) { id } }')).logPhoneCall.id;
    const notes = async (): Promise<number> =>
      (await gqlOk(as(app, 'SUPERVISOR'), `{ case(id: "${caseId}") { timeline(first: 100) { edges { node { type } } } } }`)).case.timeline.edges.filter(
        (e: { node: { type: string } }) => e.node.type === 'NOTE_ADDED',
      ).length;
    const aliased = (n: number) => `mutation { ${Array.from({ length: n }, (_, i) => `n${i}: addNote(caseId: "${caseId}", text: "catatan ${i}") { id }`).join(' ')} }`;
    const officer = async (): Promise<Target> => ({ url: app.url, token: (await app.services.access.createToken(null, { name: 'officer', role: 'COMPLAINT_OFFICER' })).token });

    // 3 aliased notes take the whole budget of 3: the next single note is refused.
    const first = await officer();
    const three = await gqlResponse(first, aliased(3));
    expect(three.body.errors).toBeUndefined();
    expect(await notes()).toBe(3);
    const next = await gqlResponse(first, aliased(1));
    expect(next.status).toBe(429);
    expect(firstExtensions(next.body)?.code).toBe('RATE_LIMITED');

    // More aliased mutations than the budget holds are refused outright; nothing runs.
    const second = await officer();
    const four = await gqlResponse(second, aliased(4));
    expect(four.status).toBe(429);
    expect(firstExtensions(four.body)).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(four.body.data ?? null).toBeNull();
    expect(await notes()).toBe(3);

    // The same count over WebSocket.
    const client = wsClient(await officer());
    try {
      const errors = await new Promise<unknown>((resolve, reject) => {
        client.subscribe({ query: aliased(4) }, { next: (v) => resolve(v.errors), error: resolve, complete: () => reject(new Error('completed without an answer')) });
      });
      expect(JSON.stringify(errors)).toContain('RATE_LIMITED');
    } finally {
      await client.dispose();
    }
    expect(await notes()).toBe(3);
  });
});
