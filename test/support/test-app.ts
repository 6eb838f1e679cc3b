import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createClient, Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { LoketApp, startLoket } from '../../src/app';
import { DatabaseConfig } from '../../src/adapters/persistence/data-source';
import { PersonalDataCipher } from '../../src/adapters/crypto/personal-data-cipher';
import { rateLimitConfigFromEnv } from '../../src/adapters/http/rate-limiter';
import { LoketConfig } from '../../src/config';
import { configureChannels } from '../../src/modules/channels';
import { Role } from '../../src/domain/access/roles';
import { Clock } from '../../src/domain/shared/clock.port';
import { ValidationError } from '../../src/domain/shared/domain-error';

/** A fixed test key; production keys come from LOKET_DATA_KEY. */
const TEST_KEY = Buffer.alloc(32, 7);
const TEST_INDEX_KEY = Buffer.alloc(32, 9);

export function testNikProtector(): PersonalDataCipher {
  return new PersonalDataCipher({ current: TEST_KEY, indexKey: TEST_INDEX_KEY });
}

/** A complete configuration for tests; rate limits high enough not to interfere unless asked. */
export function testConfig(database: DatabaseConfig, overrides: Partial<LoketConfig> = {}): LoketConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    database,
    logLevel: 'silent',
    production: false,
    dataKeys: { current: TEST_KEY, previous: [], indexKey: TEST_INDEX_KEY, source: 'env', generated: false, ephemeral: false, keyFile: null },
    rateLimits: rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: '100000,100000', LOKET_RATE_LIMIT_LOGINS_PER_MINUTE: '1000,1000' }),
    authFailuresPerMinute: 100000,
    statusLookupsPerMinute: 100000,
    publicUrl: 'http://localhost:4000',
    trustProxy: false,
    wsAuthRecheckSeconds: 30,
    filesDir: path.join(os.tmpdir(), `loket-test-files-${process.pid}`),
    filesInlineMaxBytes: 64 * 1024,
    channels: configureChannels({}),
    uploadMaxBytes: 1024 * 1024,
    ...overrides,
  };
}

/** Where a test sends a request: a URL, and the bearer token to send (none for anonymous). */
export interface Target {
  url: string;
  token: string | null;
}

/**
 * startTestApp gives each app one token per role; requests to `app.url` without a token use
 * the complaint officer's, who may log and work cases. Other roles: `as(app, 'ADMIN')`.
 */
const defaultTokens = new Map<string, string>();
const roleTokens = new Map<string, Partial<Record<Role, string>>>();

export const HANDLER_TEAM = 'tim-pengaduan-1';
/** The handling teams every test app has (teams are data: assignCase and HANDLER tokens name them). */
export const TEST_TEAMS = [HANDLER_TEAM, 'tim-pengaduan-2', 'tim-pengaduan-3'] as const;

/** Creates the teams that do not exist yet (apps sharing a database may both ask). */
export async function ensureTeams(app: LoketApp, codes: readonly string[] = TEST_TEAMS): Promise<void> {
  const known = new Set((await app.services.teams.list()).map((t) => t.code));
  for (const code of codes.filter((c) => !known.has(c))) {
    await app.services.teams.create(null, { code, name: `Tim ${code}` }).catch((err: unknown) => {
      if (!(err instanceof ValidationError)) throw err; // taken meanwhile by the other instance
    });
  }
}

/** Creates the test teams and one token per role for the app, and makes the complaint officer's the default. */
export async function issueRoleTokens(app: LoketApp): Promise<Record<Role, string>> {
  await ensureTeams(app);
  const make = async (role: Role): Promise<string> =>
    (await app.services.access.createToken(null, {
      name: `test ${role.toLowerCase()}`,
      role,
      scopes: role === 'INTEGRATION' ? ['CASES_READ', 'CASES_INTAKE'] : [],
      team: role === 'HANDLER' ? HANDLER_TEAM : null,
    })).token;
  const tokens = {} as Record<Role, string>;
  for (const role of ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN', 'INTEGRATION'] as Role[]) tokens[role] = await make(role);
  roleTokens.set(app.url, tokens);
  defaultTokens.set(app.url, tokens.COMPLAINT_OFFICER);
  return tokens;
}

/** Makes `token` the credential sent to `url` when a test gives no other. */
export function setDefaultToken(url: string, token: string): void {
  defaultTokens.set(url, token);
}

/** A target that calls the app as the given role. */
export function as(app: { url: string }, role: Role): Target {
  const token = roleTokens.get(app.url)?.[role];
  if (!token) throw new Error(`no ${role} token for ${app.url}; call issueRoleTokens first`);
  return { url: app.url, token };
}

/** A target that sends no credential at all. */
export function anonymous(app: { url: string }): Target {
  return { url: app.url, token: null };
}

function resolveTarget(target: string | Target): Target {
  return typeof target === 'string' ? { url: target, token: defaultTokens.get(target) ?? null } : target;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Starts the real server (HTTP + WebSocket) on a free port against the given database, with role tokens. */
export async function startTestApp(databaseUrl: string, clock?: Clock, overrides: Partial<LoketConfig> = {}): Promise<LoketApp> {
  const app = await startLoket(testConfig({ kind: 'postgres', url: databaseUrl, poolSize: 10 }, overrides), { clock, log: pino({ level: 'silent' }) });
  await issueRoleTokens(app);
  return app;
}

export interface GqlResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

/** POSTs one GraphQL operation over real HTTP. */
export async function gql<T = Record<string, any>>(target: string | Target, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
  return (await gqlResponse<T>(target, query, variables)).body;
}

/** Like gql, with the HTTP status and headers too. */
export async function gqlResponse<T = Record<string, any>>(
  target: string | Target,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; headers: Headers; body: GqlResult<T> }> {
  const { url, token } = resolveTarget(target);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult<T> };
}

/** Like gql, but fails the test on any error and returns data. */
export async function gqlOk<T = Record<string, any>>(target: string | Target, query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await gql<T>(target, query, variables);
  if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data as T;
}

export function wsClient(target: string | Target): WsClient {
  const { url, token } = resolveTarget(target);
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/** Collects what a subscription pushes; `next(n)` waits until n items have arrived. */
export function collect<T = Record<string, any>>(client: WsClient, query: string, variables?: Record<string, unknown>) {
  const items: T[] = [];
  const errors: unknown[] = [];
  let waiters: (() => void)[] = [];
  const wake = (): void => {
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  };
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) errors.push(...v.errors);
        if (v.data) items.push(v.data as T);
        wake();
      },
      error: (e) => {
        errors.push(e);
        wake();
      },
      complete: () => wake(),
    },
  );
  return {
    items,
    errors,
    dispose,
    /** Resolves once `count` items (or an error) arrived; rejects after `ms`. */
    async next(count: number, ms = 10_000): Promise<T[]> {
      const deadline = Date.now() + ms;
      while (items.length < count && errors.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${count} items, got ${items.length}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      if (errors.length) throw new Error(`subscription error: ${JSON.stringify(errors)}`);
      return items.slice(0, count);
    },
  };
}
