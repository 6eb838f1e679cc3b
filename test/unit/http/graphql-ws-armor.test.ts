import http from 'node:http';
import { AddressInfo } from 'node:net';
import { buildSchema, GraphQLError } from 'graphql';
import { createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { armoredExecutionArgs } from '../../../src/adapters/http/graphql-armor';

/** The onSubscribe wiring handed to the integrator, exercised over a real socket. */
describe('graphql-ws with armoredExecutionArgs in onSubscribe', () => {
  const schema = buildSchema('type Query { node: Node }  type Node { id: ID  next: Node }');
  const rootValue = { node: () => ({ id: '1', next: null }) };
  let server: http.Server;
  let dispose: () => Promise<void> | void;
  let url: string;

  beforeAll(async () => {
    server = http.createServer();
    const wss = new WebSocketServer({ server, path: '/graphql' });
    const cleanup = useServer({ schema, roots: { query: rootValue }, onSubscribe: (_ctx, _id, payload) => armoredExecutionArgs(schema, payload) }, wss);
    dispose = () => cleanup.dispose();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await dispose();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function run(query: string): Promise<{ data?: unknown; errors?: readonly GraphQLError[] | readonly { message: string; extensions?: Record<string, unknown> }[] }> {
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    try {
      return await new Promise((resolve, reject) => {
        let result: { data?: unknown } = {};
        client.subscribe(
          { query },
          {
            next: (value) => void (result = value as { data?: unknown }),
            error: (errors) => (Array.isArray(errors) ? resolve({ errors }) : reject(errors)),
            complete: () => resolve(result),
          },
        );
      });
    } finally {
      await client.dispose();
    }
  }

  it('executes a normal operation', async () => {
    expect(await run('{ node { id next { id } } }')).toEqual({ data: { node: { id: '1', next: null } } });
  });

  it('answers a depth bomb with an operation error, socket kept', async () => {
    const deep = `{ node { ${'next { '.repeat(12)}id${' }'.repeat(12)} } }`;
    const { errors } = await run(deep);
    expect(errors).toEqual([{ message: 'Query depth limit of 10 exceeded, found 14.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth' } }]);
  });

  it('answers a token flood with GRAPHQL_PARSE_FAILED', async () => {
    const { errors } = await run(`{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`);
    expect(errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: 'maxTokens' } });
  });
});
