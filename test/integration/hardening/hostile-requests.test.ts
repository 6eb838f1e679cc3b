import WebSocket from 'ws';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { anonymous, as, gqlResponse, ManualClock, startTestApp, Target } from '../../support/test-app';
import { firstExtensions } from '../credentials/support';

/** Traces of a stack in a response body: V8 frames (plain or HTML-escaped) or source paths. */
const STACK = /(\n|<br>)\s*(&nbsp;|\s)*at\s|node_modules|\/work\/|\.(ts|js):\d+:\d+|stacktrace/i;

interface RawResult {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function raw(url: string, init: RequestInit & { search?: string }): Promise<RawResult> {
  const res = await fetch(url + (init.search ?? ''), init);
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Opens a graphql-transport-ws socket by hand (to misbehave at the protocol level). */
function openSocket(httpUrl: string): Promise<WebSocket> {
  const ws = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve({ code: -1, reason: 'already closed' });
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
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

/** A socket that is initialised with `token` and acknowledged. */
async function initialisedSocket(httpUrl: string, token: string): Promise<WebSocket> {
  const ws = await openSocket(httpUrl);
  const ack = nextMessage(ws);
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  expect((await ack).type).toBe('connection_ack');
  return ws;
}

describe('hostile requests', () => {
  const clock = new ManualClock(new Date('2026-03-02T01:00:00Z'));
  let app: LoketApp;
  let prod: LoketApp;
  let drop: () => Promise<void>;
  const sockets: WebSocket[] = [];
  const bodies: { what: string; text: string }[] = [];

  const track = (what: string, text: string): void => {
    bodies.push({ what, text });
  };

  async function post(target: Target, query: string, variables?: Record<string, unknown>) {
    const r = await gqlResponse(target, query, variables);
    track(query.slice(0, 40), JSON.stringify(r.body));
    return r;
  }

  /** The server still answers an ordinary query normally. */
  async function stillServes(): Promise<void> {
    const r = await gqlResponse(as(app, 'ADMIN'), '{ me { id role } }');
    expect(r.status).toBe(200);
    expect(r.body.data!.me.role).toBe('ADMIN');
  }

  beforeAll(async () => {
    const db = await createTestDatabase('hostile');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
    prod = await startTestApp(db.url, clock, { production: true });
  });
  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await prod?.stop();
    await app?.stop();
    await drop?.();
  });

  it('a depth bomb is refused (maxDepth)', async () => {
    const r = await post(as(app, 'ADMIN'), '{ cases { edges { node { timeline { edges { node { a { b { c { d { e { f } } } } } } } } } } } }');
    expect(r.status).toBe(400);
    expect(r.body.data ?? null).toBeNull();
    expect(r.body.errors!.some((e) => e.extensions?.limit === 'maxDepth' && e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    await stillServes();
  });

  it('an alias bomb (100 aliases of me) is refused (maxAliases)', async () => {
    const r = await post(as(app, 'ADMIN'), `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: me { id }`).join(' ')} }`);
    expect(r.status).toBe(400);
    expect(firstExtensions(r.body)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxAliases' });
    await stillServes();
  });

  it('a cost bomb (100 cases x 100 timeline events) is refused (costLimit)', async () => {
    const r = await post(as(app, 'ADMIN'), '{ cases(first: 100) { edges { node { timeline(first: 100) { edges { node { id text } } } } } } }');
    expect(r.status).toBe(400);
    expect(firstExtensions(r.body)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'costLimit' });
    await stillServes();
  });

  it('a token flood (5,000 tokens) is refused by the parser', async () => {
    const r = await post(as(app, 'ADMIN'), `{ me { ${'id '.repeat(5000)}} }`);
    expect(r.status).toBe(400);
    expect(firstExtensions(r.body)?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(r.body.errors![0].message).toMatch(/2000 tokens/);
    await stillServes();
  });

  it('too many directives are refused (maxDirectives)', async () => {
    const r = await post(as(app, 'ADMIN'), `{ me { ${'id @include(if: true) '.repeat(11)}} }`);
    expect(r.status).toBe(400);
    expect(firstExtensions(r.body)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDirectives' });
    await stillServes();
  });

  it('a fragment cycle is refused, and exponentially fanned-out fragments hit the cost limit', async () => {
    const cycle = await post(as(app, 'ADMIN'), '{ me { ...A } } fragment A on Principal { id ...B } fragment B on Principal { name ...A }');
    expect(cycle.status).toBe(400);
    expect(cycle.body.errors![0].message).toMatch(/Cannot spread fragment "A" within itself/);
    await stillServes();

    const n = 24;
    let fragments = '';
    for (let i = 0; i < n; i++) fragments += `fragment F${i} on Principal { id ...F${i + 1} ...F${i + 1} } `;
    fragments += `fragment F${n} on Principal { id }`;
    const fan = await post(as(app, 'ADMIN'), `{ me { ...F0 } } ${fragments}`);
    expect(fan.status).toBe(400);
    expect(fan.body.errors!.some((e) => e.extensions?.limit === 'costLimit')).toBe(true);
    await stillServes();

    // Deeply nested inline fragments do not deepen the query, but do not slip past the token limit either.
    const inline = await post(as(app, 'ADMIN'), `{ me { ${'... on Principal { '.repeat(600)}id${' }'.repeat(600)} } }`);
    expect(inline.status).toBe(400);
    expect(firstExtensions(inline.body)?.code).toBe('GRAPHQL_PARSE_FAILED');
    await stillServes();
  });

  it('a batch array is refused: batching is off', async () => {
    const r = await raw(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${as(app, 'ADMIN').token}` },
      body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
    });
    track('batch', r.text);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toMatch(/batching disabled/i);
    expect(r.json.data).toBeUndefined();
    await stillServes();
  });

  it('a JSON body over 256 kB is refused with HTTP 413, without a stack trace', async () => {
    const r = await raw(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${as(app, 'ADMIN').token}` },
      body: JSON.stringify({ query: 'query($s: String) { me { id } }', variables: { s: 'x'.repeat(300 * 1024) } }),
    });
    expect(r.status).toBe(413);
    await stillServes();
    // Express's default handler would answer with an HTML page holding the stack outside production.
    expect(r.text).not.toMatch(STACK);
  });

  it('a malformed JSON body is refused with HTTP 400, without a stack trace', async () => {
    const r = await raw(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(r.status).toBe(400);
    await stillServes();
    expect(r.text).not.toMatch(STACK);
  });

  it('an oversized WebSocket frame (> 256 kB) closes that socket; a new socket still works', async () => {
    const token = as(app, 'ADMIN').token!;
    const big = await initialisedSocket(app.url, token);
    sockets.push(big);
    const bigClosed = closed(big);
    big.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ me { id } } # ${'x'.repeat(300 * 1024)}` } }));
    expect((await bigClosed).code).toBe(1009);

    const fresh = await initialisedSocket(app.url, token);
    sockets.push(fresh);
    const answer = nextMessage(fresh);
    fresh.send(JSON.stringify({ id: '2', type: 'subscribe', payload: { query: '{ me { role } }' } }));
    expect(await answer).toEqual({ id: '2', type: 'next', payload: { data: { me: { role: 'ADMIN' } } } });
    fresh.close();
    await stillServes();
  });

  it('armor limits apply over WebSocket too', async () => {
    const ws = await initialisedSocket(app.url, as(app, 'ADMIN').token!);
    sockets.push(ws);
    const answer = nextMessage(ws);
    ws.send(JSON.stringify({ id: 'a', type: 'subscribe', payload: { query: `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: me { id }`).join(' ')} }` } }));
    const msg = await answer;
    expect(msg.type).toBe('error');
    expect(msg.payload[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxAliases' });
    track('ws alias', JSON.stringify(msg));
    ws.close();
  });

  // graphql-ws's connectionInitWaitTimeout is set to 10 s in ws-server.ts (INIT_TIMEOUT_MS): a generous jest timeout.
  it('a WebSocket that never sends connection_init is closed after the init timeout (4408)', async () => {
    const ws = await openSocket(app.url);
    sockets.push(ws);
    const c = await closed(ws);
    expect(c.code).toBe(4408);
    expect(c.reason).toMatch(/initiali[sz]ation timeout/i);
    await stillServes();
  }, 40_000);

  it('invalid and expired tokens are refused (HTTP 401; WebSocket 4401)', async () => {
    const invalid = await post({ url: app.url, token: 'lkt_forged' }, '{ me { id } }');
    expect(invalid.status).toBe(401);
    expect(firstExtensions(invalid.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID' });

    const token = (await app.services.access.createToken(null, { name: 'short', role: 'CLERK', expiresAt: new Date(clock.now().getTime() + 1000) })).token;
    clock.advance(2000);
    const expired = await post({ url: app.url, token }, '{ me { id } }');
    expect(expired.status).toBe(401);
    expect(firstExtensions(expired.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'EXPIRED' });

    for (const bad of ['lkt_forged', token]) {
      const ws = await openSocket(app.url);
      sockets.push(ws);
      const c = closed(ws);
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${bad}` } }));
      expect((await c).code).toBe(4401);
    }
    await stillServes();
  });

  it('no "Did you mean" in production; introspection refused in production, allowed otherwise', async () => {
    const misspelled = await post(as(prod, 'ADMIN'), '{ me { rol } }');
    expect(misspelled.status).toBe(400);
    expect(JSON.stringify(misspelled.body)).not.toMatch(/Did you mean/);
    expect(misspelled.body.errors![0].message).toMatch(/Cannot query field "rol"/);

    const introspection = '{ __schema { types { name } } }';
    const refused = await post(as(prod, 'ADMIN'), introspection);
    expect(refused.status).toBe(400);
    expect(refused.body.data ?? null).toBeNull();
    expect(JSON.stringify(refused.body)).toMatch(/[Ii]ntrospection/);
    expect(JSON.stringify(refused.body)).not.toMatch(/"Case"|"Requester"/);
    const typeQuery = await post(as(prod, 'ADMIN'), '{ __type(name: "Requester") { fields { name } } }');
    expect(typeQuery.body.data ?? null).toBeNull();

    const allowed = await post(as(app, 'ADMIN'), introspection);
    expect(allowed.status).toBe(200);
    expect(allowed.body.data!.__schema.types.map((t: { name: string }) => t.name)).toContain('Case');
    await stillServes();
  });

  it('CSRF: a text/plain POST or a simple GET without a preflight header is refused', async () => {
    const body = JSON.stringify({ query: '{ me { id } }' });
    const auth = { authorization: `Bearer ${as(app, 'ADMIN').token}` };
    const textPlain = await raw(app.url, { method: 'POST', headers: { 'content-type': 'text/plain', ...auth }, body });
    const simpleGet = await raw(app.url, { method: 'GET', headers: auth, search: `?query=${encodeURIComponent('{ me { id } }')}` });
    for (const r of [textPlain, simpleGet]) {
      track('csrf', r.text);
      expect(r.status).toBe(400);
      expect(r.json.errors[0].message).toMatch(/Cross-Site Request Forgery/);
      expect(r.text).not.toContain('"me"');
    }
    const preflighted = await raw(app.url, {
      method: 'GET',
      headers: { 'apollo-require-preflight': 'true', ...auth },
      search: `?query=${encodeURIComponent('{ me { role } }')}`,
    });
    expect(preflighted.status).toBe(200);
    expect(preflighted.json.data.me.role).toBe('ADMIN');
    await stillServes();
  });

  it('security headers: nosniff, frame DENY, a CSP, no x-powered-by (development and production)', async () => {
    for (const target of [app, prod]) {
      const r = await raw(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${as(target, 'ADMIN').token}` },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(r.headers.get('x-powered-by')).toBeNull();
      const refused = await raw(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id } }' }) });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
      expect(refused.headers.get('x-powered-by')).toBeNull();
    }
    const prodCsp = (await raw(prod.url, { method: 'GET', search: '?query=%7B__typename%7D', headers: { 'apollo-require-preflight': '1' } })).headers.get('content-security-policy');
    expect(prodCsp).toBe("default-src 'none';frame-ancestors 'none'");
    const health = await raw(app.url.replace(/\/graphql$/, '/healthz'), { method: 'GET' });
    expect(health.headers.get('x-powered-by')).toBeNull();
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('no GraphQL answer above carried a stack trace', async () => {
    expect(bodies.length).toBeGreaterThan(10);
    const leaking = bodies.filter((b) => STACK.test(b.text));
    expect(leaking).toEqual([]);
  });

  it('anonymous callers get no more than a refusal', async () => {
    const r = await post(anonymous(app), '{ cases(first: 1) { totalCount } }');
    expect(r.status).toBe(401);
    expect(firstExtensions(r.body)).toEqual({ code: 'UNAUTHENTICATED', reason: 'MISSING' });
  });
});
