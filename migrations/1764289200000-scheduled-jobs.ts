import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per periodic job (outbox pruning, retention, ...): its schedule, its last run, and the
 * lease of the instance running it now. An instance runs a job only after claiming its row
 * (due, lease free or expired) and renews the lease while the run goes on, so one run happens
 * at a time across instances and a killed instance's job is taken over when its lease expires.
 */
export class ScheduledJobs1764289200000 implements MigrationInterface {
  name = 'ScheduledJobs1764289200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduled_jobs (
        name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(name) <= 63),
        period_seconds integer NOT NULL CHECK (period_seconds > 0),
        next_run_at timestamptz NOT NULL,
        last_run_at timestamptz,
        last_outcome text CHECK (last_outcome IN ('ok', 'failed')),
        last_error text,
        consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        running_on text,
        lease_until timestamptz,
        CHECK ((running_on IS NULL) = (lease_until IS NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduled_jobs`);
  }
}
