import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LoketApp } from '../../../src/app';
import { hashSecret } from '../../../src/domain/access/access.service';
import { createTestDatabase } from '../../support/database';
import { anonymous, as, gqlResponse, ManualClock, startTestApp, Target } from '../../support/test-app';
import { firstExtensions, queryDb, trackedWsClient, waitFor } from './support';

const ME = '{ me { id name kind role scopes team } }';
const CREATE = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id name role scopes team createdBy createdAt expiresAt revokedAt } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`;
const LIST = `{ apiTokens { id name role scopes team createdBy createdAt expiresAt revokedAt } }`;
const SUB = `subscription { caseCreated { id } }`;

const tokenTarget = (app: { url: string }, token: string): Target => ({ url: app.url, token });

describe('API tokens', () => {
  const start = new Date('2026-03-02T01:00:00Z');
  const clock = new ManualClock(start);
  let app: LoketApp;
  let dbUrl: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase('cred_tokens');
    dbUrl = db.url;
    drop = db.drop;
    // A long re-check interval: a closed subscription can only come from the revocation itself.
    app = await startTestApp(db.url, clock, { wsAuthRecheckSeconds: 3600 });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('an ADMIN creates a token (lkt_) that works; apiTokens never shows the secret or its hash', async () => {
    const r = await gqlResponse(as(app, 'ADMIN'), CREATE, { i: { name: 'desk laptop', role: 'CLERK' } });
    expect(r.body.errors).toBeUndefined();
    const created = r.body.data!.createApiToken;
    expect(created.token).toMatch(/^lkt_[A-Za-z0-9_-]{40,}$/);
    expect(created.apiToken).toMatchObject({ name: 'desk laptop', role: 'CLERK', scopes: [], revokedAt: null, expiresAt: null });

    const me = await gqlResponse(tokenTarget(app, created.token), ME);
    expect(me.status).toBe(200);
    expect(me.body.data!.me).toMatchObject({ id: created.apiToken.id, name: 'desk laptop', kind: 'TOKEN', role: 'CLERK' });

    const list = await gqlResponse(as(app, 'ADMIN'), LIST);
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data!.apiTokens.map((t: { id: string }) => t.id)).toContain(created.apiToken.id);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(created.token);
    expect(text).not.toContain(created.token.slice(4));
    expect(text).not.toContain(hashSecret(created.token));

    // There is no field for the hash at all.
    const hashField = await gqlResponse(as(app, 'ADMIN'), '{ apiTokens { id tokenHash } }');
    expect(hashField.status).toBe(400);
    expect(firstExtensions(hashField.body)?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('the database stores only the SHA-256 hash: the token text appears nowhere', async () => {
    const r = await gqlResponse(as(app, 'ADMIN'), CREATE, { i: { name: 'stored check', role: 'SUPERVISOR' } });
    const { token, apiToken } = r.body.data!.createApiToken;
    const secretPart = token.slice('lkt_'.length);
    const [row] = await queryDb(dbUrl, 'SELECT * FROM api_tokens WHERE id = $1', [apiToken.id]);
    expect(row.token_hash).toBe(hashSecret(token));
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    for (const table of ['api_tokens', 'audit_log', 'sessions', 'staff_users']) {
      const dump = JSON.stringify(await queryDb(dbUrl, `SELECT * FROM ${table}`));
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(secretPart);
    }
  });

  it('revokeApiToken: the next request is 401 REVOKED and a live subscription is closed with 4401', async () => {
    const created = (await gqlResponse(as(app, 'ADMIN'), CREATE, { i: { name: 'to revoke', role: 'SUPERVISOR' } })).body.data!.createApiToken;
    const ws = trackedWsClient(app.url, created.token);
    const pushed: unknown[] = [];
    const errors: unknown[] = [];
    ws.client.subscribe({ query: SUB }, { next: (v) => pushed.push(v), error: (e) => errors.push(e), complete: () => undefined });
    try {
      await waitFor(() => app.services.stream.subscriberCount > 0 || errors.length > 0, 'the subscription to be registered');
      expect(errors).toEqual([]);

      const revoked = await gqlResponse(as(app, 'ADMIN'), REVOKE, { id: created.apiToken.id });
      expect(revoked.body.errors).toBeUndefined();
      expect(revoked.body.data!.revokeApiToken.revokedAt).toEqual(clock.now().toISOString());

      await waitFor(() => ws.closes.length > 0, 'the server to close the revoked socket');
      expect(ws.closes[0].code).toBe(4401);

      const me = await gqlResponse(tokenTarget(app, created.token), ME);
      expect(me.status).toBe(401);
      expect(firstExtensions(me.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
      expect(me.body.data ?? null).toBeNull();

      // Reconnecting with the revoked token is refused as well.
      const again = trackedWsClient(app.url, created.token);
      try {
        await waitFor(() => again.closes.length > 0, 'the server to refuse the revoked token');
        expect(again.closes[0].code).toBe(4401);
        expect(again.connected()).toBe(false);
      } finally {
        await again.client.dispose();
      }
    } finally {
      await ws.client.dispose();
    }
    // Revoking twice, or an unknown id, is a clean input error.
    const unknown = await gqlResponse(as(app, 'ADMIN'), REVOKE, { id: '00000000-0000-4000-8000-000000000000' });
    expect(firstExtensions(unknown.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('an expired token is UNAUTHENTICATED with reason EXPIRED (HTTP 401), and refused over WebSocket', async () => {
    const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
    const created = (await gqlResponse(as(app, 'ADMIN'), CREATE, { i: { name: 'short lived', role: 'CLERK', expiresAt } })).body.data!
      .createApiToken;
    expect(created.apiToken.expiresAt).toBe(expiresAt);
    expect((await gqlResponse(tokenTarget(app, created.token), ME)).body.data!.me.role).toBe('CLERK');

    clock.advance(61_000);
    const me = await gqlResponse(tokenTarget(app, created.token), ME);
    expect(me.status).toBe(401);
    expect(firstExtensions(me.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'EXPIRED' });

    const ws = trackedWsClient(app.url, created.token);
    try {
      await waitFor(() => ws.closes.length > 0, 'the server to refuse the expired token');
      expect(ws.closes[0].code).toBe(4401);
    } finally {
      await ws.client.dispose();
    }

    // An expiry in the past is refused at creation.
    const past = await gqlResponse(as(app, 'ADMIN'), CREATE, {
      i: { name: 'already expired', role: 'CLERK', expiresAt: new Date(clock.now().getTime() - 1000).toISOString() },
    });
    expect(firstExtensions(past.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
  });

  it('a garbage token is 401 INVALID, even for the public login mutation', async () => {
    for (const token of ['garbage', 'lkt_not-a-real-token', 'lks_not-a-real-session']) {
      const me = await gqlResponse(tokenTarget(app, token), ME);
      expect(me.status).toBe(401);
      expect(firstExtensions(me.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID' });
      const login = await gqlResponse(tokenTarget(app, token), 'mutation { login(username: "someone", password: "whatever-long") { token } }');
      expect(login.status).toBe(401);
      expect(firstExtensions(login.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID' });
    }
    // Without any credential, a non-public operation is MISSING.
    const anon = await gqlResponse(anonymous(app), ME);
    expect(anon.status).toBe(401);
    expect(firstExtensions(anon.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'MISSING' });
  });

  it('an INTEGRATION token needs scopes; with them it can do only what they allow', async () => {
    const without = await gqlResponse(as(app, 'ADMIN'), CREATE, { i: { name: 'tool', role: 'INTEGRATION' } });
    expect(without.body.data ?? null).toBeNull();
    expect(firstExtensions(without.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
    const empty = await gqlResponse(as(app, 'ADMIN'), CREATE, { i: { name: 'tool', role: 'INTEGRATION', scopes: [] } });
    expect(firstExtensions(empty.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
    const staffWithScopes = await gqlResponse(as(app, 'ADMIN'), CREATE, { i: { name: 'clerk', role: 'CLERK', scopes: ['CASES_READ'] } });
    expect(firstExtensions(staffWithScopes.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });

    const ok = await gqlResponse(as(app, 'ADMIN'), CREATE, { i: { name: 'reader tool', role: 'INTEGRATION', scopes: ['CASES_READ'] } });
    expect(ok.body.errors).toBeUndefined();
    const token = ok.body.data!.createApiToken.token;
    expect((await gqlResponse(tokenTarget(app, token), '{ cases(first: 1) { totalCount } }')).body.errors).toBeUndefined();
    const intake = await gqlResponse(tokenTarget(app, token), `mutation { logFax(input: { subject: "x", kind: COMPLAINT }) { id } }`);
    expect(intake.status).toBe(403);
    expect(firstExtensions(intake.body)?.code).toBe('FORBIDDEN');
  });

  // Rules without a scope (such as `me`) need only the role.
  it('an INTEGRATION token may ask who it is (me)', async () => {
    const ok = await gqlResponse(as(app, 'ADMIN'), CREATE, { i: { name: 'who am i tool', role: 'INTEGRATION', scopes: ['CASES_INTAKE'] } });
    const token = ok.body.data!.createApiToken.token;
    const me = await gqlResponse(tokenTarget(app, token), ME);
    expect(me.body.errors).toBeUndefined();
    expect(me.status).toBe(200);
    expect(me.body.data!.me).toMatchObject({ kind: 'TOKEN', role: 'INTEGRATION', scopes: ['CASES_INTAKE'] });
  });

  it('only an ADMIN may create, list or revoke tokens', async () => {
    for (const role of ['CLERK', 'SUPERVISOR', 'INTEGRATION'] as const) {
      const create = await gqlResponse(as(app, role), CREATE, { i: { name: 'sneaky', role: 'ADMIN' } });
      expect(create.status).toBe(403);
      expect(firstExtensions(create.body)?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(create.body)).not.toContain('lkt_');
      const list = await gqlResponse(as(app, role), LIST);
      expect(firstExtensions(list.body)?.code).toBe('FORBIDDEN');
    }
  });
});

/** The command-line tool, run as a real child process against the test database. */
describe('loket CLI tokens', () => {
  const CLI = path.resolve(__dirname, '../../../dist/src/cli.js');
  let dbUrl: string;
  let drop: () => Promise<void>;
  let app: LoketApp | undefined;
  const dataKey = randomBytes(32).toString('base64');

  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
    void _ignored;
    const env = { ...inherited, DATABASE_URL: dbUrl, LOKET_DATA_KEY: dataKey, LOG_LEVEL: 'warn', NODE_ENV: 'development' };
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env, timeout: 30_000, cwd: path.resolve(__dirname, '../../..') }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  }

  beforeAll(async () => {
    const db = await createTestDatabase('cred_cli');
    dbUrl = db.url;
    drop = db.drop;
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('token create prints exactly the token; it works against a server; token revoke ends it', async () => {
    const created = await cli(['token', 'create', '--role', 'CLERK', '--name', 'cli test']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^lkt_[A-Za-z0-9_-]{40,}\n$/);
    const token = created.stdout.slice(0, -1);

    app = await startTestApp(dbUrl);
    const me = await gqlResponse(tokenTarget(app, token), ME);
    expect(me.status).toBe(200);
    expect(me.body.data!.me).toMatchObject({ name: 'cli test', role: 'CLERK', kind: 'TOKEN' });

    const list = await cli(['token', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(token);
    const rows = list.stdout.trim().split('\n').map((l) => l.split('\t'));
    for (const r of rows) expect(r).toHaveLength(4);
    const row = rows.find((r) => r[3] === 'cli test');
    expect(row).toBeDefined();
    const [id, role, state] = row!;
    expect(id).toBe(me.body.data!.me.id);
    expect([role, state]).toEqual(['CLERK', 'active']);

    const revoke = await cli(['token', 'revoke', id]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toBe('');
    const after = await gqlResponse(tokenTarget(app, token), ME);
    expect(after.status).toBe(401);
    expect(firstExtensions(after.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
    const relisted = (await cli(['token', 'list'])).stdout.split('\n').find((l) => l.startsWith(`${id}\t`));
    expect(relisted).toBe(`${id}\tCLERK\trevoked\tcli test`);
  });

  it('a bad role exits 1 with nothing on standard output', async () => {
    const r = await cli(['token', 'create', '--role', 'EMPEROR', '--name', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/role/);
    const unknown = await cli(['token', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    const integration = await cli(['token', 'create', '--role', 'INTEGRATION', '--name', 'tool']);
    expect(integration.code).toBe(1);
    expect(integration.stdout).toBe('');
  });
});
