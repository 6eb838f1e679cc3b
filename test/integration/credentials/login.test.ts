import { randomBytes } from 'node:crypto';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { anonymous, as, gqlResponse, ManualClock, startTestApp, Target } from '../../support/test-app';
import { firstExtensions, queryDb } from './support';

const ME = '{ me { id name kind role scopes team } }';
const CREATE_USER = `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id username displayName role team lockedUntil disabledAt createdAt } }`;
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt user { id username role team lockedUntil } } }`;
const LOGOUT = 'mutation { logout }';
const DISABLE = `mutation($id: ID!, $d: Boolean!) { setStaffUserDisabled(id: $id, disabled: $d) { id disabledAt } }`;

const PASSWORD = 'kopi-susu-pontianak-42';
const withToken = (app: { url: string }, token: string): Target => ({ url: app.url, token });

describe('staff users and login', () => {
  const clock = new ManualClock(new Date('2026-03-02T01:00:00Z'));
  let app: LoketApp;
  let dbUrl: string;
  let drop: () => Promise<void>;

  const createUser = (input: Record<string, unknown>) => gqlResponse(as(app, 'ADMIN'), CREATE_USER, { i: input });
  const login = (username: string, password: string) => gqlResponse(anonymous(app), LOGIN, { u: username, p: password });

  beforeAll(async () => {
    const db = await createTestDatabase('cred_login');
    dbUrl = db.url;
    drop = db.drop;
    app = await startTestApp(db.url, clock);
    // Teams are data: a handler joins a team that exists.
    await app.services.teams.create(null, { code: 'tim-a', name: 'Tim A' });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('createStaffUser checks its input: weak password, HANDLER without team, bad role, taken username', async () => {
    const weak = await createUser({ username: 'weak.pw', displayName: 'Weak', role: 'CLERK', password: 'short123' });
    expect(weak.body.data ?? null).toBeNull();
    expect(firstExtensions(weak.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });

    const noTeam = await createUser({ username: 'handler.noteam', displayName: 'No Team', role: 'HANDLER', password: PASSWORD });
    expect(firstExtensions(noTeam.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'team' });

    const tool = await createUser({ username: 'a.tool', displayName: 'Tool', role: 'INTEGRATION', password: PASSWORD });
    expect(firstExtensions(tool.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });

    const first = await createUser({ username: 'dupe.user', displayName: 'Dupe', role: 'CLERK', password: PASSWORD });
    expect(first.body.errors).toBeUndefined();
    const dupe = await createUser({ username: 'Dupe.User', displayName: 'Dupe 2', role: 'CLERK', password: PASSWORD });
    expect(firstExtensions(dupe.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username' });

    const notAdmin = await gqlResponse(as(app, 'SUPERVISOR'), CREATE_USER, {
      i: { username: 'sneaky', displayName: 'S', role: 'ADMIN', password: PASSWORD },
    });
    expect(notAdmin.status).toBe(403);
    expect(firstExtensions(notAdmin.body)?.code).toBe('FORBIDDEN');
  });

  it('login returns a session token (lks_) whose me shows role and team; the password is stored as argon2id', async () => {
    const created = await createUser({ username: 'dewi.handler', displayName: 'Dewi', role: 'HANDLER', team: 'tim-a', password: PASSWORD });
    expect(created.body.errors).toBeUndefined();
    const user = created.body.data!.createStaffUser;
    expect(user).toMatchObject({ username: 'dewi.handler', role: 'HANDLER', team: 'tim-a', lockedUntil: null, disabledAt: null });
    expect(JSON.stringify(created.body)).not.toContain(PASSWORD);

    const r = await login('dewi.handler', PASSWORD);
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    const session = r.body.data!.login;
    expect(session.token).toMatch(/^lks_[A-Za-z0-9_-]{40,}$/);
    expect(session.user).toMatchObject({ id: user.id, role: 'HANDLER', team: 'tim-a' });
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(clock.now().getTime());

    const me = await gqlResponse(withToken(app, session.token), ME);
    expect(me.body.data!.me).toEqual({ id: user.id, name: 'dewi.handler', kind: 'USER', role: 'HANDLER', scopes: [], team: 'tim-a' });

    const [row] = await queryDb(dbUrl, 'SELECT password_hash FROM staff_users WHERE id = $1', [user.id]);
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(row.password_hash).not.toContain(PASSWORD);
    const sessions = JSON.stringify(await queryDb(dbUrl, 'SELECT * FROM sessions'));
    expect(sessions).not.toContain(session.token);
    expect(sessions).not.toContain(session.token.slice(4));
  });

  it('a wrong password and an unknown user get the same answer: UNAUTHENTICATED BAD_LOGIN', async () => {
    await createUser({ username: 'budi.clerk', displayName: 'Budi', role: 'CLERK', password: PASSWORD });
    const wrong = await login('budi.clerk', 'not-the-password');
    const unknown = await login('nobody.here', 'not-the-password');
    for (const r of [wrong, unknown]) {
      expect(r.body.data ?? null).toBeNull();
      expect(r.body.errors).toHaveLength(1);
      expect(firstExtensions(r.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'BAD_LOGIN' });
    }
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.body.errors![0].message).toBe(unknown.body.errors![0].message);
  });

  it('5 wrong passwords lock the account for 15 minutes; then the right password works again', async () => {
    await createUser({ username: 'sari.officer', displayName: 'Sari', role: 'COMPLAINT_OFFICER', password: PASSWORD });
    const lockedAt = clock.now();
    for (let i = 1; i <= 4; i++) expect(firstExtensions((await login('sari.officer', `wrong-password-${i}`)).body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'BAD_LOGIN' });
    const fifth = await login('sari.officer', 'wrong-password-5');
    const ext = firstExtensions(fifth.body)!;
    expect(ext.code).toBe('ACCOUNT_LOCKED');
    expect(new Date(ext.lockedUntil).getTime()).toBe(lockedAt.getTime() + 15 * 60_000);

    // While locked, even the right password is refused.
    expect(firstExtensions((await login('sari.officer', PASSWORD)).body)).toMatchObject({ code: 'ACCOUNT_LOCKED', lockedUntil: ext.lockedUntil });
    clock.advance(14 * 60_000);
    expect(firstExtensions((await login('sari.officer', PASSWORD)).body)).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    const staff = await gqlResponse(as(app, 'ADMIN'), '{ staffUsers { username lockedUntil } }');
    expect(staff.body.data!.staffUsers.find((u: { username: string }) => u.username === 'sari.officer').lockedUntil).toBe(ext.lockedUntil);

    clock.advance(60_000 + 1000);
    const ok = await login('sari.officer', PASSWORD);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.login.token).toMatch(/^lks_/);
    const after = await gqlResponse(as(app, 'ADMIN'), '{ staffUsers { username lockedUntil } }');
    expect(after.body.data!.staffUsers.find((u: { username: string }) => u.username === 'sari.officer').lockedUntil).toBeNull();
  });

  // The answer shows the account as it is after the login, not the lock it had before.
  it('the LoginSession of a successful login after a lock shows the account unlocked', async () => {
    await createUser({ username: 'lina.officer', displayName: 'Lina', role: 'COMPLAINT_OFFICER', password: PASSWORD });
    for (let i = 1; i <= 5; i++) await login('lina.officer', `wrong-password-${i}`);
    clock.advance(15 * 60_000 + 1000);
    const ok = await login('lina.officer', PASSWORD);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.login.user.lockedUntil).toBeNull();
  });

  it('logout ends the session: the next request is 401 REVOKED', async () => {
    await createUser({ username: 'rina.super', displayName: 'Rina', role: 'SUPERVISOR', password: PASSWORD });
    const token = (await login('rina.super', PASSWORD)).body.data!.login.token;
    const other = (await login('rina.super', PASSWORD)).body.data!.login.token;
    expect((await gqlResponse(withToken(app, token), ME)).body.data!.me.role).toBe('SUPERVISOR');
    const out = await gqlResponse(withToken(app, token), LOGOUT);
    expect(out.body).toEqual({ data: { logout: true } });
    const after = await gqlResponse(withToken(app, token), ME);
    expect(after.status).toBe(401);
    expect(firstExtensions(after.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
    // Only that session ended.
    expect((await gqlResponse(withToken(app, other), ME)).body.data!.me.role).toBe('SUPERVISOR');
  });

  it('disabling a user ends their sessions (401) and refuses their login', async () => {
    const user = (await createUser({ username: 'agus.clerk', displayName: 'Agus', role: 'CLERK', password: PASSWORD })).body.data!.createStaffUser;
    const token = (await login('agus.clerk', PASSWORD)).body.data!.login.token;
    expect((await gqlResponse(withToken(app, token), ME)).status).toBe(200);

    const disabled = await gqlResponse(as(app, 'ADMIN'), DISABLE, { id: user.id, d: true });
    expect(disabled.body.errors).toBeUndefined();
    expect(disabled.body.data!.setStaffUserDisabled.disabledAt).toBe(clock.now().toISOString());

    const after = await gqlResponse(withToken(app, token), ME);
    expect(after.status).toBe(401);
    expect(firstExtensions(after.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
    expect(firstExtensions((await login('agus.clerk', PASSWORD)).body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'BAD_LOGIN' });

    // Enabling again allows a new login, but the ended session stays ended.
    await gqlResponse(as(app, 'ADMIN'), DISABLE, { id: user.id, d: false });
    expect((await login('agus.clerk', PASSWORD)).body.data!.login.token).toMatch(/^lks_/);
    expect((await gqlResponse(withToken(app, token), ME)).status).toBe(401);
  });
});

describe('bootstrap token', () => {
  let dbUrl: string;
  let drop: () => Promise<void>;
  let app: LoketApp | undefined;
  const secret = `boot-${randomBytes(24).toString('base64url')}`;
  const otherSecret = `other-${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    const db = await createTestDatabase('cred_bootstrap');
    dbUrl = db.url;
    drop = db.drop;
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  const bootstrapRows = () => queryDb(dbUrl, `SELECT id, role, token_hash FROM api_tokens WHERE created_by = 'system:bootstrap'`);

  it('on a fresh database the bootstrap secret becomes an ADMIN token, once', async () => {
    expect(await queryDb(dbUrl, `SELECT 1 FROM api_tokens UNION ALL SELECT 1 FROM staff_users`)).toHaveLength(0);
    app = await startTestApp(dbUrl, undefined, { bootstrapToken: secret });
    const me = await gqlResponse(withToken(app, secret), ME);
    expect(me.status).toBe(200);
    expect(me.body.data!.me).toMatchObject({ kind: 'TOKEN', role: 'ADMIN', name: 'bootstrap' });
    const rows = await bootstrapRows();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    await app.stop();
    app = undefined;

    // Same secret again, on a database that has an admin: nothing is added; the old secret still works.
    app = await startTestApp(dbUrl, undefined, { bootstrapToken: secret });
    expect(await bootstrapRows()).toHaveLength(1);
    expect((await gqlResponse(withToken(app, secret), ME)).body.data!.me.role).toBe('ADMIN');
    await app.stop();
    app = undefined;

    // A different secret does not become valid (an admin exists), and the changed setting ends the old one.
    app = await startTestApp(dbUrl, undefined, { bootstrapToken: otherSecret });
    expect(await bootstrapRows()).toHaveLength(1);
    const refused = await gqlResponse(withToken(app, otherSecret), ME);
    expect(refused.status).toBe(401);
    expect(firstExtensions(refused.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID' });
    const old = await gqlResponse(withToken(app, secret), ME);
    expect(old.status).toBe(401);
    expect(firstExtensions(old.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
    await app.stop();
    app = undefined;
  });

  it('once LOKET_BOOTSTRAP_TOKEN is unset, the next start revokes the bootstrap token (and says so in the audit log)', async () => {
    const db = await createTestDatabase('cred_bootstrap_unset');
    let local: LoketApp | undefined;
    try {
      local = await startTestApp(db.url, undefined, { bootstrapToken: secret });
      expect((await gqlResponse(withToken(local, secret), ME)).body.data!.me.role).toBe('ADMIN');
      await local.stop();
      local = await startTestApp(db.url);
      const after = await gqlResponse(withToken(local, secret), ME);
      expect(after.status).toBe(401);
      expect(firstExtensions(after.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
      const [row] = await queryDb(db.url, `SELECT revoked_at FROM api_tokens WHERE created_by = 'system:bootstrap'`);
      expect(row.revoked_at).not.toBeNull();
      const audit = await queryDb(db.url, `SELECT actor_id, details FROM audit_log WHERE action = 'TOKEN_REVOKED'`);
      expect(audit).toEqual([{ actor_id: 'system:bootstrap', details: { tokenId: expect.any(String) } }]);
    } finally {
      await local?.stop();
      await db.drop();
    }
  });
});
