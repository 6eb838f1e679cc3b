export { CalendarInvalidError } from './calendar-invalid.error';
export { DeadlineCalculator } from './deadline-calculator';
export type { CalendarWarning, DeadlineResult } from './deadline-result';
export { CALENDAR_2026, CALENDAR_2027, DEFAULT_OFFICE_HOURS, OFFICE_TIME_ZONE, defaultCalendar } from './default-calendar';
export { DEFAULT_SLA_POLICY, computeDueAt, slaRuleFor } from './sla-policy';
export type { DueAtInput, SlaPolicy, SlaRule } from './sla-policy';
export { validateCalendar } from './working-calendar';
export type { NonWorkingDay, NonWorkingDayKind, OfficeHoursSlot, WorkingCalendar } from './working-calendar';
export {
  addDaysToLocalDate,
  isoWeekdayOfLocalDate,
  localDateOf,
  nextLocalDate,
  toZonedParts,
  zonedTimeToInstant,
} from './time-zone';
export type { LocalDate, ZonedParts } from './time-zone';
