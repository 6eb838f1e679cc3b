import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { authHeaders } from './auth';
import { createBenchDatabase } from './db';
import { ServerProcess, startServerProcess } from './server-process';
import { fmt, num, printResult } from './stats';

export interface MemoryParams {
  subscribers: number;
}

const TARGET_POSTGRES_MB = 120;
const TARGET_PGLITE_MB = 300;

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** RSS of the server process once start-up work has settled and a full GC has run. */
async function settledRss(server: ServerProcess): Promise<number> {
  await new Promise((r) => setTimeout(r, 2_000));
  await server.gc();
  await new Promise((r) => setTimeout(r, 500));
  return rssMb(server.pid);
}

async function subscribe(server: ServerProcess, total: number): Promise<WsClient[]> {
  const perConnection = 20;
  const connections = Math.ceil(total / perConnection);
  const clients: WsClient[] = [];
  const wsUrl = server.url.replace(/^http/, 'ws');
  await Promise.all(
    Array.from({ length: connections }, () =>
      new Promise<void>((resolve, reject) => {
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: authHeaders(server.url),
          lazy: false,
          retryAttempts: 0,
          onNonLazyError: () => undefined, // the close at the end of the section is expected, not worth a console dump
          on: { connected: () => resolve(), error: (e) => reject(e instanceof Error ? e : new Error('websocket error')) },
        });
        clients.push(client);
      }),
    ),
  );
  let n = 0;
  for (const c of clients) {
    for (let i = 0; i < perConnection && n < total; i++, n++) {
      c.subscribe({ query: 'subscription { caseCreated { id reference subject } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    }
  }
  return clients;
}

/**
 * RSS of an idle Loket (after start-up and a full GC) on PostgreSQL and on embedded PGlite
 * (a fresh data directory: the first start migrates it; then a second start on it), and on
 * PostgreSQL with `subscribers` caseCreated subscriptions open.
 */
export async function benchMemory(p: MemoryParams, defer: (fn: () => Promise<void>) => void): Promise<void> {
  console.log('\n== 6. Memory: RSS of an idle instance ==');
  console.log(`Server in a child process started with --expose-gc; RSS read from /proc after start-up, 2 s idle and a full GC. Targets: PostgreSQL <= ${TARGET_POSTGRES_MB} MB, PGlite <= ${TARGET_PGLITE_MB} MB.`);
  const db = await createBenchDatabase('memory', false);
  defer(db.drop);
  const gcArgs = ['--expose-gc'];

  const pg = await startServerProcess({ start: 'loket', databaseUrl: db.url, poolSize: 20 }, gcArgs);
  defer(pg.stop);
  const postgresIdle = await settledRss(pg);
  console.log(`PostgreSQL: idle ${fmt(postgresIdle)} MB`);
  const clients = await subscribe(pg, p.subscribers);
  defer(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });
  const withSubscribers = await settledRss(pg);
  console.log(`PostgreSQL: with ${p.subscribers} caseCreated subscribers ${fmt(withSubscribers)} MB (${fmt((withSubscribers - postgresIdle) * 1024 / p.subscribers, 1)} KB per subscriber)`);
  await Promise.all(clients.map((c) => c.dispose()));
  await pg.stop();

  const dir = mkdtempSync(path.join(os.tmpdir(), 'loket-bench-pglite-'));
  defer(async () => rmSync(dir, { recursive: true, force: true }));
  const first = await startServerProcess({ start: 'loket', databaseUrl: '', poolSize: 1, pgliteDir: dir }, gcArgs);
  defer(first.stop);
  const pgliteFirst = await settledRss(first);
  await first.stop();
  console.log(`PGlite: first start (fresh data directory, migrations) ${fmt(pgliteFirst)} MB`);
  const second = await startServerProcess({ start: 'loket', databaseUrl: '', poolSize: 1, pgliteDir: dir }, gcArgs);
  defer(second.stop);
  const pgliteIdle = await settledRss(second);
  await second.stop();
  console.log(`PGlite: idle on a migrated data directory ${fmt(pgliteIdle)} MB`);

  printResult('memory', {
    ratio: num(postgresIdle / TARGET_POSTGRES_MB),
    ratioPglite: num(pgliteIdle / TARGET_PGLITE_MB),
    postgresIdleMb: num(postgresIdle, 1),
    postgresWithSubscribersMb: num(withSubscribers, 1),
    subscribers: p.subscribers,
    pgliteFirstStartMb: num(pgliteFirst, 1),
    pgliteIdleMb: num(pgliteIdle, 1),
    targetPostgresMb: TARGET_POSTGRES_MB,
    targetPgliteMb: TARGET_PGLITE_MB,
  });
}
