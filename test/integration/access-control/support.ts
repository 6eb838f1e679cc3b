import { Client as WsClient } from 'graphql-ws';
import { LoketApp } from '../../../src/app';
import { GqlResult } from '../../support/test-app';
import { streamsOpened, waitFor } from '../../support/live';
export { queryDb, streamsOpened, trackedWsClient, waitFor } from '../../support/live';

/** The error codes of a GraphQL response, in order. */
export function codes(body: GqlResult): string[] {
  return (body.errors ?? []).map((e) => String(e.extensions?.code));
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

