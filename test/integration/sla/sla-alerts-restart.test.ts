import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { queryDb, waitFor } from '../../support/live';
import { ManualClock, startTestApp } from '../../support/test-app';
import { logComplaint, slaEvents, wib } from './helpers';

/** The alert job through the real scheduler: what fell due while Loket was down fires at the next start. */
describe('SLA alerts after a restart, through the scheduler (real PostgreSQL)', () => {
  const clock = new ManualClock(wib('2026-04-06T09:00'));
  let url: string;
  let drop: () => Promise<void>;
  const apps: LoketApp[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase('sla_restart');
    url = db.url;
    drop = db.drop;
  });
  afterAll(async () => {
    for (const a of apps) await a.stop();
    await drop?.();
  });

  it('a breach instant passed while no instance ran fires once at the next start, without a late warning', async () => {
    const before = await startTestApp(url, clock, { slaAlertPeriodSeconds: 60 });
    apps.push(before);
    const c = await logComplaint(before.url, wib('2026-04-06T09:00')); // LIGHT: warning 11:00, due 12:00
    await waitFor(async () => (await queryDb(url, `SELECT last_run_at FROM scheduled_jobs WHERE name = 'sla-alerts'`))[0]?.last_run_at != null, 'the first run of the job');
    expect(await slaEvents(url, c.id)).toEqual([]);
    await before.stop();

    // Down over the warning and the deadline: the job's next run (scheduler time) is long past when it starts again.
    clock.set(wib('2026-04-06T13:30'));
    await queryDb(url, `UPDATE scheduled_jobs SET next_run_at = now() - interval '3 hours' WHERE name = 'sla-alerts'`);
    const after = await startTestApp(url, clock, { slaAlertPeriodSeconds: 60 });
    apps.push(after);
    await waitFor(async () => (await slaEvents(url, c.id)).length > 0, 'the breach after the restart');
    expect(await slaEvents(url, c.id)).toEqual([{ type: 'SLA_BREACHED', dueAt: wib('2026-04-06T12:00').toISOString() }]);

    // The run has finished (its outcome recorded): one breach, one claim.
    await waitFor(async () => {
      const [row] = await queryDb(url, `SELECT last_outcome, running_on, next_run_at FROM scheduled_jobs WHERE name = 'sla-alerts'`);
      return row.running_on === null && row.last_outcome === 'ok' && new Date(row.next_run_at) > new Date();
    }, 'the run after the restart to finish');
    expect(await slaEvents(url, c.id)).toHaveLength(1);
    expect((await queryDb(url, `SELECT count(*)::int AS n FROM sla_alerts WHERE case_id = $1`, [c.id]))[0].n).toBe(1);
  });
});
