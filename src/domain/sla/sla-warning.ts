import type { DeadlineCalculator } from './deadline-calculator';
import type { SlaRule } from './sla-policy';

/** The default share of the working time after which SLA_WARNING fires (LOKET_SLA_WARNING_PERCENT). */
export const DEFAULT_WARNING_PERCENT = 75;
/** Clocks counted in office hours (LIGHT complaints, 3 hours) warn this long before the deadline. */
export const HOURS_RULE_WARNING_LEAD_MS = 3_600_000;

/**
 * When SLA_WARNING is due for a clock that started at `clockStart` and ends at `dueAt`: once
 * `percent` % of the working time between them has passed, counted on the calendar (so the
 * instant is always inside office time). A clock counted in office hours warns one office hour
 * before its deadline instead, unless it is an hour or shorter.
 */
export function warningInstant(calc: DeadlineCalculator, rule: SlaRule, clockStart: Date, dueAt: Date, percent: number): Date {
  if (!(percent > 0 && percent < 100)) throw new RangeError(`Warning percent must be between 0 and 100, got ${percent}.`);
  const total = calc.workingMsBetween(clockStart, dueAt);
  const elapsed = rule.unit === 'OFFICE_HOURS' && total > HOURS_RULE_WARNING_LEAD_MS
    ? total - HOURS_RULE_WARNING_LEAD_MS
    : Math.round((total * percent) / 100);
  return calc.addWorkingMs(clockStart, elapsed);
}
