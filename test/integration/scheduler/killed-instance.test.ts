import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { LeasedRowScheduler } from '../../../src/adapters/scheduler/leased-row.scheduler';
import { Database, openDatabase } from '../../../src/adapters/persistence/data-source';
import { createTestDatabase } from '../../support/database';
import { queryDb, waitFor } from '../../support/live';
import { capturingLogger } from './helpers';

const CHILD = path.join(__dirname, 'fixtures/scheduler-child.js');
const JOB = 'kill-takeover';
const LEASE_MS = 1_500;

describe('an instance killed in the middle of a run', () => {
  let db: Database;
  let url: string;
  let drop: () => Promise<void>;
  let child: ChildProcess | undefined;
  let survivor: LeasedRowScheduler | undefined;
  let childOutput = '';

  beforeAll(async () => {
    const t = await createTestDatabase('scheduler_kill');
    url = t.url;
    drop = t.drop;
    db = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
    await queryDb(url, `CREATE TABLE scheduler_probe (run_by text NOT NULL, started_at timestamptz NOT NULL)`);
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await survivor?.stop();
    await db?.dataSource.destroy();
    await drop?.();
  });

  const row = async () => (await queryDb(url, `SELECT running_on, lease_until, last_outcome, last_run_at FROM scheduled_jobs WHERE name = $1`, [JOB]))[0];
  const probes = () => queryDb<{ run_by: string; started_at: Date }>(url, `SELECT run_by, started_at FROM scheduler_probe ORDER BY started_at`);

  it('keeps its job while its heartbeat renews the lease, and loses it to the other instance once the lease expires', async () => {
    child = spawn(process.execPath, [CHILD], {
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: url, INSTANCE_ID: 'doomed-instance', LEASE_MS: String(LEASE_MS), JOB_NAME: JOB },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (childOutput += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (childOutput += d.toString()));
    await waitFor(() => childOutput.includes('RUNNING'), 'the child to start its run', 30_000).catch((err) => {
      throw new Error(`${(err as Error).message}\n--- child output ---\n${childOutput}`);
    });

    const { log, lines } = capturingLogger();
    survivor = new LeasedRowScheduler(db.dataSource, log, { instanceId: 'surviving-instance', leaseMs: LEASE_MS, maxIdleMs: 100 });
    survivor.register({
      name: JOB,
      periodSeconds: 3600,
      run: async () => {
        await db.dataSource.query(`INSERT INTO scheduler_probe (run_by, started_at) VALUES ($1, now())`, ['surviving-instance']);
      },
    });
    survivor.start();

    // More than a whole lease passes while the child runs: only its heartbeat keeps the job from the survivor.
    const first = new Date((await row()).lease_until).getTime();
    await waitFor(async () => new Date((await row()).lease_until).getTime() > first + LEASE_MS, 'the lease to be renewed past its first expiry');
    expect((await row()).running_on).toBe('doomed-instance');
    expect((await probes()).map((p) => p.run_by)).toEqual(['doomed-instance']);

    child.kill('SIGKILL');
    await new Promise<void>((resolve) => (child!.exitCode !== null || child!.signalCode !== null ? resolve() : child!.once('exit', () => resolve())));
    const leaseAtDeath = new Date((await row()).lease_until).getTime();

    await waitFor(async () => (await row()).last_outcome === 'ok', 'the survivor to take the job over and finish it', 20_000);
    const runs = await probes();
    expect(runs.map((p) => p.run_by)).toEqual(['doomed-instance', 'surviving-instance']);
    // The takeover waited for the dead instance's lease to run out (database time on both sides).
    expect(new Date(runs[1].started_at).getTime()).toBeGreaterThan(leaseAtDeath);
    expect(await row()).toMatchObject({ running_on: null, lease_until: null, last_outcome: 'ok' });
    expect(lines().filter((l) => l.level >= 40)).toEqual([]);
  });
});
