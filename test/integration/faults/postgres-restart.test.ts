import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { LoketApp } from '../../../src/app';
import { buildPhoneCall } from '../../support/builders';
import pino from 'pino';
import { Writable } from 'node:stream';
import { startLoket } from '../../../src/app';
import { as, collect, gqlResponse, issueRoleTokens, testConfig, wsClient } from '../../support/test-app';
import { startThrowawayPostgres, ThrowawayPostgres } from '../../support/throwaway-postgres';
import { trackedWsClient, waitFor } from '../../support/live';
import { ADD_NOTE, SUB_CASE_EVENTS } from '../subscriptions/helpers';

const LOG = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id reference } }`;
const CLIENTS = 4;
const BEFORE_MS = 1_500;
const OUTAGE_MS = 3_000;
const AFTER_MS = 1_500;
/** What an answer must never show: the driver's words, the database host and port. */
const DRIVER_TEXT = /ECONNREFUSED|ECONNRESET|127\.0\.0\.1|5432|starting up|shutting down|terminat|Context creation failed|connect /i;

type Answer = { key: string; status: number; code: string | null; retryAfter: string | null; text: string; ms: number; at: number; ok: boolean; correlationId: unknown };

/**
 * PostgreSQL restarted under load (its own throwaway cluster, stopped for 3 s): clients keep
 * logging calls, each retrying its own idempotency key until it is answered. Every request is
 * answered, fast: 503 SERVICE_UNAVAILABLE with Retry-After and no driver text during the
 * outage, success after; no case is lost or doubled; readiness is false during the outage and
 * true after, by itself; a subscriber that stays connected gets every committed event once,
 * in cursor order.
 */
describe('PostgreSQL restart under load', () => {
  let pg: ThrowawayPostgres;
  let app: LoketApp;
  const logLines: Record<string, any>[] = [];

  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query('CREATE DATABASE loket_test_fault');
    await admin.end();
    // The log is kept to check what it says about the outage.
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    app = await startLoket(testConfig({ kind: 'postgres', url: pg.urlFor('loket_test_fault'), poolSize: 10 }), { log: pino({ level: 'info' }, sink) });
    await issueRoleTokens(app);
  }, 60_000);
  afterAll(async () => {
    await app?.stop().catch(() => undefined);
    pg?.destroy();
  });

  let wsOutage: ReturnType<typeof trackedWsClient>;
  let wsOperation: any;
  /** One request to each other entry point while the database is down. */
  const outageProbes = async (base: string, ws: ReturnType<typeof wsClient>) => {
    const auth = { authorization: `Bearer ${as(app, 'COMPLAINT_OFFICER').token}` };
    const answer = async (name: string, r: Promise<Response>) => {
      const res = await r;
      const text = await res.text();
      return { name, status: res.status, retryAfter: res.headers.get('retry-after'), text, json: (res.headers.get('content-type') ?? '').includes('json') };
    };
    const out = await Promise.all([
      answer('receipt', fetch(`${base}/cases/${randomUUID()}/receipt.pdf`, { headers: auth })),
      answer('report', fetch(`${base}/reports/cases.csv?from=2026-01-01&to=2026-02-01`, { headers: auth })),
      answer('file', fetch(`${base}/files/${randomUUID()}`, { headers: auth })),
      answer('status', fetch(`${base}/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'reference=KESRA-ADU-2026-000001&accessCode=ABCD-EFGH' })),
    ]);
    wsOutage = trackedWsClient(app.url, as(app, 'COMPLAINT_OFFICER').token);
    const one = collect(ws, SUB_CASE_EVENTS, { caseId: randomUUID() });
    await waitFor(() => wsOutage.closes.length > 0 && one.errors.length > 0, 'the WebSocket answers during the outage');
    wsOperation = one.errors[0];
    one.dispose();
    await wsOutage.client.dispose();
    return out;
  };

  it('answers every request (503 while down), loses and doubles nothing, and streams every event in order', async () => {
    const base = app.url.replace(/\/graphql$/, '');
    const ws = wsClient(app.url);
    const sub = collect<{ caseEvents: { id: string; cursor: string; caseId: string; type: string } }>(ws, SUB_CASE_EVENTS, {});
    await waitFor(() => app.services.stream.subscriberCount > 0, 'the subscription');

    const t0 = Date.now();
    const answers: Answer[] = [];
    const keys: string[] = [];
    let running = true;
    const client = async (): Promise<void> => {
      while (running) {
        const key = randomUUID();
        keys.push(key);
        const input = buildPhoneCall({ idempotencyKey: key });
        for (;;) {
          const started = Date.now();
          let a: Answer;
          try {
            const r = await gqlResponse(app.url, LOG, { input });
            const e = r.body.errors?.[0];
            a = { key, status: r.status, code: e?.extensions?.code ?? null, retryAfter: r.headers.get('retry-after'), text: JSON.stringify(r.body), ms: Date.now() - started, at: started - t0, ok: !!r.body.data?.logPhoneCall, correlationId: e?.extensions?.correlationId };
          } catch (err) {
            a = { key, status: 0, code: 'NETWORK', retryAfter: null, text: String(err), ms: Date.now() - started, at: started - t0, ok: false, correlationId: null };
          }
          answers.push(a);
          if (a.ok) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const readiness: { at: number; status: number; events: boolean }[] = [];
    const probe = setInterval(() => {
      const at = Date.now() - t0;
      void fetch(`${base}/readyz`).then(
        async (r) => readiness.push({ at, status: r.status, events: ((await r.json()) as any).checks?.events === true }),
        () => readiness.push({ at, status: 0, events: false }),
      );
    }, 100);
    // Notes on the first case interleave with the intakes (other writers, other transactions).
    let notes = 0;
    const noter = async (): Promise<void> => {
      while (!answers.some((a) => a.ok) && running) await new Promise((r) => setTimeout(r, 20));
      const caseId = JSON.parse(answers.find((a) => a.ok)!.text).data.logPhoneCall.id;
      while (running) {
        const r = await gqlResponse(app.url, ADD_NOTE, { id: caseId, text: `catatan ${notes}` }).catch(() => null);
        if (r?.body.data) notes++;
        else if (r) answers.push({ key: 'note', status: r.status, code: r.body.errors?.[0]?.extensions?.code ?? null, retryAfter: r.headers.get('retry-after'), text: JSON.stringify(r.body), ms: 0, at: Date.now() - t0, ok: false, correlationId: r.body.errors?.[0]?.extensions?.correlationId });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const clients = [...Array.from({ length: CLIENTS }, () => client()), noter()];

    await new Promise((r) => setTimeout(r, BEFORE_MS));
    const stopAt = Date.now() - t0;
    await pg.stop();
    const stoppedAt = Date.now() - t0;
    const probes = await outageProbes(base, ws);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - t0 - stoppedAt))));
    const startAt = Date.now() - t0;
    await pg.start();
    const startedAt = Date.now() - t0;
    await new Promise((r) => setTimeout(r, AFTER_MS));
    running = false;
    await Promise.all(clients);
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 'readiness after the restart', 15_000);
    clearInterval(probe);

    // Every key answered with one case each: none lost, none doubled.
    const db = new Client({ connectionString: pg.urlFor('loket_test_fault') });
    await db.connect();
    try {
      const okKeys = new Set(answers.filter((a) => a.ok && a.key !== 'note').map((a) => a.key));
      expect(okKeys.size).toBe(keys.length);
      const cases = Number((await db.query(`SELECT count(*) AS n FROM cases`)).rows[0].n);
      expect(cases).toBe(keys.length);
      const byKey = new Map<string, Set<string>>();
      for (const a of answers.filter((x) => x.ok)) byKey.set(a.key, (byKey.get(a.key) ?? new Set()).add(JSON.parse(a.text).data.logPhoneCall.id));
      expect([...byKey.values()].every((ids) => ids.size === 1)).toBe(true);

      // Failures: only 503 SERVICE_UNAVAILABLE with Retry-After, a correlation id, no driver text.
      const failures = answers.filter((a) => !a.ok);
      expect(failures.length).toBeGreaterThan(0);
      const shapes = new Set(failures.map((a) => `${a.status} ${a.code} retry-after=${a.retryAfter !== null}`));
      // On failure, what else was answered and what the log says about it.
      if (shapes.size !== 1) process.stdout.write(`${JSON.stringify(failures.filter((a) => a.code !== 'SERVICE_UNAVAILABLE').slice(0, 3))}\n${JSON.stringify(logLines.filter((l) => l.level >= 50).slice(0, 5))}\n`);
      expect([...shapes]).toEqual(['503 SERVICE_UNAVAILABLE retry-after=true']);
      expect(failures.filter((a) => DRIVER_TEXT.test(a.text)).map((a) => a.text)).toEqual([]);
      expect(failures.every((a) => typeof a.correlationId === 'string')).toBe(true);

      // The log says what happened in English, without driver stack traces.
      const outageLines = logLines.filter((l) => l.time >= t0);
      // (pino-http's "request errored" lines carry a stack of its own making, not the driver's.)
      const driverStack = /node_modules\/(pg|pg-pool|typeorm)\/|ECONNREFUSED[^"]*\\n\s+at |QueryRunnerProviderAlreadyReleasedError[^"]*\\n\s+at /;
      expect(outageLines.filter((l) => driverStack.test(JSON.stringify(l))).map((l) => l.msg)).toEqual([]);
      expect(outageLines.some((l) => l.msg === 'database unavailable; answered SERVICE_UNAVAILABLE')).toBe(true);

      // The other entry points answer alike during the outage.
      expect(probes.filter((p) => p.status !== 503 || p.retryAfter === null || DRIVER_TEXT.test(p.text))).toEqual([]);
      expect(probes.filter((p) => p.json).every((p) => p.text.includes('SERVICE_UNAVAILABLE') && p.text.includes('correlationId'))).toBe(true);
      expect(wsOutage.closes.map((c) => c.code)).toContain(1013);
      expect(wsOperation).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
      expect(DRIVER_TEXT.test(JSON.stringify(wsOperation))).toBe(false);

      // Readiness: false while down, true after.
      expect(readiness.some((r) => r.at > stoppedAt && r.at < startAt && r.status === 503)).toBe(true);

      // The subscriber: every committed event, once, in cursor order.
      const stored = (await db.query(`SELECT id::text AS id FROM case_events ORDER BY case_events.id`)).rows.map((r) => r.id as string);
      await waitFor(() => sub.items.length >= stored.length || sub.errors.length > 0, `all ${stored.length} events on the subscription (got ${sub.items.length})`, 15_000);
      expect(sub.errors).toEqual([]);
      const got = sub.items.map((i) => i.caseEvents.id);
      expect(got).toEqual(stored);

      const listenerBack = readiness.filter((r) => r.at >= startedAt && r.events).sort((a, b) => a.at - b.at)[0];
      const firstOkAfter = answers.filter((a) => a.ok && a.at >= startedAt).sort((a, b) => a.at - b.at)[0];
      const lastFailure = failures.reduce((m, a) => Math.max(m, a.at + a.ms), 0);
      // Measurements for the report (not asserted on: no timed assertions).
      process.stdout.write(
        `postgres-restart: keys=${keys.length} cases=${cases} notes=${notes} answers=${answers.length} failures=${failures.length} ` +
          `failureMs(max)=${Math.max(...failures.map((a) => a.ms))} stop=${stopAt}-${stoppedAt}ms start=${startAt}-${startedAt}ms ` +
          `lastFailureEnd=${lastFailure}ms firstOkAfterStart=${firstOkAfter ? firstOkAfter.at + firstOkAfter.ms - startedAt : 'none'}ms ` +
          `events=${stored.length} received=${got.length} listenerBackAfterStart<=${listenerBack ? listenerBack.at - startedAt + 100 : 'never'}ms\n`,
      );
    } finally {
      await db.end();
      await ws.dispose();
    }
  }, 60_000);
});
