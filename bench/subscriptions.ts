import { createClient, Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import http from 'node:http';
import { createBenchDatabase } from './db';
import { graphqlOk, keepAliveAgent, postJson } from './http-client';
import { authHeaders } from './auth';
import { ServerProcess, startServerProcess } from './server-process';
import { fmt, num, percentile, printResult, ratio } from './stats';

export interface SubscriptionParams {
  k: number;
  connections: number;
  perConnection: number;
  rounds: number;
  warmup: number;
  poolSize: number;
  deliveryTimeoutMs: number;
}

const SELECTION = `{ id reference kind channel status subject receivedAt dueAt }`;
const SUBSCRIBE = `subscription { caseCreated ${SELECTION} }`;
const LOKET_PUBLISH = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id } }`;
const BARE_PUBLISH = `mutation($subject: String!) { publish(subject: $subject) { id } }`;

interface Pending {
  tag: string;
  t0: number;
  latencies: number[];
  expected: number;
  resolve: () => void;
}

interface Target {
  name: string;
  server: ServerProcess;
  clients: WsClient[];
  agent: http.Agent;
  pending: Pending | null;
  errors: number;
  firstError?: string;
  publishBody(tag: string): string;
  // results over measured cases
  deliveries: number[];
  lastDelivery: number[];
  mutationRtt: number[];
  missed: number;
}

/** Opens `connections` graphql-ws clients and `perConnection` caseCreated subscriptions on each. */
async function subscribeAll(t: Target, p: SubscriptionParams): Promise<void> {
  const wsUrl = t.server.url.replace(/^http/, 'ws');
  const onData = (subject: string): void => {
    const cur = t.pending;
    if (!cur || subject !== cur.tag) return; // a late copy of an earlier case
    cur.latencies.push(performance.now() - cur.t0);
    if (cur.latencies.length === cur.expected) cur.resolve();
  };
  const connected = Array.from({ length: p.connections }, () =>
    new Promise<WsClient>((resolve, reject) => {
      const client: WsClient = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: authHeaders(t.server.url),
        lazy: false,
        retryAttempts: 0,
        on: { connected: () => resolve(client), error: (e) => reject(e instanceof Error ? e : new Error('websocket error')) },
      });
      t.clients.push(client);
    }),
  );
  await Promise.all(connected);
  for (const client of t.clients) {
    for (let i = 0; i < p.perConnection; i++) {
      client.subscribe<{ caseCreated: { subject: string } }>(
        { query: SUBSCRIBE },
        {
          next: (v) => {
            if (v.errors?.length) {
              t.errors++;
              t.firstError ??= JSON.stringify(v.errors).slice(0, 300);
            }
            if (v.data) onData(v.data.caseCreated.subject);
          },
          error: (e) => {
            t.errors++;
            t.firstError ??= String((e as Error)?.message ?? JSON.stringify(e)).slice(0, 300);
          },
          complete: () => undefined,
        },
      );
    }
  }
}

let tagSeq = 0;

/** Publishes one case and waits until every subscriber saw it (or the timeout). */
async function publishOne(t: Target, p: SubscriptionParams, record: boolean): Promise<number> {
  const tag = `bench-sub ${process.pid} ${t.name} #${++tagSeq}`;
  const expected = p.connections * p.perConnection;
  let resolve!: () => void;
  const all = new Promise<void>((r) => (resolve = r));
  const cur: Pending = { tag, t0: 0, latencies: [], expected, resolve };
  t.pending = cur;
  const url = new URL(t.server.url);
  const body = t.publishBody(tag);
  cur.t0 = performance.now();
  const res = await postJson(t.agent, url, body);
  const rtt = performance.now() - cur.t0;
  if (!graphqlOk(res)) throw new Error(`${t.name} publish failed: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, p.deliveryTimeoutMs)))]);
  clearTimeout(timer);
  t.pending = null;
  if (record) {
    t.deliveries.push(...cur.latencies);
    if (cur.latencies.length) t.lastDelivery.push(cur.latencies[cur.latencies.length - 1]);
    t.mutationRtt.push(rtt);
    t.missed += expected - cur.latencies.length;
  }
  return cur.latencies.length;
}

export async function benchSubscriptions(p: SubscriptionParams, defer: (fn: () => Promise<void>) => void): Promise<void> {
  const total = p.connections * p.perConnection;
  console.log(`\n== 2. Subscription delivery latency ==`);
  console.log(
    `${total} caseCreated subscribers = ${p.connections} graphql-ws connections x ${p.perConnection} subscriptions each (ws package), per server.\n` +
      `K=${p.k} cases per server, published one at a time (next only after all ${total} got it or ${p.deliveryTimeoutMs} ms), ` +
      `${p.rounds} alternating rounds, warm-up ${p.warmup} cases each.\n` +
      `Latency = mutation POST sent -> subscriber's next() callback, in the bench process; servers run in child processes.\n` +
      `Loket: logPhoneCall over HTTP (commit -> NOTIFY -> outbox listener -> loadChange -> fan-out). ` +
      `Baseline: bare graphql-ws useServer + graphql-js schema, in-memory pubsub published by an HTTP mutation.`,
  );
  const db = await createBenchDatabase('subs_loket', false);
  defer(db.drop);
  const mk = async (name: string, server: ServerProcess, publishBody: (tag: string) => string): Promise<Target> => {
    const t: Target = {
      name, server, clients: [], agent: keepAliveAgent(2), pending: null, errors: 0, publishBody,
      deliveries: [], lastDelivery: [], mutationRtt: [], missed: 0,
    };
    defer(async () => {
      await Promise.all(t.clients.map((c) => c.dispose()));
      t.agent.destroy();
    });
    await subscribeAll(t, p);
    return t;
  };
  const loketServer = await startServerProcess({ start: 'loket', databaseUrl: db.url, poolSize: p.poolSize });
  defer(loketServer.stop);
  const bareServer = await startServerProcess({ start: 'bare' });
  defer(bareServer.stop);
  const loket = await mk('loket', loketServer, (tag) =>
    JSON.stringify({ query: LOKET_PUBLISH, variables: { input: { kind: 'COMPLAINT', subject: tag, description: 'Pelapor menelepon ke ekstensi 126.', callerNumber: '0812-3456-7890' } } }),
  );
  const bare = await mk('baseline', bareServer, (tag) => JSON.stringify({ query: BARE_PUBLISH, variables: { subject: tag } }));

  // Warm-up; subscriptions become active asynchronously, so keep going until one case reaches all.
  for (const t of [loket, bare]) {
    let fullyDelivered = 0;
    for (let i = 0; i < p.warmup + 10 && (i < p.warmup || fullyDelivered === 0); i++) {
      if ((await publishOne(t, p, false)) === total) fullyDelivered++;
    }
    if (fullyDelivered === 0) console.log(`WARNING: ${t.name}: no warm-up case reached all ${total} subscribers`);
  }

  const perRound = Math.max(1, Math.ceil(p.k / p.rounds));
  let published = 0;
  for (let round = 0; published < p.k; round++) {
    const n = Math.min(perRound, p.k - published);
    const order = round % 2 === 0 ? [loket, bare] : [bare, loket];
    for (const t of order) for (let i = 0; i < n; i++) await publishOne(t, p, true);
    published += n;
  }

  const row = (t: Target): string =>
    `${t.name.padEnd(9)} deliveries ${t.deliveries.length} (missed ${t.missed}, errors ${t.errors})  ` +
    `p50 ${fmt(percentile(t.deliveries, 50))} ms  p99 ${fmt(percentile(t.deliveries, 99))} ms  max ${fmt(percentile(t.deliveries, 100))} ms  ` +
    `| last-of-${total} p50 ${fmt(percentile(t.lastDelivery, 50))} ms | mutation RTT p50 ${fmt(percentile(t.mutationRtt, 50))} ms`;
  console.log(row(loket));
  console.log(row(bare));
  for (const t of [loket, bare]) if (t.firstError) console.log(`  first ${t.name} error: ${t.firstError}`);
  console.log(
    `summary subscriptions: loket p50 ${fmt(percentile(loket.deliveries, 50))} ms / p99 ${fmt(percentile(loket.deliveries, 99))} ms, ` +
      `baseline p50 ${fmt(percentile(bare.deliveries, 50))} ms / p99 ${fmt(percentile(bare.deliveries, 99))} ms, ` +
      `ratio loket/baseline p50 ${ratio(percentile(loket.deliveries, 50), percentile(bare.deliveries, 50))} ` +
      `p99 ${ratio(percentile(loket.deliveries, 99), percentile(bare.deliveries, 99))}`,
  );
  const lp = (q: number): number => percentile(loket.deliveries, q);
  const bp = (q: number): number => percentile(bare.deliveries, q);
  printResult('subscriptions', {
    ratio: num(lp(99) / bp(99)),
    ratioP50: num(lp(50) / bp(50)),
    loketP50Ms: num(lp(50), 1),
    loketP99Ms: num(lp(99), 1),
    baselineP50Ms: num(bp(50), 1),
    baselineP99Ms: num(bp(99), 1),
    subscribers: total,
    missed: loket.missed,
    target: 1.25,
  });
}
