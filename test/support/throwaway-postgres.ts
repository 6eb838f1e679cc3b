import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL cluster of its own (initdb + pg_ctl from /usr/lib/postgresql/<version>/bin) in a
 * temporary directory, on a free loopback port, with trust authentication: a database that a
 * fault test may stop and start again without touching the shared one. Run as root (here and
 * in CI) it runs as the `postgres` system user, since PostgreSQL refuses to run as root.
 */
export interface ThrowawayPostgres {
  port: number;
  /** Connection URL of the `postgres` database. */
  url: string;
  urlFor(database: string): string;
  /** Fast shutdown (sessions are terminated), without blocking the event loop. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  destroy(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl'))) : [];
  if (versions.length === 0) throw new Error('the fault tests need the PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/<version>/bin');
  versions.sort((a, b) => Number(b) - Number(a));
  return path.join(root, versions[0], 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loket-pg-'));
  const data = path.join(dir, 'data');
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const command = (tool: string, args: string[]): [string, string[]] => {
    const file = path.join(bin, tool);
    return isRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  };
  const run = (tool: string, args: string[]): void => {
    const [file, all] = command(tool, args);
    execFileSync(file, all, { stdio: 'pipe', cwd: '/' });
  };
  const runAsync = async (tool: string, args: string[]): Promise<void> => {
    const [file, all] = command(tool, args);
    await promisify(execFile)(file, all, { cwd: '/' });
  };
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB`;
  const startArgs = ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start'];
  const stopArgs = ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'];
  run('pg_ctl', startArgs);
  const urlFor = (database: string): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url: urlFor('postgres'),
    urlFor,
    start: () => runAsync('pg_ctl', startArgs),
    stop: () => runAsync('pg_ctl', stopArgs),
    destroy: () => {
      try {
        run('pg_ctl', stopArgs);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
