import { JobOutcome } from './scheduled-job';

/**
 * The first slot after `now` on the grid `dueAt + k * period` (k >= 1). Slots missed while a run
 * took long, or while every instance was down, are skipped rather than run one after another:
 * a daily job down for three days runs once on start, then daily again.
 */
export function nextSlotAfter(dueAt: Date, periodMs: number, now: Date): Date {
  const elapsed = now.getTime() - dueAt.getTime();
  const k = elapsed < 0 ? 1 : Math.floor(elapsed / periodMs) + 1;
  return new Date(dueAt.getTime() + k * periodMs);
}

/** Delay before retrying after the n-th failure in a row: base, 2x base, 4x base ..., never more than the period. */
export function retryDelayMs(consecutiveFailures: number, periodMs: number, retryBaseMs: number): number {
  const doublings = Math.min(Math.max(consecutiveFailures, 1) - 1, 30);
  return Math.min(periodMs, retryBaseMs * 2 ** doublings);
}

export interface FinishedRun {
  outcome: JobOutcome;
  /** The slot the run was for. */
  dueAt: Date;
  finishedAt: Date;
  periodMs: number;
  /** Failures in a row before this run. */
  previousFailures: number;
  retryBaseMs: number;
}

/** When a job runs next after a run, and its failures in a row. */
export function planAfterRun(run: FinishedRun): { nextRunAt: Date; consecutiveFailures: number } {
  if (run.outcome === 'ok') return { nextRunAt: nextSlotAfter(run.dueAt, run.periodMs, run.finishedAt), consecutiveFailures: 0 };
  const consecutiveFailures = run.previousFailures + 1;
  return { nextRunAt: new Date(run.finishedAt.getTime() + retryDelayMs(consecutiveFailures, run.periodMs, run.retryBaseMs)), consecutiveFailures };
}

export interface JobTiming {
  nextRunAt: Date;
  leaseUntil: Date | null;
  /** This instance is running it: it looks again when the run ends. */
  runningHere: boolean;
}

/**
 * How long the loop may sleep: until the earliest job becomes claimable (due, and its lease, if
 * another instance holds one, expired), and never longer than `maxIdleMs` so that changes made
 * by other instances are seen. 0 when something is claimable now.
 */
export function wakeDelayMs(jobs: JobTiming[], now: Date, maxIdleMs: number): number {
  let delay = maxIdleMs;
  for (const j of jobs) {
    if (j.runningHere) continue;
    const claimableAt = Math.max(j.nextRunAt.getTime(), j.leaseUntil ? j.leaseUntil.getTime() : -Infinity);
    delay = Math.min(delay, claimableAt - now.getTime());
  }
  return Math.max(0, delay);
}

/** The first line of an error's message, at most `max` characters: what a job's state and log keep. */
export function shortErrorMessage(err: unknown, max = 200): string {
  const raw = err instanceof Error ? err.message || err.name : String(err);
  const line = raw.split('\n')[0].trim() || 'unknown error';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
