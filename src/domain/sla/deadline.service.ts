import { Deadline } from '../case/case';
import { CaseKind, ComplaintClass } from '../case/case-types';
import { CalendarRepository } from './calendar-repository.port';
import { DeadlineCalculator } from './deadline-calculator';
import { SlaPolicy, computeDueAt, DEFAULT_SLA_POLICY } from './sla-policy';
import { WorkingCalendar } from './working-calendar';

export interface DeadlineFunction {
  timeZone: string;
  dueAt(kind: CaseKind, complaintClass: ComplaintClass | null, clockStart: Date): Deadline;
}

/** What a case's deadline depends on. */
export interface DeadlineInputs {
  kind: CaseKind;
  complaintClass: ComplaintClass | null;
  clockStartedAt: Date | null;
}

/**
 * The deadline a case is held to, as intake and classification compute it: from its clock start
 * (receipt, or the moment an information request became complete) and its class. Null while
 * the clock has not started (an incomplete information request).
 */
export function caseDeadline(fn: DeadlineFunction, c: DeadlineInputs): Deadline | null {
  return c.clockStartedAt ? fn.dueAt(c.kind, c.complaintClass, c.clockStartedAt) : null;
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
    return {
      timeZone: calc.timeZone,
      dueAt: (kind, complaintClass, clockStart) => computeDueAt(calc, { kind, complaintClass, clockStart }, this.policy),
    };
  }

  /** Drops the cached calendar (the version check makes this an optimisation only). */
  invalidate(): void {
    this.cached = null;
    this.loading = null;
  }
}
