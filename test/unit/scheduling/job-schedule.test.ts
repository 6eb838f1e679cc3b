import { nextSlotAfter, planAfterRun, retryDelayMs, shortErrorMessage, wakeDelayMs } from '../../../src/domain/scheduling/job-schedule';
import { assertValidJob } from '../../../src/domain/scheduling/scheduled-job';

const at = (iso: string) => new Date(iso);
const DAY = 24 * 3_600_000;

describe('the next slot of a periodic job', () => {
  it('is one period after the slot that ran when the run was short', () => {
    expect(nextSlotAfter(at('2026-03-02T01:00:00Z'), DAY, at('2026-03-02T01:00:05Z'))).toEqual(at('2026-03-03T01:00:00Z'));
  });

  it('skips the slots missed during downtime: one catch-up run, then back on the grid', () => {
    // Due on the 2nd, every instance was down until the 5th at 09:00: the run of the 5th is the catch-up,
    // the next is the 6th at 01:00, not the 3rd and 4th one after another.
    expect(nextSlotAfter(at('2026-03-02T01:00:00Z'), DAY, at('2026-03-05T09:00:00Z'))).toEqual(at('2026-03-06T01:00:00Z'));
  });

  it('never returns the slot that just ran, even when the run ended exactly on the next boundary', () => {
    expect(nextSlotAfter(at('2026-03-02T01:00:00Z'), 1_000, at('2026-03-02T01:00:01Z'))).toEqual(at('2026-03-02T01:00:02Z'));
    expect(nextSlotAfter(at('2026-03-02T01:00:00Z'), 1_000, at('2026-03-02T00:59:59Z'))).toEqual(at('2026-03-02T01:00:01Z'));
  });
});

describe('retries after a failure', () => {
  it('doubles from the base with each failure in a row, never beyond the period', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, DAY, 60_000))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(20, DAY, 60_000)).toBe(DAY);
    expect(retryDelayMs(1, 1_000, 60_000)).toBe(1_000);
    expect(retryDelayMs(5_000, DAY, 60_000)).toBe(DAY); // no overflow for long failure streaks
  });

  it('a failed run is retried after the backoff, well before the next period, and counts the failure', () => {
    const plan = planAfterRun({
      outcome: 'failed', dueAt: at('2026-03-02T01:00:00Z'), finishedAt: at('2026-03-02T01:00:10Z'), periodMs: DAY, previousFailures: 1, retryBaseMs: 60_000,
    });
    expect(plan).toEqual({ nextRunAt: at('2026-03-02T01:02:10Z'), consecutiveFailures: 2 });
  });

  it('a success after failures resets the count and schedules from the slot that ran', () => {
    const plan = planAfterRun({
      outcome: 'ok', dueAt: at('2026-03-02T01:03:00Z'), finishedAt: at('2026-03-02T01:03:01Z'), periodMs: DAY, previousFailures: 3, retryBaseMs: 60_000,
    });
    expect(plan).toEqual({ nextRunAt: at('2026-03-03T01:03:00Z'), consecutiveFailures: 0 });
  });
});

describe('how long the loop sleeps', () => {
  const now = at('2026-03-02T01:00:00Z');
  const job = (nextRunAt: string, leaseUntil: string | null = null, runningHere = false) => ({ nextRunAt: at(nextRunAt), leaseUntil: leaseUntil ? at(leaseUntil) : null, runningHere });

  it('until the earliest due job, at most the idle limit', () => {
    expect(wakeDelayMs([job('2026-03-02T01:00:30Z'), job('2026-03-02T01:00:10Z')], now, 60_000)).toBe(10_000);
    expect(wakeDelayMs([job('2026-03-03T01:00:00Z')], now, 60_000)).toBe(60_000);
    expect(wakeDelayMs([], now, 60_000)).toBe(60_000);
  });

  it('not at all when a job is overdue (a run missed while every instance was down)', () => {
    expect(wakeDelayMs([job('2026-02-27T01:00:00Z')], now, 60_000)).toBe(0);
  });

  it("until another instance's lease expires when that instance holds a due job", () => {
    expect(wakeDelayMs([job('2026-03-02T00:59:00Z', '2026-03-02T01:00:20Z')], now, 60_000)).toBe(20_000);
    expect(wakeDelayMs([job('2026-03-02T00:59:00Z', '2026-03-02T00:59:59Z')], now, 60_000)).toBe(0); // expired: take it over
  });

  it('ignores the jobs this instance is running (it looks again when they end)', () => {
    expect(wakeDelayMs([job('2026-03-02T00:59:00Z', '2026-03-02T01:01:00Z', true), job('2026-03-02T01:00:05Z')], now, 60_000)).toBe(5_000);
  });
});

describe('job definitions and error text', () => {
  it('refuses names that are not lowercase-hyphenated and periods that are not whole seconds', () => {
    expect(() => assertValidJob({ name: 'outbox-prune', periodSeconds: 86_400 })).not.toThrow();
    for (const name of ['Outbox', 'outbox_prune', '-x', 'x-', 'a--b', '', 'x'.repeat(64)]) expect(() => assertValidJob({ name, periodSeconds: 1 })).toThrow();
    for (const periodSeconds of [0, -1, 1.5, NaN]) expect(() => assertValidJob({ name: 'x', periodSeconds })).toThrow();
  });

  it('keeps the first line of an error, shortened', () => {
    expect(shortErrorMessage(new Error('connection refused\n    at Socket.connect'))).toBe('connection refused');
    expect(shortErrorMessage(new Error('x'.repeat(500)))).toHaveLength(200);
    expect(shortErrorMessage(new TypeError(''))).toBe('TypeError');
    expect(shortErrorMessage('plain')).toBe('plain');
  });
});
