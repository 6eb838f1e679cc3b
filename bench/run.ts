import 'reflect-metadata';
import os from 'node:os';
import { benchCreateCase } from './create-case';
import { benchSubscriptions } from './subscriptions';
import { benchEmailIntake } from './email-intake';
import { benchWhatsAppIntake } from './whatsapp-intake';
import { benchScale } from './scale';
import { benchMemory } from './memory';
import { envInt } from './stats';

/** Section names as in their RESULT lines (BENCH_ONLY takes a comma-separated list of them). */
export const SECTIONS = ['createCase', 'subscriptions', 'email', 'whatsapp', 'scale', 'memory'] as const;
type Section = (typeof SECTIONS)[number];
const ALIASES: Record<string, Section> = { create: 'createCase', subs: 'subscriptions' };

function selectedSections(raw: string): Set<Section> {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return new Set(SECTIONS);
  const out = new Set<Section>();
  for (const n of names) {
    const s = (SECTIONS as readonly string[]).includes(n) ? (n as Section) : ALIASES[n];
    if (!s) throw new Error(`BENCH_ONLY: unknown section "${n}" (one or more of ${SECTIONS.join(', ')})`);
    out.add(s);
  }
  return out;
}

/**
 * npm run bench — prints throughput/latency of Loket next to same-run baselines. Everything
 * stays on 127.0.0.1, every loop is bounded, throwaway loket_bench_* databases are dropped.
 * Each section prints one machine-readable line `RESULT <name> <json>` besides its human-readable ones.
 * Env: BENCH_N, BENCH_K, BENCH_EMAIL_N, BENCH_DATABASE_URL, BENCH_WA_N, BENCH_MAX_MS (watchdog),
 * BENCH_ONLY=createCase,subscriptions,email,whatsapp,scale,memory (comma-separated; default all),
 * BENCH_SCALE_SIZES (default "10000,1000000"), BENCH_SCALE_REQUESTS (default 100), BENCH_SCALE_HEAVY_REQUESTS
 * (default 5: caseStatistics and the CSV export of a year), BENCH_SCALE_QUERIES (only these queries).
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
  const only = selectedSections(process.env.BENCH_ONLY ?? '');
  const maxMs = envInt('BENCH_MAX_MS', only.has('scale') ? 4 * 3_600_000 : 300_000);
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
  console.log(`parameters: ${JSON.stringify({ createCase: create, subscriptions: subs, only: [...only] })}`);
  console.log(`note: bench process, server child processes and PostgreSQL share this machine's CPUs.`);

  const t0 = Date.now();
  try {
    const next = async (): Promise<void> => {
      await cleanup(); // release the previous section's servers and databases first
      cleaning = null;
    };
    if (only.has('createCase')) await benchCreateCase(create, defer);
    if (only.has('subscriptions')) {
      await next();
      await benchSubscriptions(subs, defer);
    }
    if (only.has('email')) {
      await next();
      await benchEmailIntake({ n: envInt('BENCH_EMAIL_N', 300), rounds: envInt('BENCH_EMAIL_ROUNDS', 3), maxMs: 120_000 }, defer);
    }
    if (only.has('whatsapp')) {
      await next();
      await benchWhatsAppIntake({
        n: envInt('BENCH_WA_N', 500),
        concurrency: envInt('BENCH_WA_CONCURRENCY', 20),
        rounds: envInt('BENCH_WA_ROUNDS', 3),
        poolSize: envInt('BENCH_POOL', 20),
        phaseMaxMs: envInt('BENCH_PHASE_MAX_MS', 30_000),
      }, defer);
    }
    if (only.has('scale')) {
      await next();
      await benchScale({
        sizes: (process.env.BENCH_SCALE_SIZES ?? '10000,1000000').split(',').map((x) => Number(x.trim())),
        requests: envInt('BENCH_SCALE_REQUESTS', 100),
        heavyRequests: envInt('BENCH_SCALE_HEAVY_REQUESTS', 5),
        only: (process.env.BENCH_SCALE_QUERIES ?? '').split(',').map((x) => x.trim()).filter(Boolean),
        poolSize: envInt('BENCH_POOL', 20),
      }, defer);
    }
    if (only.has('memory')) {
      await next();
      await benchMemory({ subscribers: envInt('BENCH_MEMORY_SUBSCRIBERS', 1000) }, defer);
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
