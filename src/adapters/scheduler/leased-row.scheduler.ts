import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import { planAfterRun, shortErrorMessage, wakeDelayMs } from '../../domain/scheduling/job-schedule';
import { assertValidJob, JobCounts, JobOutcome, JobStatus, ScheduledJob } from '../../domain/scheduling/scheduled-job';
import { Scheduler } from '../../domain/scheduling/scheduler.port';
import { ClaimedRun, ScheduledJobsStore, SqlRunner } from './scheduled-jobs.store';

export interface SchedulerOptions {
  /** Defaults to `host:pid:random`. */
  instanceId?: string;
  /** How long a claim holds without renewal: a killed instance's job is taken over this long after its last heartbeat. */
  leaseMs?: number;
  /** How often a running job's lease is renewed (default a third of the lease). */
  heartbeatMs?: number;
  /** Longest sleep between two looks at the jobs' rows (other instances change them). */
  maxIdleMs?: number;
  /** First retry delay after a failure; it doubles with each failure in a row, up to the period. */
  retryBaseMs?: number;
  /** How long stop() waits for runs in progress. */
  stopTimeoutMs?: number;
  /** Told of every finished run on this instance (for the job-runs counter). */
  onRunFinished?: (job: string, outcome: JobOutcome) => void;
}

/** A readable, unique id of this process among the instances sharing the database. */
export function newInstanceId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Lower bound of a sleep when nothing was claimable (a lease expiring right now, timers firing early). */
const MIN_SLEEP_MS = 25;

interface Run {
  done: Promise<void>;
  abort: AbortController;
  heartbeat: NodeJS.Timeout;
}

/**
 * Periodic jobs on leased `scheduled_jobs` rows. Each instance looks at the rows when the next
 * job is due (and at least every `maxIdleMs`), claims a due job whose lease is free or expired,
 * runs it while renewing the lease, then records the outcome and the next due time in the row.
 * Works the same on PostgreSQL and on embedded PGlite (one process, in-process runs).
 */
export class LeasedRowScheduler implements Scheduler {
  readonly instanceId: string;
  private readonly store: ScheduledJobsStore;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly maxIdleMs: number;
  private readonly retryBaseMs: number;
  private readonly stopTimeoutMs: number;
  private readonly onRunFinished: (job: string, outcome: JobOutcome) => void;
  private readonly jobs = new Map<string, ScheduledJob>();
  private readonly running = new Map<string, Run>();
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private passAgain = false;
  private started = false;
  private stopped = false;
  private rowsEnsured = false;
  /** Database time minus local time, learned at every look: leases and due times are database time. */
  private offsetMs = 0;

  constructor(
    sql: SqlRunner,
    private readonly log: Logger,
    options: SchedulerOptions = {},
  ) {
    this.store = new ScheduledJobsStore(sql);
    this.instanceId = options.instanceId ?? newInstanceId();
    this.leaseMs = options.leaseMs ?? 60_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(this.leaseMs / 3));
    this.maxIdleMs = options.maxIdleMs ?? 60_000;
    this.retryBaseMs = options.retryBaseMs ?? 60_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
    this.onRunFinished = options.onRunFinished ?? (() => undefined);
    if (this.heartbeatMs >= this.leaseMs) throw new Error('the scheduler heartbeat must be shorter than its lease');
  }

  register(job: ScheduledJob): void {
    assertValidJob(job);
    if (this.started) throw new Error(`scheduled job ${job.name} registered after the scheduler started`);
    if (this.jobs.has(job.name)) throw new Error(`scheduled job ${job.name} registered twice`);
    this.jobs.set(job.name, job);
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.wake(0);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
    const runs = [...this.running.entries()];
    if (runs.length === 0) return;
    for (const [, run] of runs) run.abort.abort();
    let timeout: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled(runs.map(([, run]) => run.done)).then(() => true),
      new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), this.stopTimeoutMs))),
    ]);
    clearTimeout(timeout);
    if (!finished) {
      // No more heartbeats: the leases expire and another instance takes the jobs over.
      for (const [, run] of this.running) clearInterval(run.heartbeat);
      this.log.warn({ jobs: [...this.running.keys()] }, 'scheduler stopped while jobs were still running; their leases will expire');
    }
  }

  /** The state of the jobs registered here, by name. */
  async statuses(): Promise<JobStatus[]> {
    return (await this.store.snapshot()).jobs.filter((j) => this.jobs.has(j.name));
  }

  /** What /readyz shows of each job (no error text, no instance names). */
  async readinessDetail(): Promise<{ name: string; lastRunAt: string | null; lastOutcome: JobOutcome | null }[]> {
    return (await this.statuses()).map((j) => ({ name: j.name, lastRunAt: j.lastRunAt?.toISOString() ?? null, lastOutcome: j.lastOutcome }));
  }

  private wake(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.look(), ms);
    this.timer.unref();
  }

  /** One look at the rows at a time; a wake-up during a look makes another one right after. */
  private look(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.passAgain = true;
      return;
    }
    this.pass = this.claimDue().then(
      (sleep) => sleep,
      (err) => {
        this.log.warn({ err: shortErrorMessage(err) }, 'scheduler could not read its jobs; trying again');
        this.rowsEnsured = false;
        return Math.min(this.maxIdleMs, 5_000);
      },
    ).then((sleep) => {
      this.pass = null;
      const again = this.passAgain;
      this.passAgain = false;
      this.wake(again ? 0 : sleep);
    });
  }

  /** Claims and starts every due job that is free; returns how long to sleep. */
  private async claimDue(): Promise<number> {
    if (!this.rowsEnsured) {
      for (const job of this.jobs.values()) await this.store.ensure(job.name, job.periodSeconds);
      this.rowsEnsured = true;
    }
    const { now, jobs } = await this.store.snapshot();
    this.offsetMs = now.getTime() - Date.now();
    const mine = jobs.filter((j) => this.jobs.has(j.name));
    if (mine.length < this.jobs.size) {
      this.rowsEnsured = false; // a row was deleted by hand: recreate it
      return 0;
    }
    for (const state of mine) {
      if (this.stopped) break;
      if (this.running.has(state.name) || state.nextRunAt > now || (state.leaseUntil && state.leaseUntil >= now)) continue;
      const claim = await this.store.claim(state.name, this.instanceId, this.leaseMs);
      if (claim) this.launch(this.jobs.get(state.name)!, claim);
    }
    const timings = mine.map((j) => ({ nextRunAt: j.nextRunAt, leaseUntil: j.leaseUntil, runningHere: this.running.has(j.name) }));
    return Math.max(MIN_SLEEP_MS, wakeDelayMs(timings, now, this.maxIdleMs));
  }

  private launch(job: ScheduledJob, claim: ClaimedRun): void {
    const abort = new AbortController();
    let over = false;
    const heartbeat = setInterval(() => {
      this.store.renew(job.name, this.instanceId, this.leaseMs).then(
        (held) => {
          if (held || over || abort.signal.aborted) return;
          this.log.warn({ job: job.name }, 'scheduled job lease lost; another instance may be running it');
          abort.abort();
        },
        (err) => this.log.warn({ job: job.name, err: shortErrorMessage(err) }, 'scheduled job lease renewal failed'),
      );
    }, this.heartbeatMs);
    heartbeat.unref();
    const done = this.execute(job, claim, abort.signal).finally(() => {
      over = true;
      clearInterval(heartbeat);
      this.running.delete(job.name);
      this.wake(0);
    });
    this.running.set(job.name, { done, abort, heartbeat });
  }

  private async execute(job: ScheduledJob, claim: ClaimedRun, signal: AbortSignal): Promise<void> {
    this.log.debug({ job: job.name, dueAt: claim.dueAt.toISOString() }, 'scheduled job started');
    let outcome: JobOutcome = 'ok';
    let error: string | null = null;
    let counts: JobCounts | void = undefined;
    try {
      counts = await job.run({ dueAt: claim.dueAt, signal });
    } catch (err) {
      outcome = 'failed';
      error = shortErrorMessage(err);
    }
    try {
      this.onRunFinished(job.name, outcome);
    } catch {
      // An observer must not change the run's outcome.
    }
    const plan = planAfterRun({
      outcome,
      dueAt: claim.dueAt,
      finishedAt: new Date(Date.now() + this.offsetMs),
      periodMs: job.periodSeconds * 1_000,
      previousFailures: claim.previousFailures,
      retryBaseMs: this.retryBaseMs,
    });
    if (outcome === 'failed') {
      this.log.error({ job: job.name, err: error, failures: plan.consecutiveFailures, retryAt: plan.nextRunAt.toISOString() }, 'scheduled job failed; it will be retried');
    } else if (counts && Object.values(counts).some((n) => n > 0)) {
      this.log.info({ job: job.name, ...counts }, 'scheduled job done');
    } else {
      this.log.debug({ job: job.name }, 'scheduled job done');
    }
    try {
      const recorded = await this.store.finish(job.name, this.instanceId, {
        startedAt: claim.startedAt,
        outcome,
        error,
        consecutiveFailures: plan.consecutiveFailures,
        nextRunAt: plan.nextRunAt,
      });
      if (!recorded) this.log.warn({ job: job.name }, 'scheduled job finished after its lease was taken over; outcome not recorded');
    } catch (err) {
      this.log.warn({ job: job.name, err: shortErrorMessage(err) }, 'could not record a scheduled job run; its lease will expire');
    }
  }
}
