import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { registerToken } from './auth';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Server-process CPU time so far (user + system), in microseconds. */
  cpuMicros(): Promise<number>;
  /** Runs a full GC in the server (when started with --expose-gc) and answers its memory usage. */
  gc(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

function request<T>(child: ChildProcess, msg: unknown, key: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`server child ${child.pid}: no "${key}" reply within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (m: Record<string, unknown>): void => {
      if (key in m || 'failed' in m) {
        clearTimeout(timer);
        child.off('message', onMessage);
        if ('failed' in m) reject(new Error(`server child ${child.pid} failed: ${String(m.failed)}`));
        else resolve(m[key] as T);
      }
    };
    child.on('message', onMessage);
    child.send(msg as never);
  });
}

/** Forks dist/bench/server-child.js and starts Loket or the bare server in it. */
export type StartMessage =
  | { start: 'loket'; databaseUrl: string; poolSize: number; dataKey?: string; role?: string; pgliteDir?: string }
  | { start: 'bare' };

export async function startServerProcess(start: StartMessage, extraExecArgv: string[] = []): Promise<ServerProcess> {
  const execArgv = [...extraExecArgv, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])];
  const child = fork(path.join(__dirname, 'server-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const pid = child.pid ?? -1;
  let exited = false;
  child.once('exit', () => (exited = true));
  const kill = (): void => {
    if (!exited) child.kill('SIGKILL'); // only this child, by its handle
  };
  try {
    const ready = await request<string | { url: string; token: string }>(child, start, 'ready', 60_000);
    const url = typeof ready === 'string' ? ready : ready.url;
    if (typeof ready !== 'string') registerToken(ready.url, ready.token);
    return {
      url,
      pid,
      cpuMicros: async () => {
        const c = await request<{ user: number; system: number }>(child, { cpu: true }, 'cpu', 10_000);
        return c.user + c.system;
      },
      gc: () => request<NodeJS.MemoryUsage>(child, { gc: true }, 'gc', 30_000),
      stop: async () => {
        if (exited) return;
        try {
          await request(child, { stop: true }, 'stopped', 15_000);
        } catch {
          /* fall through to kill */
        }
        await new Promise<void>((resolve) => {
          if (exited) return resolve();
          const t = setTimeout(() => {
            kill();
            resolve();
          }, 2_000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      },
    };
  } catch (err) {
    kill();
    throw err;
  }
}
