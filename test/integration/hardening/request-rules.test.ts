import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { anonymous, as, gqlOk, gqlResponse, ManualClock, startTestApp, Target } from '../../support/test-app';
import { firstExtensions } from '../credentials/support';

/** A graphql-transport-ws socket, initialised with `token` and acknowledged. */
async function socketFor(target: Target): Promise<WebSocket> {
  const ws = new WebSocket(target.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const ack = nextMessage(ws);
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${target.token}` } }));
  expect((await ack).type).toBe('connection_ack');
  return ws;
}

function nextMessage(ws: WebSocket): Promise<any> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData): void => {
      ws.off('close', onClose);
      resolve(JSON.parse(data.toString()));
    };
    const onClose = (code: number): void => {
      ws.off('message', onMessage);
      reject(new Error(`socket closed (${code}) before a message arrived`));
    };
    ws.once('message', onMessage);
    ws.once('close', onClose);
  });
}

/**
 * The first message graphql-ws sends for one operation over a fresh socket: `error` (refused
 * before execution, payload = the errors) or `next` (payload = the result).
 */
async function overWs(target: Target, query: string, variables?: Record<string, unknown>): Promise<{ type: string; payload: any }> {
  const ws = await socketFor(target);
  try {
    const answer = nextMessage(ws);
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
    return await answer;
  } finally {
    ws.terminate();
  }
}

/** The pen-test's request: 15 aliases, page sizes only in variables. */
const VARIABLE_PAGES = `query($n: Int) { ${Array.from(
  { length: 15 },
  (_, i) => `a${i}: cases(first: $n) { edges { node { id subject timeline(first: $n) { edges { node { id at type text } } } } } }`,
).join(' ')} }`;
/** The same shape without any `first`: the default page sizes (20 cases x 20 events) make it as costly. */
const DEFAULT_PAGES = `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: cases { edges { node { id subject timeline { edges { node { id at type text actor } } } } } }`).join(' ')} }`;
const ORDINARY = 'query($n: Int, $events: Int, $after: String) { cases(first: $n, after: $after) { totalCount edges { node { id subject timeline(first: $events) { totalCount edges { node { id type } } } } } } }';

const LOG_CALL = 'mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id } }';

describe('request rules, the same over HTTP and WebSocket', () => {
  const clock = new ManualClock(new Date('2026-03-02T01:00:00Z'));
  let app: LoketApp;
  let prod: LoketApp;
  let drop: () => Promise<void>;
  let caseId: string;

  beforeAll(async () => {
    const db = await createTestDatabase('request_rules');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
    prod = await startTestApp(db.url, clock, { production: true });
    caseId = (await gqlOk(as(app, 'CLERK'), LOG_CALL, { input: { kind: 'COMPLAINT', subject: 'Bantuan sosial belum cair' } })).logPhoneCall.id;
  });
  afterAll(async () => {
    await prod?.stop();
    await app?.stop();
    await drop?.();
  });

  describe('cost limit with the page sizes the operation will really have', () => {
    it('refuses page sizes passed as variables (HTTP), as the same literal query is', async () => {
      const r = await gqlResponse(as(app, 'ADMIN'), VARIABLE_PAGES, { n: 100 });
      expect(r.status).toBe(400);
      expect(r.body.data ?? null).toBeNull();
      expect(r.body.errors).toHaveLength(1);
      expect(firstExtensions(r.body)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'costLimit' });
      expect(r.body.errors![0].message).toMatch(/^Query Cost limit of 5000 exceeded, found \d+\.$/);
    });

    it('refuses them over WebSocket too', async () => {
      const msg = await overWs(as(app, 'ADMIN'), VARIABLE_PAGES, { n: 100 });
      expect(msg.type).toBe('error');
      expect(msg.payload[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'costLimit' });
    });

    it('counts an omitted first at the default page size (HTTP and WebSocket)', async () => {
      const r = await gqlResponse(as(app, 'ADMIN'), DEFAULT_PAGES);
      expect(r.status).toBe(400);
      expect(firstExtensions(r.body)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'costLimit' });
      const msg = await overWs(as(app, 'ADMIN'), DEFAULT_PAGES);
      expect(msg.payload[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'costLimit' });
    });

    it('lets ordinary queries with variables through, on both transports', async () => {
      for (const variables of [{ n: 20, events: 5, after: null }, { n: 100, events: 1 }, {}]) {
        const r = await gqlResponse(as(app, 'ADMIN'), ORDINARY, variables);
        expect(r.body.errors).toBeUndefined();
        expect(r.status).toBe(200);
        expect(r.body.data!.cases.totalCount).toBeGreaterThanOrEqual(1);
      }
      const small = await gqlResponse(as(app, 'ADMIN'), VARIABLE_PAGES, { n: 2 });
      expect(small.body.errors).toBeUndefined();
      expect(small.body.data!.a14.edges.length).toBeGreaterThanOrEqual(1);
      const msg = await overWs(as(app, 'ADMIN'), ORDINARY, { n: 20, events: 5 });
      expect(msg.type).toBe('next');
      expect(msg.payload.errors).toBeUndefined();
      expect(msg.payload.data.cases.totalCount).toBeGreaterThanOrEqual(1);
    });
  });

  describe('production: no introspection and no suggestions, on both transports', () => {
    const INTROSPECTION = '{ __schema { types { name } } }';

    it('refuses introspection over WebSocket in production (a clerk subscribing to __schema)', async () => {
      for (const query of [INTROSPECTION, '{ __type(name: "Requester") { fields { name } } }']) {
        const msg = await overWs(as(prod, 'CLERK'), query);
        expect(msg.type).toBe('error');
        expect(msg.payload[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(msg.payload[0].message).toMatch(/introspection/i);
        expect(JSON.stringify(msg)).not.toMatch(/"Case"|"Requester",|"fields"/);
      }
      const http = await gqlResponse(as(prod, 'CLERK'), INTROSPECTION);
      expect(http.status).toBe(400);
      expect(http.body.errors![0].message).toMatch(/introspection/i);
      // Outside production it is allowed on both.
      const dev = await overWs(as(app, 'CLERK'), INTROSPECTION);
      expect(dev.type).toBe('next');
      expect(dev.payload.data.__schema.types.map((t: { name: string }) => t.name)).toContain('Case');
    });

    it('masks "Did you mean" for enum values and input fields, literal or in variables, over HTTP and WebSocket', async () => {
      const attempts: [string, Record<string, unknown> | undefined][] = [
        ['{ cases(filter: { status: [RECEVED] }) { totalCount } }', undefined],
        ['query($s: [CaseStatus!]) { cases(filter: { status: $s }) { totalCount } }', { s: ['RECEVED'] }],
        ['{ cases(filter: { stauts: [RECEIVED] }) { totalCount } }', undefined],
        ['query($f: CaseFilter) { cases(filter: $f) { totalCount } }', { f: { stauts: ['RECEIVED'] } }],
        ['{ me { rol } }', undefined],
      ];
      for (const target of [prod, app]) {
        for (const [query, variables] of attempts) {
          const http = await gqlResponse(as(target, 'CLERK'), query, variables);
          expect(http.status).toBe(400);
          expect(http.body.errors!.length).toBeGreaterThan(0);
          const ws = await overWs(as(target, 'CLERK'), query, variables);
          const wsErrors = ws.type === 'error' ? ws.payload : ws.payload.errors;
          expect(wsErrors.length).toBeGreaterThan(0);
          for (const text of [JSON.stringify(http.body), JSON.stringify(wsErrors)]) {
            expect(text).not.toMatch(/Did you mean|"RECEIVED"\?|"status"\?|"role"\?/);
            expect(text).toContain('[Suggestion hidden]');
          }
        }
      }
    });
  });

  describe('persisted queries (APQ) are off', () => {
    const sha = (q: string): string => createHash('sha256').update(q).digest('hex');
    const apq = (target: Target, hash: string, query?: string) =>
      fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
        body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } }));

    it('an unauthenticated probe learns nothing: the same refusal before and after a staff member ran the query', async () => {
      const query = '{ cases(first: 3) { totalCount } }';
      const before = await apq(anonymous(app), sha(query));
      // A staff client registering the query with its hash, as APQ clients do.
      const register = await apq(as(app, 'ADMIN'), sha(query), query);
      const after = await apq(anonymous(app), sha(query));
      for (const r of [before, register, after]) {
        expect(firstExtensions(r.body)?.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
        expect(r.body.data ?? null).toBeNull();
      }
      expect(after).toEqual(before);
      // Plain queries are unaffected.
      expect((await gqlResponse(as(app, 'ADMIN'), query)).body.data).toEqual({ cases: { totalCount: expect.any(Number) } });
    });
  });

  describe('a NUL character in any text input is BAD_USER_INPUT naming the argument', () => {
    const NUL = 'a\u0000b';
    const expectRefused = (r: { status: number; body: { data?: unknown; errors?: { extensions?: Record<string, any> }[] } }, field: string): void => {
      expect(firstExtensions(r.body)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.status).toBe(400);
      expect(r.body.data ?? null).toBeNull();
    };

    it('in variables: intake subject, note, idempotency key, search text, requester name, user name, login', async () => {
      const clerk = as(app, 'CLERK');
      expectRefused(await gqlResponse(clerk, LOG_CALL, { input: { kind: 'COMPLAINT', subject: NUL } }), 'input.subject');
      expectRefused(await gqlResponse(clerk, LOG_CALL, { input: { kind: 'COMPLAINT', subject: 'Jalan rusak', idempotencyKey: NUL } }), 'input.idempotencyKey');
      expectRefused(await gqlResponse(clerk, LOG_CALL, { input: { kind: 'COMPLAINT', subject: 'Jalan rusak', requester: { name: NUL } } }), 'input.requester.name');
      expectRefused(await gqlResponse(as(app, 'COMPLAINT_OFFICER'), 'mutation($id: ID!, $t: String!) { addNote(caseId: $id, text: $t) { id } }', { id: caseId, t: NUL }), 'text');
      expectRefused(await gqlResponse(clerk, 'query($t: String) { cases(filter: { text: $t }) { totalCount } }', { t: NUL }), 'filter.text');
      expectRefused(
        await gqlResponse(as(app, 'ADMIN'), 'mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }', {
          i: { username: 'nul.user', displayName: NUL, role: 'CLERK', password: 'kopi-susu-pontianak-42' },
        }),
        'input.displayName',
      );
      expectRefused(await gqlResponse(anonymous(app), 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: NUL, p: 'x' }), 'username');
    });

    it('in literals', async () => {
      expectRefused(await gqlResponse(as(app, 'COMPLAINT_OFFICER'), `mutation { addNote(caseId: "${caseId}", text: "a\\u0000b") { id } }`), 'text');
      expectRefused(await gqlResponse(as(app, 'CLERK'), 'mutation { logPhoneCall(input: { kind: COMPLAINT, subject: "Jalan\\u0000rusak" }) { id } }'), 'input.subject');
      expectRefused(await gqlResponse(as(app, 'CLERK'), '{ cases(filter: { text: "\\u0000" }) { totalCount } }'), 'filter.text');
    });

    it('over WebSocket', async () => {
      const msg = await overWs(as(app, 'CLERK'), 'query($t: String) { cases(filter: { text: $t }) { totalCount } }', { t: NUL });
      expect(msg.type).toBe('error');
      expect(msg.payload[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.text' });
      const literal = await overWs(as(app, 'CLERK'), 'mutation { logPhoneCall(input: { kind: COMPLAINT, subject: "a\\u0000" }) { id } }');
      expect(literal.payload[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.subject' });
    });

    it('text without NUL still works, and nothing was stored by the refusals', async () => {
      const ok = await gqlResponse(as(app, 'CLERK'), 'query($t: String) { cases(filter: { text: $t }) { totalCount } }', { t: 'Bantuan' });
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data!.cases.totalCount).toBe(1);
    });
  });
});
