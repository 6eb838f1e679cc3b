import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { createTestDatabase } from '../../support/database';
import { queryDb, trackedWsClient, waitFor } from '../../support/live';
import { ServerProcess, startServerProcess, testDataKey } from '../../support/server-process';
import { SUB_CASE_EVENTS } from '../subscriptions/helpers';

const TOKEN = `boot-${randomBytes(24).toString('hex')}`;

/** Sends `head` and the first part of the body now; `finish()` sends the rest and resolves with the status line's code. */
function slowUpload(port: number, head: string, first: Buffer, rest: Buffer): { finish(): Promise<number> } {
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (answer += d));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.write(head);
  socket.write(first);
  return {
    finish: async () => {
      socket.write(rest);
      await closed;
      return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
    },
  };
}

const refusedConnection = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

/**
 * SIGTERM to the real process: it stops accepting connections, finishes the request in
 * flight, closes subscriptions with 1012 (Service Restart, which graphql-ws clients reconnect
 * on), leaves no scheduler lease behind and exits with 0 (its own deadline is 9 s).
 */
describe('graceful shutdown on SIGTERM (real process)', () => {
  let server: ServerProcess | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await server?.kill();
    await drop?.();
  });

  it('stops accepting, finishes the request in flight, closes subscriptions with 1012, releases leases, exits 0', async () => {
    const db = await createTestDatabase('graceful_shutdown');
    drop = db.drop;
    server = await startServerProcess({ DATABASE_URL: db.url, LOKET_BOOTSTRAP_TOKEN: TOKEN, LOKET_DATA_KEY: testDataKey(), LOG_LEVEL: 'info' });
    const { port } = server;
    // The scheduler has had its first look (its jobs are registered).
    await waitFor(async () => (await queryDb(db.url, `SELECT count(*)::int AS n FROM scheduled_jobs`))[0].n > 0, 'the scheduler to register its jobs');

    const ws = trackedWsClient(server.url, TOKEN);
    const events: unknown[] = [];
    ws.client.subscribe({ query: SUB_CASE_EVENTS, variables: {} }, { next: (v) => void events.push(v), error: () => undefined, complete: () => undefined });
    await waitFor(() => ws.connected(), 'the WebSocket connection');

    const body = Buffer.concat([
      Buffer.from(`--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`, 'latin1'),
      Buffer.alloc(8 * 1024, 0x20),
      Buffer.from('\r\n--zzz--\r\n', 'latin1'),
    ]);
    const head = `POST /files HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: multipart/form-data; boundary=zzz\r\ncontent-length: ${body.length}\r\n\r\n`;
    const upload = slowUpload(port, head, body.subarray(0, 1024), body.subarray(1024));
    await new Promise((r) => setTimeout(r, 200));

    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    await waitFor(() => server!.output().includes('shutting down'), 'the shutdown to begin');
    await waitFor(() => refusedConnection(port), 'new connections to be refused');
    // The request in flight still completes.
    expect(await upload.finish()).toBe(201);

    const exit = await server.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(ws.closes.map((c) => c.code)).toContain(1012);
    const leased = await queryDb(db.url, `SELECT name FROM scheduled_jobs WHERE running_on IS NOT NULL OR lease_until IS NOT NULL`);
    expect(leased).toEqual([]);
    process.stdout.write(`graceful-shutdown: exit ${exit.code} after ${exit.at - signalledAt} ms; ws closes ${JSON.stringify(ws.closes)}\n`);
    await ws.client.dispose();
  }, 60_000);
});
