import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { queryDb, waitFor } from '../../support/live';
import { as, gql, gqlOk, startTestApp } from '../../support/test-app';

const JOBS = `{ scheduledJobs { name periodSeconds nextRunAt lastRunAt lastOutcome lastError consecutiveFailures runningOn } }`;

/** The core's own jobs (channel modules add theirs, e.g. the LAPOR! follow-up clock). */
const CORE_JOBS = ['calendar-alarm', 'outbox-prune', 'retention'];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers, untyped in tests
const core = (jobs: any[]): any[] => jobs.filter((j) => CORE_JOBS.includes(j.name));

describe('scheduledJobs and /readyz show the periodic jobs (the app on PostgreSQL)', () => {
  let app: LoketApp;
  let url: string;
  let drop: () => Promise<void>;
  const readyz = async (query = '') => {
    const res = await fetch(`http://127.0.0.1:${app.port}/readyz${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    const db = await createTestDatabase('scheduler_api');
    url = db.url;
    drop = db.drop;
    app = await startTestApp(db.url, undefined, { retentionMonths: 24 });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('runs the calendar check, outbox pruning and retention at first start and shows them to an admin', async () => {
    await waitFor(async () => (await queryDb(url, `SELECT 1 FROM scheduled_jobs WHERE last_outcome IS NOT NULL AND name = ANY($1)`, [CORE_JOBS])).length === 3, 'the three core jobs to run once');
    const scheduledJobs = core((await gqlOk(as(app, 'ADMIN'), JOBS)).scheduledJobs);
    expect(scheduledJobs).toEqual([
      expect.objectContaining({ name: 'calendar-alarm', periodSeconds: 86_400, lastOutcome: 'ok', lastError: null, consecutiveFailures: 0, runningOn: null }),
      expect.objectContaining({ name: 'outbox-prune', periodSeconds: 86_400, lastOutcome: 'ok', lastError: null, consecutiveFailures: 0, runningOn: null }),
      expect.objectContaining({ name: 'retention', periodSeconds: 86_400, lastOutcome: 'ok', lastError: null, consecutiveFailures: 0, runningOn: null }),
    ]);
    for (const j of scheduledJobs) {
      // Due a day after the slot that ran (the first start), which is at or just before the run began.
      const gap = Date.parse(j.nextRunAt) - Date.parse(j.lastRunAt);
      expect(gap).toBeLessThanOrEqual(86_400_000);
      expect(gap).toBeGreaterThan(86_400_000 - 3_600_000);
    }
  });

  it('lets supervisors read them and refuses clerks and tools', async () => {
    expect(core((await gqlOk(as(app, 'SUPERVISOR'), JOBS)).scheduledJobs)).toHaveLength(3);
    for (const role of ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'INTEGRATION'] as const) {
      const r = await gql(as(app, role), JOBS);
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(r.data ?? null).toBeNull();
    }
  });

  it('/readyz?verbose lists each job\'s last run and outcome; a failed job leaves the instance ready', async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', checks: { database: true, migrations: true, events: true } } });
    await queryDb(url, `UPDATE scheduled_jobs SET last_outcome = 'failed', last_error = 'disk full', consecutive_failures = 1 WHERE name = 'retention'`);
    const verbose = await readyz('?verbose');
    expect(verbose.status).toBe(200);
    expect(verbose.body.status).toBe('ready');
    expect(core(verbose.body.jobs)).toEqual([
      { name: 'calendar-alarm', lastRunAt: expect.any(String), lastOutcome: 'ok' },
      { name: 'outbox-prune', lastRunAt: expect.any(String), lastOutcome: 'ok' },
      { name: 'retention', lastRunAt: expect.any(String), lastOutcome: 'failed' },
    ]);
    // What anyone may fetch names no error text and no instance.
    expect(JSON.stringify(verbose.body)).not.toMatch(/disk full|runningOn/);
    const [, , retention] = core((await gqlOk(as(app, 'ADMIN'), JOBS)).scheduledJobs);
    expect(retention).toMatchObject({ lastOutcome: 'failed', lastError: 'disk full', consecutiveFailures: 1 });
  });
});
