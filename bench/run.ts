import 'reflect-metadata';
import os from 'node:os';
import { benchCreateCase } from './create-case';
import { benchSubscriptions } from './subscriptions';
import { benchEmailIntake } from './email-intake';
import { benchWhatsAppIntake } from './whatsapp-intake';
import { envInt } from './stats';

/**
 * npm run bench — prints throughput/latency of Loket next to same-run baselines. Everything
 * stays on 127.0.0.1, every loop is bounded, throwaway loket_bench_* databases are dropped.
 * Env: BENCH_N, BENCH_K, BENCH_EMAIL_N, BENCH_DATABASE_URL, BENCH_WA_N, BENCH_ONLY=create|subs|email|whatsapp, BENCH_MAX_MS (watchdog).
 */
const cleanups: (() => Promise<void>)[] = [];
const defer = (fn: () => Promise<void>): void => {
  cleanups.push(fn);
};
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop() as () => Promise<void>;
      try {
        await fn();
      } catch (err) {
        console.error(`cleanup: ${(err as Error).message}`);
      }
    }
  })());
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY ?? '';
  const maxMs = envInt('BENCH_MAX_MS', 300_000);
  const watchdog = setTimeout(() => {
    console.error(`\nwatchdog: bench exceeded ${maxMs} ms, cleaning up and exiting`);
    void cleanup().finally(() => process.exit(2));
  }, maxMs);
  watchdog.unref();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => void cleanup().finally(() => process.exit(130)));
  }

  const create = {
    n: envInt('BENCH_N', 2000),
    concurrency: envInt('BENCH_CONCURRENCY', 20),
    rounds: envInt('BENCH_ROUNDS', 3),
    warmup: envInt('BENCH_WARMUP', 200),
    poolSize: envInt('BENCH_POOL', 20),
    phaseMaxMs: envInt('BENCH_PHASE_MAX_MS', 30_000),
  };
  const subs = {
    k: envInt('BENCH_K', 50),
    connections: envInt('BENCH_SUB_CONNECTIONS', 50),
    perConnection: envInt('BENCH_SUBS_PER_CONNECTION', 20),
    rounds: envInt('BENCH_SUB_ROUNDS', 5),
    warmup: envInt('BENCH_SUB_WARMUP', 5),
    poolSize: envInt('BENCH_POOL', 20),
    deliveryTimeoutMs: envInt('BENCH_DELIVERY_TIMEOUT_MS', 10_000),
  };
  const cpus = os.cpus();
  console.log(`Loket bench — node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model ?? '?'}), ${os.platform()} ${os.release()}`);
  console.log(`parameters: ${JSON.stringify({ createCase: create, subscriptions: subs, only: only || 'all' })}`);
  console.log(`note: bench process, server child processes and PostgreSQL share this machine's CPUs.`);

  const t0 = Date.now();
  try {
    if (!only || only === 'create') await benchCreateCase(create, defer);
    if (!only || only === 'subs') {
      await cleanup(); // release bench 1's server and databases first
      cleaning = null;
      await benchSubscriptions(subs, defer);
    }
    if (!only || only === 'email') {
      await cleanup();
      cleaning = null;
      await benchEmailIntake({ n: envInt('BENCH_EMAIL_N', 300), rounds: envInt('BENCH_EMAIL_ROUNDS', 3), maxMs: 120_000 }, defer);
    }
    if (!only || only === 'whatsapp') {
      await cleanup();
      cleaning = null;
      await benchWhatsAppIntake({
        n: envInt('BENCH_WA_N', 500),
        concurrency: envInt('BENCH_WA_CONCURRENCY', 20),
        rounds: envInt('BENCH_WA_ROUNDS', 3),
        poolSize: envInt('BENCH_POOL', 20),
        phaseMaxMs: envInt('BENCH_PHASE_MAX_MS', 30_000),
      }, defer);
    }
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
  console.log(`\ntotal ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().then(
  () => process.exit(0),
  async (err: Error) => {
    console.error(`bench failed: ${err.stack ?? err.message}`);
    await cleanup();
    process.exit(1);
  },
);
