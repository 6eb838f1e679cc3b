import type { DataSource } from 'typeorm';
import { JobOutcome, JobStatus } from '../../domain/scheduling/scheduled-job';

/** The one thing the store needs of a TypeORM DataSource (taken as an argument, not imported from persistence). */
export type SqlRunner = Pick<DataSource, 'query'>;

type Row = {
  name: string;
  period_seconds: number;
  next_run_at: Date | string;
  last_run_at: Date | string | null;
  last_outcome: JobOutcome | null;
  last_error: string | null;
  consecutive_failures: number;
  running_on: string | null;
  lease_until: Date | string | null;
};

const date = (v: Date | string): Date => new Date(v);
const dateOrNull = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));
const toStatus = (r: Row): JobStatus => ({
  name: r.name,
  periodSeconds: Number(r.period_seconds),
  nextRunAt: date(r.next_run_at),
  lastRunAt: dateOrNull(r.last_run_at),
  lastOutcome: r.last_outcome,
  lastError: r.last_error,
  consecutiveFailures: Number(r.consecutive_failures),
  runningOn: r.running_on,
  leaseUntil: dateOrNull(r.lease_until),
});

const COLUMNS = 'name, period_seconds, next_run_at, last_run_at, last_outcome, last_error, consecutive_failures, running_on, lease_until';
/** A lease of $3 milliseconds from the database's now (one clock for every instance). */
const LEASE = `now() + ($3::double precision * interval '1 millisecond')`;

/** A run this instance claimed: the slot it is for, when it started (database time), failures before it. */
export interface ClaimedRun {
  dueAt: Date;
  startedAt: Date;
  previousFailures: number;
}

export interface RunRecord {
  startedAt: Date;
  outcome: JobOutcome;
  error: string | null;
  consecutiveFailures: number;
  nextRunAt: Date;
}

/**
 * The `scheduled_jobs` rows: one per job, leased by the instance running it. Every statement is
 * one short autocommit query (no transaction is held while a job runs, which also keeps the
 * single PGlite connection free for the job itself).
 */
export class ScheduledJobsStore {
  constructor(private readonly sql: SqlRunner) {}

  /** Creates the job's row (due now: a new job runs on first start); a changed period takes effect by the next run. */
  async ensure(name: string, periodSeconds: number): Promise<void> {
    await this.sql.query(
      `INSERT INTO scheduled_jobs (name, period_seconds, next_run_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET period_seconds = EXCLUDED.period_seconds,
         next_run_at = LEAST(scheduled_jobs.next_run_at, now() + EXCLUDED.period_seconds * interval '1 second')
       WHERE scheduled_jobs.period_seconds <> EXCLUDED.period_seconds`,
      [name, periodSeconds],
    );
  }

  /** Every job's state, with the database's now (the time every instance compares leases against). */
  async snapshot(): Promise<{ now: Date; jobs: JobStatus[] }> {
    const rows = (await this.sql.query(
      `SELECT now() AS db_now, ${COLUMNS.split(', ').map((c) => `j.${c}`).join(', ')}
       FROM (VALUES (1)) AS one(x) LEFT JOIN scheduled_jobs j ON true ORDER BY j.name`,
    )) as (Row & { db_now: Date | string; name: string | null })[];
    return { now: date(rows[0].db_now), jobs: rows.filter((r) => r.name !== null).map(toStatus) };
  }

  /**
   * Takes the job's lease when it is due and nobody holds a live lease. Concurrent claims of one
   * row are serialized by its row lock and the loser's WHERE is re-checked, so only one wins.
   */
  async claim(name: string, instanceId: string, leaseMs: number): Promise<ClaimedRun | null> {
    const rows = (await this.sql.query(
      `WITH claimed AS (
         UPDATE scheduled_jobs SET running_on = $2, lease_until = ${LEASE}
         WHERE name = $1 AND next_run_at <= now() AND (lease_until IS NULL OR lease_until < now())
         RETURNING next_run_at, consecutive_failures)
       SELECT next_run_at, consecutive_failures, now() AS started_at FROM claimed`,
      [name, instanceId, leaseMs],
    )) as { next_run_at: Date | string; consecutive_failures: number; started_at: Date | string }[];
    const r = rows[0];
    return r ? { dueAt: date(r.next_run_at), startedAt: date(r.started_at), previousFailures: Number(r.consecutive_failures) } : null;
  }

  /** Extends the lease; false when this instance no longer holds it (another one took the job over). */
  async renew(name: string, instanceId: string, leaseMs: number): Promise<boolean> {
    const rows: unknown[] = await this.sql.query(
      `WITH renewed AS (UPDATE scheduled_jobs SET lease_until = ${LEASE} WHERE name = $1 AND running_on = $2 RETURNING name)
       SELECT name FROM renewed`,
      [name, instanceId, leaseMs],
    );
    return rows.length === 1;
  }

  /** Records the run and releases the lease; false (nothing written) when the lease was lost meanwhile. */
  async finish(name: string, instanceId: string, run: RunRecord): Promise<boolean> {
    const rows: unknown[] = await this.sql.query(
      `WITH done AS (
         UPDATE scheduled_jobs SET running_on = NULL, lease_until = NULL, last_run_at = $3, last_outcome = $4, last_error = $5,
           consecutive_failures = $6, next_run_at = $7
         WHERE name = $1 AND running_on = $2 RETURNING name)
       SELECT name FROM done`,
      [name, instanceId, run.startedAt.toISOString(), run.outcome, run.error, run.consecutiveFailures, run.nextRunAt.toISOString()],
    );
    return rows.length === 1;
  }
}
