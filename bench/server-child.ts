import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { startLoket } from '../src/app';
import { loadConfig } from '../src/config';
import { startBareServer } from './bare-server';

/**
 * Runs one server (Loket or the bare baseline) in its own process, so the load generator
 * and the subscribers do not share the server's event loop. Talks to the parent over IPC:
 *   parent -> { start: 'loket', databaseUrl, poolSize, dataKey?, role?, pgliteDir? } | { start: 'bare' } | { cpu: true } | { stop: true }
 *   child  -> { ready: url } | { cpu: { user, system } } | { stopped: true } | { failed: message }
 */
type Msg = { start: 'loket'; databaseUrl: string; poolSize: number; dataKey?: string; role?: string; pgliteDir?: string } | { start: 'bare' } | { cpu: true } | { gc: true } | { stop: true };

let stop: (() => Promise<void>) | null = null;
const send = (m: unknown): void => {
  if (process.send) process.send(m);
};

process.on('disconnect', () => process.exit(0)); // the parent went away: never linger
process.on('message', (m: Msg) => {
  void (async () => {
    try {
      if ('start' in m) {
        if (m.start === 'loket') {
          const app = await startLoket(
            loadConfig({
              ...(m.pgliteDir ? { LOKET_DATA_DIR: m.pgliteDir } : { DATABASE_URL: m.databaseUrl }),
              DATABASE_POOL_SIZE: String(m.poolSize),
              PORT: '0',
              HOST: '127.0.0.1',
              LOG_LEVEL: 'silent',
              // A cached database (bench scale) keeps its key: its NIKs were sealed with it.
              LOKET_DATA_KEY: m.dataKey ?? randomBytes(32).toString('base64'),
              // The bench measures throughput, not the abuse limits.
              LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: '1000000,1000000',
            }),
          );
          const { token } = await app.services.access.createToken(null, { name: 'bench', role: (m.role ?? 'COMPLAINT_OFFICER') as 'COMPLAINT_OFFICER' });
          stop = () => app.stop();
          send({ ready: { url: app.url, token } });
        } else {
          const bare = await startBareServer();
          stop = () => bare.stop();
          send({ ready: bare.url });
        }
      } else if ('gc' in m) {
        (globalThis as { gc?: () => void }).gc?.();
        send({ gc: process.memoryUsage() });
      } else if ('cpu' in m) {
        send({ cpu: process.cpuUsage() });
      } else if ('stop' in m) {
        await stop?.();
        send({ stopped: true });
        setTimeout(() => process.exit(0), 50);
      }
    } catch (err) {
      send({ failed: (err as Error).stack ?? String(err) });
    }
  })();
});
