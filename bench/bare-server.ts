import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { graphql, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';

/** The baseline: graphql-js + graphql-ws, one subscription fed by an in-memory pubsub. */

interface Item {
  id: string;
  reference: string;
  kind: string;
  channel: string;
  status: string;
  subject: string;
  receivedAt: string;
  dueAt: string;
}

/** Minimal push-to-pull queue per subscriber (same shape as Loket's CaseStream queue, unbounded). */
class PubSub {
  private readonly subscribers = new Set<(item: Item) => void>();

  publish(item: Item): void {
    for (const s of this.subscribers) s(item);
  }

  subscribe(): AsyncIterableIterator<Item> {
    const items: Item[] = [];
    let waiting: ((r: IteratorResult<Item>) => void) | null = null;
    let done = false;
    const push = (item: Item): void => {
      if (waiting) {
        const w = waiting;
        waiting = null;
        w({ value: item, done: false });
      } else items.push(item);
    };
    this.subscribers.add(push);
    const finish = (): Promise<IteratorResult<Item>> => {
      done = true;
      this.subscribers.delete(push);
      if (waiting) waiting({ value: undefined, done: true });
      waiting = null;
      return Promise.resolve({ value: undefined, done: true });
    };
    const it: AsyncIterableIterator<Item> = {
      next: () => {
        if (items.length) return Promise.resolve({ value: items.shift() as Item, done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: finish,
      throw: (err: unknown) => finish().then(() => Promise.reject(err)),
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }
}

const s = (): { type: GraphQLNonNull<typeof GraphQLString> } => ({ type: new GraphQLNonNull(GraphQLString) });

export function bareSchema(pubsub: PubSub): GraphQLSchema {
  const ItemType = new GraphQLObjectType({
    name: 'Case',
    fields: { id: s(), reference: s(), kind: s(), channel: s(), status: s(), subject: s(), receivedAt: s(), dueAt: s() },
  });
  let seq = 0;
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
    mutation: new GraphQLObjectType({
      name: 'Mutation',
      fields: {
        publish: {
          type: new GraphQLNonNull(ItemType),
          args: { subject: s() },
          resolve: (_root, args: { subject: string }) => {
            const now = new Date();
            const item: Item = {
              id: randomUUID(),
              reference: `ADU-2026-${String(++seq).padStart(6, '0')}`,
              kind: 'COMPLAINT',
              channel: 'PHONE',
              status: 'RECEIVED',
              subject: args.subject,
              receivedAt: now.toISOString(),
              dueAt: new Date(now.getTime() + 5 * 86_400_000).toISOString(),
            };
            pubsub.publish(item);
            return item;
          },
        },
      },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        caseCreated: {
          type: new GraphQLNonNull(ItemType),
          subscribe: () => pubsub.subscribe(),
          resolve: (item: Item) => item,
        },
      },
    }),
  });
}

/** HTTP POST /graphql (queries and the publish mutation) and WebSocket /graphql, on 127.0.0.1. */
export async function startBareServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const schema = bareSchema(new PubSub());
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/graphql') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let body: string;
        try {
          const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
          body = JSON.stringify(await graphql({ schema, source: query, variableValues: variables }));
        } catch (err) {
          body = JSON.stringify({ errors: [{ message: (err as Error).message }] });
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      })();
    });
  });
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: 1024 * 1024 });
  const cleanup = useServer({ schema }, wss);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await cleanup.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
