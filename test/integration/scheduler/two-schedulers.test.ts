import { LeasedRowScheduler } from '../../../src/adapters/scheduler/leased-row.scheduler';
import { ScheduledJobsStore } from '../../../src/adapters/scheduler/scheduled-jobs.store';
import { Database, openDatabase } from '../../../src/adapters/persistence/data-source';
import { ScheduledJob } from '../../../src/domain/scheduling/scheduled-job';
import { createTestDatabase } from '../../support/database';
import { queryDb, waitFor } from '../../support/live';
import { capturingLogger, gate, sleep } from './helpers';

/** Two schedulers with distinct instance ids on one PostgreSQL database, as two instances would be. */
describe('the scheduler across two instances on one PostgreSQL database', () => {
  let db: Database;
  let url: string;
  let drop: () => Promise<void>;
  const schedulers: LeasedRowScheduler[] = [];
  const scheduler = (id: string, options: ConstructorParameters<typeof LeasedRowScheduler>[2] = {}, log = capturingLogger().log) => {
    const s = new LeasedRowScheduler(db.dataSource, log, { instanceId: id, maxIdleMs: 50, ...options });
    schedulers.push(s);
    return s;
  };
  const row = async (name: string) => (await queryDb(url, `SELECT * FROM scheduled_jobs WHERE name = $1`, [name]))[0];

  beforeAll(async () => {
    const t = await createTestDatabase('scheduler_two');
    url = t.url;
    drop = t.drop;
    db = await openDatabase({ kind: 'postgres', url, poolSize: 12 });
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await db?.dataSource.destroy();
    await drop?.();
  });

  it('of many simultaneous claims of a due job, exactly one wins', async () => {
    const store = new ScheduledJobsStore(db.dataSource);
    await store.ensure('claim-race', 60);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claim('claim-race', `racer-${i}`, 30_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = claims.findIndex(Boolean);
    expect((await row('claim-race')).running_on).toBe(`racer-${winner}`);
    // The lease is live: nobody else gets it, not even after the job is due again.
    await queryDb(url, `UPDATE scheduled_jobs SET next_run_at = now() - interval '1 minute' WHERE name = 'claim-race'`);
    expect(await store.claim('claim-race', 'late-racer', 30_000)).toBeNull();
  });

  it('runs a 1-second job once per slot, never twice and never concurrently, whichever instance claims it', async () => {
    const runs: { by: string; dueAt: number; start: number; end: number }[] = [];
    let active = 0;
    let overlapped = false;
    const job = (by: string): ScheduledJob => ({
      name: 'every-second',
      periodSeconds: 1,
      run: async ({ dueAt }) => {
        active++;
        if (active > 1) overlapped = true;
        const start = Date.now();
        await sleep(200);
        runs.push({ by, dueAt: dueAt.getTime(), start, end: Date.now() });
        active--;
      },
    });
    const a = scheduler('instance-a', { leaseMs: 3_000 });
    const b = scheduler('instance-b', { leaseMs: 3_000 });
    a.register(job('instance-a'));
    b.register(job('instance-b'));
    a.start();
    b.start();
    await waitFor(() => runs.length >= 5, 'five runs', 30_000);
    await Promise.all([a.stop(), b.stop()]);

    expect(overlapped).toBe(false);
    const slots = runs.map((r) => r.dueAt);
    expect(new Set(slots).size).toBe(runs.length); // no slot ran twice
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end);
      const step = slots[i] - slots[i - 1];
      expect(step).toBeGreaterThanOrEqual(1_000);
      expect(step % 1_000).toBe(0); // on the grid of the first slot
    }
    const last = await row('every-second');
    expect(last).toMatchObject({ running_on: null, lease_until: null, last_outcome: 'ok', consecutive_failures: 0, period_seconds: 1 });
    expect(new Date(last.last_run_at).getTime()).toBeGreaterThanOrEqual(slots[slots.length - 1]);
  });

  it('runs a job missed while every instance was down promptly at start, once, then back on its daily grid', async () => {
    await queryDb(
      url,
      `INSERT INTO scheduled_jobs (name, period_seconds, next_run_at, last_run_at, last_outcome) VALUES
         ('missed-daily', 86400, date_trunc('second', now()) - interval '2 days 3 hours', now() - interval '3 days', 'ok'),
         ('not-due-yet', 86400, now() + interval '1 hour', now() - interval '23 hours', 'ok')`,
    );
    const dueBefore = new Date((await row('missed-daily')).next_run_at).getTime();
    const ran: string[] = [];
    const s = scheduler('instance-restarted');
    s.register({ name: 'missed-daily', periodSeconds: 86_400, run: async () => void ran.push('missed-daily') });
    s.register({ name: 'not-due-yet', periodSeconds: 86_400, run: async () => void ran.push('not-due-yet') });
    s.start();
    await waitFor(async () => (await row('missed-daily')).last_outcome === 'ok' && (await row('missed-daily')).running_on === null && ran.length > 0, 'the catch-up run');
    await s.stop();

    expect(ran).toEqual(['missed-daily']);
    const after = await row('missed-daily');
    // The slots of the two missed days are skipped: the next run is the first slot after now.
    expect(new Date(after.next_run_at).getTime()).toBe(dueBefore + 3 * 86_400_000);
    expect(new Date(after.last_run_at).getTime()).toBeGreaterThan(dueBefore);
  });

  it('records a failed run, logs it in English without detail beyond its message, and retries it before the next period', async () => {
    const { log, lines } = capturingLogger();
    const held = gate();
    let attempts = 0;
    const s = scheduler('instance-flaky', { retryBaseMs: 300 }, log);
    s.register({
      name: 'flaky',
      periodSeconds: 3_600,
      run: async () => {
        attempts++;
        if (attempts === 1) throw new Error('upstream unavailable\n    at somewhere (file.ts:1:1)');
        await held.wait; // the retry waits here while the test reads the recorded failure
        return { rows: 2 };
      },
    });
    s.start();
    await waitFor(() => attempts === 2, 'the retry');

    const failed = await row('flaky');
    expect(failed).toMatchObject({ last_outcome: 'failed', last_error: 'upstream unavailable', consecutive_failures: 1, running_on: 'instance-flaky' });
    const [status] = await s.statuses();
    expect(status).toMatchObject({ name: 'flaky', lastOutcome: 'failed', lastError: 'upstream unavailable', consecutiveFailures: 1, runningOn: 'instance-flaky' });
    const logged = lines().filter((l) => l.msg === 'scheduled job failed; it will be retried');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, job: 'flaky', err: 'upstream unavailable', failures: 1 });

    held.open();
    await waitFor(async () => (await row('flaky')).last_outcome === 'ok', 'the successful retry');
    const ok = await row('flaky');
    expect(ok).toMatchObject({ last_error: null, consecutive_failures: 0, running_on: null });
    // Back on the hourly schedule, counted from the retry's slot.
    expect(new Date(ok.next_run_at).getTime() - new Date(failed.next_run_at).getTime()).toBe(3_600_000);
    expect(lines().find((l) => l.msg === 'scheduled job done')).toMatchObject({ level: 30, job: 'flaky', rows: 2 });
  });
});
