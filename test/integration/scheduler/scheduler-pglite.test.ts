import pino from 'pino';
import { LeasedRowScheduler } from '../../../src/adapters/scheduler/leased-row.scheduler';
import { LoketApp, startLoket } from '../../../src/app';
import { as, gqlOk, issueRoleTokens, testConfig } from '../../support/test-app';
import { waitFor } from '../../support/live';
import { capturingLogger, sleep } from './helpers';

describe('the scheduler on embedded PGlite (one process, one serialized connection)', () => {
  let app: LoketApp;

  beforeAll(async () => {
    app = await startLoket(testConfig({ kind: 'pglite', dataDir: null }), { log: pino({ level: 'silent' }) });
    await issueRoleTokens(app);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('runs the calendar check and the outbox pruning in-process and shows them', async () => {
    const jobs = async () => (await gqlOk(as(app, 'ADMIN'), `{ scheduledJobs { name lastOutcome runningOn } }`)).scheduledJobs as { lastOutcome: string | null }[];
    await waitFor(async () => (await jobs()).every((j) => j.lastOutcome === 'ok'), 'the first runs');
    // The core's jobs (channel modules add theirs, e.g. the LAPOR! follow-up clock).
    expect((await jobs()).filter((j) => ['calendar-alarm', 'outbox-prune'].includes((j as unknown as { name: string }).name))).toEqual([
      { name: 'calendar-alarm', lastOutcome: 'ok', runningOn: null },
      { name: 'outbox-prune', lastOutcome: 'ok', runningOn: null },
    ]);
  });

  it('a job holding the only connection in a transaction longer than its lease neither deadlocks nor loses its lease', async () => {
    const { log, lines } = capturingLogger();
    const ds = app.db.dataSource;
    const scheduler = new LeasedRowScheduler(ds, log, { instanceId: 'embedded', leaseMs: 300, heartbeatMs: 100, maxIdleMs: 50 });
    let runs = 0;
    scheduler.register({
      name: 'long-transaction',
      periodSeconds: 3_600,
      run: async () => {
        runs++;
        await ds.transaction(async (m) => {
          await m.query(`SELECT count(*) FROM cases`);
          await sleep(900); // heartbeats queue behind this transaction meanwhile
          await m.query(`SELECT count(*) FROM cases`);
        });
        // And the connection is shared fairly afterwards: queries of the job and heartbeats interleave.
        for (let i = 0; i < 5; i++) {
          await ds.query(`SELECT 1`);
          await sleep(60);
        }
        return { checked: 1 };
      },
    });
    scheduler.start();
    try {
      await waitFor(async () => (await scheduler.statuses())[0]?.lastOutcome === 'ok', 'the long run to be recorded', 20_000);
      expect(runs).toBe(1);
      expect((await scheduler.statuses())[0]).toMatchObject({ name: 'long-transaction', consecutiveFailures: 0, runningOn: null });
      expect(lines().filter((l) => l.level >= 40)).toEqual([]);
    } finally {
      await scheduler.stop();
    }
  });
});
