import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createBenchDatabase } from './db';
import { CASE_CASTS, CASE_COLUMNS as STORED_COLUMNS } from '../src/adapters/persistence/case.mapper';
import { graphqlOk, keepAliveAgent, postJson } from './http-client';
import { startServerProcess } from './server-process';
import { fmt, median, num, percentile, printResult, ratio } from './stats';

export interface CreateCaseParams {
  n: number;
  concurrency: number;
  rounds: number;
  warmup: number;
  poolSize: number;
  phaseMaxMs: number;
}

/** What a phone-call intake asks back (a typical client selection, not the whole Case). */
const LOG_PHONE = `mutation($input: LogPhoneCallInput!) {
  logPhoneCall(input: $input) { id reference kind channel status complaintClass subject receivedAt dueAt overdue }
}`;

let seq = 0;
function phoneCallBody(): string {
  const input = {
    kind: 'COMPLAINT',
    subject: `Bantuan sosial belum diterima ${process.pid}-${++seq}`,
    description: 'Pelapor menelepon ke ekstensi 126.',
    callerNumber: '0812-3456-7890',
  };
  return JSON.stringify({ query: LOG_PHONE, variables: { input } });
}

interface PhaseResult {
  done: number;
  failed: number;
  ms: number;
  opsPerSec: number;
  latencies: number[];
  firstError?: string;
}

/** Runs `op` n times with `concurrency` workers, stopping early at `maxMs`. */
async function runPhase(n: number, concurrency: number, maxMs: number, op: () => Promise<void>): Promise<PhaseResult> {
  let issued = 0;
  let done = 0;
  let failed = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + maxMs;
  const worker = async (): Promise<void> => {
    while (issued < n && performance.now() < deadline) {
      issued++;
      const t0 = performance.now();
      try {
        await op();
        done++;
        latencies.push(performance.now() - t0);
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message.slice(0, 300);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - start;
  return { done, failed, ms, opsPerSec: (done / ms) * 1000, latencies, firstError };
}

/** Every stored column of a case (the mapper's list, plus version and the search text), so the baseline row is complete. */
const CASE_COLUMNS = [...STORED_COLUMNS, 'version', 'search_text'] as const;

/** Reads one case Loket actually stored, as text, to replay its values in the baseline. */
async function templateRow(databaseUrl: string): Promise<Record<string, string | null>> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const cols = CASE_COLUMNS.map((col) => `${col}::text AS ${col}`).join(', ');
    const { rows } = await c.query(`SELECT ${cols} FROM cases ORDER BY logged_at LIMIT 1`);
    if (!rows[0]) throw new Error('no case stored by Loket during warm-up');
    return rows[0] as Record<string, string | null>;
  } finally {
    await c.end();
  }
}

function line(label: string, r: PhaseResult): string {
  return `${label.padEnd(9)} ${fmt(r.opsPerSec).padStart(8)} ops/s  (${r.done} ok, ${r.failed} failed, ${fmt(r.ms / 1000, 2)} s, p50 ${fmt(percentile(r.latencies, 50))} ms, p99 ${fmt(percentile(r.latencies, 99))} ms)`;
}

export async function benchCreateCase(p: CreateCaseParams, defer: (fn: () => Promise<void>) => void): Promise<void> {
  console.log(`\n== 1. createCase throughput ==`);
  console.log(
    `Loket: logPhoneCall over HTTP keep-alive, ${p.concurrency} concurrent clients, server in a child process, DB pool ${p.poolSize}.\n` +
      `Baseline: pg.Pool(${p.poolSize}) single-row INSERT INTO cases (same columns/values as a stored case, fresh id + reference), ${p.concurrency} concurrent.\n` +
      `N=${p.n} per phase, ${p.rounds} alternating rounds, warm-up ${p.warmup} each, phase cap ${p.phaseMaxMs} ms.`,
  );
  const loketDb = await createBenchDatabase('create_loket', false); // startLoket migrates it via openDatabase
  defer(loketDb.drop);
  const baseDb = await createBenchDatabase('create_pg', true);
  defer(baseDb.drop);

  const server = await startServerProcess({ start: 'loket', databaseUrl: loketDb.url, poolSize: p.poolSize });
  defer(server.stop);
  const agent = keepAliveAgent(p.concurrency);
  defer(async () => agent.destroy());
  const url = new URL(server.url);
  const loketOp = async (): Promise<void> => {
    const r = await postJson(agent, url, phoneCallBody());
    if (!graphqlOk(r)) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
  };

  const pool = new Pool({ connectionString: baseDb.url, max: p.poolSize });
  // The forced DROP DATABASE of the clean-up terminates idle connections pool.end() has not
  // closed yet; pg reports that as a Pool 'error', which must not crash the bench.
  pool.on('error', () => undefined);
  defer(() => pool.end());
  let baseSeq = 0;
  let insertSql = '';
  let template: Record<string, string | null> = {};
  const baselineOp = async (): Promise<void> => {
    const row: Record<string, string | null> = { ...template, id: randomUUID(), reference: `BNC-2026-${process.pid}-${++baseSeq}` };
    await pool.query(insertSql, CASE_COLUMNS.map((c) => row[c]));
  };

  // Warm-up: Loket first (it also gives us a real stored row to copy), then the baseline.
  const wl = await runPhase(p.warmup, p.concurrency, p.phaseMaxMs, loketOp);
  if (wl.done === 0) throw new Error(`Loket warm-up failed: ${wl.firstError}`);
  template = await templateRow(loketDb.url);
  const casts: Record<string, string> = { ...CASE_CASTS, version: 'integer' };
  insertSql = `INSERT INTO cases (${CASE_COLUMNS.join(', ')}) VALUES (${CASE_COLUMNS.map((c, i) => `$${i + 1}::${casts[c] ?? 'text'}`).join(', ')})`;
  const wb = await runPhase(p.warmup, p.concurrency, p.phaseMaxMs, baselineOp);
  if (wb.done === 0) throw new Error(`baseline warm-up failed: ${wb.firstError}`);

  const ratios: number[] = [];
  const loketRates: number[] = [];
  const baseRates: number[] = [];
  const cpuPerOp: number[] = [];
  for (let round = 0; round < p.rounds; round++) {
    const order = round % 2 === 0 ? ['loket', 'baseline'] : ['baseline', 'loket'];
    const res: Record<string, PhaseResult> = {};
    for (const which of order) {
      if (which === 'loket') {
        const cpu0 = await server.cpuMicros();
        res.loket = await runPhase(p.n, p.concurrency, p.phaseMaxMs, loketOp);
        const cpu1 = await server.cpuMicros();
        cpuPerOp.push((cpu1 - cpu0) / 1000 / Math.max(1, res.loket.done));
      } else {
        res.baseline = await runPhase(p.n, p.concurrency, p.phaseMaxMs, baselineOp);
      }
    }
    const r = res.loket.opsPerSec / res.baseline.opsPerSec;
    ratios.push(r);
    loketRates.push(res.loket.opsPerSec);
    baseRates.push(res.baseline.opsPerSec);
    console.log(`round ${round + 1} (${order.join(' -> ')}):`);
    console.log(`  ${line('loket', res.loket)}  server CPU ${fmt(cpuPerOp[cpuPerOp.length - 1], 2)} ms/op`);
    console.log(`  ${line('baseline', res.baseline)}`);
    console.log(`  ratio loket/baseline ${r.toFixed(3)}`);
    for (const [k, v] of Object.entries(res)) if (v.firstError) console.log(`  first ${k} error: ${v.firstError}`);
  }
  console.log(
    `summary createCase: loket median ${fmt(median(loketRates))} ops/s, baseline median ${fmt(median(baseRates))} ops/s, ` +
      `median ratio loket/baseline ${median(ratios).toFixed(3)} (baseline/loket ${ratio(1, median(ratios))}), ` +
      `Loket server CPU median ${fmt(median(cpuPerOp), 2)} ms/op`,
  );
  printResult('createCase', {
    ratio: num(median(ratios)),
    loketOpsPerSec: num(median(loketRates), 1),
    baselineOpsPerSec: num(median(baseRates), 1),
    serverCpuMsPerOp: num(median(cpuPerOp)),
    target: 0.5,
  });

  await server.stop();
}
