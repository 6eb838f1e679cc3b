/**
 * A periodic job: a name (stable, it keys the job's state row), a period, and the work. The
 * scheduler runs it about once per period, on one instance at a time across every instance
 * sharing the database; a failed run is retried sooner than the next period.
 */
export interface ScheduledJob {
  /** Lowercase words joined by hyphens (`outbox-prune`), at most 63 characters. */
  readonly name: string;
  /** Whole seconds between the starts of two runs (a day: 86 400). */
  readonly periodSeconds: number;
  /**
   * Does one run. Resolves with counts worth logging (`{ rows: 12 }`) or nothing; throws on
   * failure. `signal` is aborted when this instance lost the job's lease (another instance may
   * be running it now) or is shutting down: a long job should stop at its next safe point.
   */
  run(context: JobRunContext): Promise<JobCounts | void>;
}

export interface JobRunContext {
  /** The slot this run is for (when it was due; earlier than now after downtime). */
  dueAt: Date;
  signal: AbortSignal;
}

export type JobCounts = Record<string, number>;

export type JobOutcome = 'ok' | 'failed';

/** What is known of a job: its schedule, its last run, who runs it now. */
export interface JobStatus {
  name: string;
  periodSeconds: number;
  nextRunAt: Date;
  /** When the last finished run started; null before the first run. */
  lastRunAt: Date | null;
  lastOutcome: JobOutcome | null;
  /** Short English message of the last failure (null after a success). */
  lastError: string | null;
  /** Failed runs in a row (0 after a success); the retry delay grows with it. */
  consecutiveFailures: number;
  /** Instance id (`host:pid:random`) holding the job's lease while a run is going on. */
  runningOn: string | null;
  leaseUntil: Date | null;
}

export const JOB_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Throws unless the job's name and period are usable (a programming error, not user input). */
export function assertValidJob(job: Pick<ScheduledJob, 'name' | 'periodSeconds'>): void {
  if (!JOB_NAME.test(job.name) || job.name.length > 63) throw new Error(`invalid scheduled job name "${job.name}"`);
  if (!Number.isInteger(job.periodSeconds) || job.periodSeconds < 1) throw new Error(`scheduled job ${job.name}: period must be a whole number of seconds, at least 1`);
}
