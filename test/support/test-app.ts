import pino from 'pino';
import { createClient, Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { LoketApp, startLoket } from '../../src/app';
import { Clock } from '../../src/domain/shared/clock.port';

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

/** Starts the real server (HTTP + WebSocket) on a free port against the given database. */
export async function startTestApp(databaseUrl: string, clock?: Clock): Promise<LoketApp> {
  return startLoket(
    { port: 0, host: '127.0.0.1', database: { kind: 'postgres', url: databaseUrl, poolSize: 10 }, logLevel: 'silent', production: false },
    { clock, log: pino({ level: 'silent' }) },
  );
}

export interface GqlResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

/** POSTs one GraphQL operation over real HTTP. */
export async function gql<T = Record<string, any>>(url: string, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResult<T>;
}

/** Like gql, but fails the test on any error and returns data. */
export async function gqlOk<T = Record<string, any>>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await gql<T>(url, query, variables);
  if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data as T;
}

export function wsClient(httpUrl: string): WsClient {
  return createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
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
