import { Deadline, WorkingTime } from '../case/case';
import { CaseKind, ComplaintClass } from '../case/case-types';
import { CalendarRepository } from './calendar-repository.port';
import { DeadlineCalculator } from './deadline-calculator';
import { SlaPolicy, computeDueAt, DEFAULT_SLA_POLICY, slaRuleFor } from './sla-policy';
import { DEFAULT_WARNING_PERCENT, warningInstant } from './sla-warning';
import { WorkingCalendar } from './working-calendar';

export interface DeadlineFunction extends WorkingTime {
  timeZone: string;
  /** The deadline of a clock started at `clockStart`, with its SLA warning instant. */
  dueAt(kind: CaseKind, complaintClass: ComplaintClass | null, clockStart: Date): Deadline;
  /** The SLA warning instant of a clock from `clockStart` to `dueAt` (for deadlines stored without one). */
  warnAt(kind: CaseKind, complaintClass: ComplaintClass | null, clockStart: Date, dueAt: Date): Date;
  /** The close of office hours on the `n`th working day after the local day of `from` (channel clocks such as LAPOR!'s). */
  addWorkingDays(from: Date, n: number): Date;
}

export interface DeadlineOptions {
  /** Share of the working time after which SLA_WARNING fires (1..99, default 75). */
  warningPercent?: number;
}

/** What a case's deadline depends on. */
export interface DeadlineInputs {
  kind: CaseKind;
  complaintClass: ComplaintClass | null;
  clockStartedAt: Date | null;
  /** Working time the clock stood still (pauses already resumed); it extends the deadline. */
  pausedWorkingMinutes?: number;
}

/**
 * The deadline a case is held to, as intake and classification compute it: from its clock start
 * (receipt, or the moment an information request became complete) and its class, moved on by
 * the working time the case was paused. Null while the clock has not started (an incomplete
 * information request).
 */
export function caseDeadline(fn: DeadlineFunction, c: DeadlineInputs): Deadline | null {
  if (!c.clockStartedAt) return null;
  const d = fn.dueAt(c.kind, c.complaintClass, c.clockStartedAt);
  const pausedMs = (c.pausedWorkingMinutes ?? 0) * 60_000;
  if (pausedMs <= 0) return d;
  const dueAt = fn.addWorkingMs(d.dueAt, pausedMs);
  const warnAt = d.warnAt ? fn.addWorkingMs(d.warnAt, pausedMs) : d.warnAt;
  return { ...d, dueAt, warnAt };
}

/**
 * Gives deadline functions over the current calendar. The calendar is cached per version: each
 * computation first reads the calendar's version (one indexed row), so a change made by any
 * instance is used by every instance from its commit on.
 */
export class DeadlineService {
  private cached: { version: number; fn: DeadlineFunction } | null = null;
  private loading: { version: number; promise: Promise<DeadlineFunction> } | null = null;

  constructor(
    private readonly calendars: CalendarRepository,
    private readonly policy: SlaPolicy = DEFAULT_SLA_POLICY,
    private readonly options: DeadlineOptions = {},
  ) {}

  async calculator(): Promise<DeadlineFunction> {
    const version = await this.calendars.version();
    if (this.cached?.version === version) return this.cached.fn;
    // One load per version, shared by every request that finds the cache stale. The version is
    // read before the calendar: a change committing in between only makes the next call reload.
    const pending = this.loading;
    if (pending && pending.version === version) return pending.promise;
    const loading = {
      version,
      promise: this.calendars.load().then(
        (cal) => {
          if (this.loading === loading) this.loading = null;
          const fn = this.forCalendar(cal);
          if (!this.cached || this.cached.version <= version) this.cached = { version, fn };
          return fn;
        },
        (err: unknown) => {
          if (this.loading === loading) this.loading = null;
          throw err;
        },
      ),
    };
    this.loading = loading;
    return loading.promise;
  }

  /** Deadlines over the given calendar, with this service's policy (a calendar change uses its new calendar). */
  forCalendar(calendar: WorkingCalendar): DeadlineFunction {
    const calc = new DeadlineCalculator(calendar);
    const percent = this.options.warningPercent ?? DEFAULT_WARNING_PERCENT;
    return {
      timeZone: calc.timeZone,
      dueAt: (kind, complaintClass, clockStart) => {
        const d = computeDueAt(calc, { kind, complaintClass, clockStart }, this.policy);
        return { ...d, warnAt: warningInstant(calc, slaRuleFor(this.policy, kind, complaintClass), clockStart, d.dueAt, percent) };
      },
      warnAt: (kind, complaintClass, clockStart, dueAt) => warningInstant(calc, slaRuleFor(this.policy, kind, complaintClass), clockStart, dueAt, percent),
      workingMsBetween: (from, to) => calc.workingMsBetween(from, to),
      addWorkingMs: (from, ms) => calc.addWorkingMs(from, ms),
      addWorkingDays: (from, n) => calc.addWorkingDays(from, n).dueAt,
    };
  }

  /** Drops the cached calendar (the version check makes this an optimisation only). */
  invalidate(): void {
    this.cached = null;
    this.loading = null;
  }
}
