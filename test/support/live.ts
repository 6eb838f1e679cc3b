import { createClient, Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Client as PgClient } from 'pg';
import { LoketApp } from '../../src/app';

/** Polls `cond` until true; fails with `what` after a generous bound (a wait, not a timed assertion). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs one query against a database directly (to inspect what is stored). */
export async function queryDb<T = Record<string, any>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new PgClient({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** A graphql-ws client that records how the server closed the socket. */
export function trackedWsClient(httpUrl: string, token: string | null): { client: WsClient; closes: { code: number; reason: string }[]; connected: () => boolean } {
  const closes: { code: number; reason: string }[] = [];
  let isConnected = false;
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: {
      connected: () => {
        isConnected = true;
      },
      closed: (e) => {
        const ev = e as { code?: number; reason?: string };
        closes.push({ code: ev.code ?? -1, reason: String(ev.reason ?? '') });
      },
    },
    onNonLazyError: () => undefined,
  });
  return { client, closes, connected: () => isConnected };
}

/**
 * Counts how often the server opened a case stream (the subscription resolvers call
 * CaseStream.caseCreated / caseEvents once the operation passed authorization). The count
 * only goes up, so "more than before" means "this subscription is live on the server".
 */
const opened = new WeakMap<object, { count: number }>();
export function streamsOpened(app: LoketApp): { count: number } {
  const stream = app.services.stream as unknown as Record<string, (...a: unknown[]) => unknown>;
  let counter = opened.get(stream);
  if (!counter) {
    const c = { count: 0 };
    counter = c;
    for (const name of ['caseCreated', 'caseEvents', 'liveEvents']) {
      const original = stream[name].bind(stream);
      stream[name] = (...args: unknown[]) => {
        const r = original(...args);
        c.count++;
        return r;
      };
    }
    opened.set(stream, c);
  }
  return counter;
}

