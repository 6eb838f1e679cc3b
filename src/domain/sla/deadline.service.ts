import { Deadline, WorkingTime } from '../case/case';
import { CaseKind, ComplaintClass } from '../case/case-types';
import { Clock } from '../shared/clock.port';
import { CalendarRepository } from './calendar-repository.port';
import { DeadlineCalculator } from './deadline-calculator';
import { SlaPolicy, computeDueAt, DEFAULT_SLA_POLICY, slaRuleFor } from './sla-policy';
import { DEFAULT_WARNING_PERCENT, warningInstant } from './sla-warning';

export interface DeadlineFunction extends WorkingTime {
  timeZone: string;
  /** The deadline of a clock started at `clockStart`, with its SLA warning instant. */
  dueAt(kind: CaseKind, complaintClass: ComplaintClass | null, clockStart: Date): Deadline;
  /** The SLA warning instant of a clock from `clockStart` to `dueAt` (for deadlines stored without one). */
  warnAt(kind: CaseKind, complaintClass: ComplaintClass | null, clockStart: Date, dueAt: Date): Date;
}

export interface DeadlineOptions {
  /** Share of the working time after which SLA_WARNING fires (1..99, default 75). */
  warningPercent?: number;
}

const CACHE_MS = 60_000;

/**
 * Gives deadline functions over the current calendar. The calendar is read from its
 * repository and cached briefly; `invalidate()` after an administrator changes it.
 */
export class DeadlineService {
  private cached: { at: number; calculator: DeadlineCalculator } | null = null;
  private loading: Promise<void> | null = null;
  private generation = 0;

  constructor(
    private readonly calendars: CalendarRepository,
    private readonly clock: Clock,
    private readonly policy: SlaPolicy = DEFAULT_SLA_POLICY,
    private readonly options: DeadlineOptions = {},
  ) {}

  async calculator(): Promise<DeadlineFunction> {
    const now = this.clock.now().getTime();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      // One reload shared by every request that finds the cache stale.
      if (!this.loading) {
        const generation = this.generation;
        const loading: Promise<void> = this.calendars.load().then(
          (cal) => {
            if (this.loading === loading) this.loading = null;
            // A change made while loading wins: this result may predate it.
            if (generation === this.generation) this.cached = { at: this.clock.now().getTime(), calculator: new DeadlineCalculator(cal) };
          },
          (err: unknown) => {
            if (this.loading === loading) this.loading = null;
            throw err;
          },
        );
        this.loading = loading;
      }
      await this.loading;
    }
    if (!this.cached) return this.calculator();
    const calc = this.cached.calculator;
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
    };
  }

  invalidate(): void {
    this.generation++;
    this.cached = null;
    this.loading = null;
  }
}
