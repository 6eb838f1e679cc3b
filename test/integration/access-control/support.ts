import { createClient, Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Client as PgClient } from 'pg';
import { LoketApp } from '../../../src/app';
import { GqlResult } from '../../support/test-app';

/** Polls `cond` until true; fails with `what` after a generous bound (a wait, not a timed assertion). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The error codes of a GraphQL response, in order. */
export function codes(body: GqlResult): string[] {
  return (body.errors ?? []).map((e) => String(e.extensions?.code));
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
    for (const name of ['caseCreated', 'caseEvents']) {
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

/** A graphql-ws client that records how the server closed the socket. */
export function trackedWsClient(httpUrl: string, token: string | null): { client: WsClient; closes: { code: number; reason: string }[] } {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: {
      closed: (e) => {
        const ev = e as { code?: number; reason?: string };
        closes.push({ code: ev.code ?? -1, reason: String(ev.reason ?? '') });
      },
    },
    onNonLazyError: () => undefined,
  });
  return { client, closes };
}

/** Live subscription collecting data and errors (GraphQL errors or a close event). */
export interface LiveSub<T = any> {
  items: T[];
  errors: any[];
  completed: boolean;
  dispose: () => void;
}

export function subscribe<T = any>(client: WsClient, query: string, variables?: Record<string, unknown>): LiveSub<T> {
  const sub: LiveSub<T> = { items: [], errors: [], completed: false, dispose: () => undefined };
  sub.dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) sub.errors.push(...v.errors);
        if (v.data) sub.items.push(v.data as T);
      },
      error: (e) => {
        if (Array.isArray(e)) sub.errors.push(...e);
        else sub.errors.push(e);
      },
      complete: () => {
        sub.completed = true;
      },
    },
  );
  return sub;
}

/** Subscribes and resolves once the server registered the subscription's stream; throws on any error first. */
export async function subscribeLive<T = any>(app: LoketApp, client: WsClient, query: string, variables?: Record<string, unknown>): Promise<LiveSub<T>> {
  const counter = streamsOpened(app);
  const before = counter.count;
  const sub = subscribe<T>(client, query, variables);
  await waitFor(() => counter.count > before || sub.errors.length > 0 || sub.completed, 'the subscription to be registered on the server');
  if (sub.errors.length || sub.completed) {
    sub.dispose();
    throw new Error(`subscription failed: ${JSON.stringify(sub.errors)}`);
  }
  return sub;
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
