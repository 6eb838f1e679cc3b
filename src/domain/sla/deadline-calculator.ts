import { CalendarInvalidError } from './calendar-invalid.error';
import type { CalendarWarning, DeadlineResult } from './deadline-result';
import {
  isoWeekdayOfLocalDate,
  localDateOf,
  nextLocalDate,
  yearOfLocalDate,
  zonedTimeToInstant,
  type LocalDate,
} from './time-zone';
import { parseSlotTime, validateCalendar, type NonWorkingDay, type WorkingCalendar } from './working-calendar';

interface SlotMinutes {
  start: number;
  end: number;
}

/** Collects the uncovered years one computation touched, so each is reported once. */
class YearWarnings {
  private readonly years = new Set<number>();

  constructor(private readonly coveredYears: ReadonlySet<number>) {}

  note(localDate: LocalDate): void {
    const year = yearOfLocalDate(localDate);
    if (!this.coveredYears.has(year)) this.years.add(year);
  }

  toList(): CalendarWarning[] {
    return [...this.years].sort((a, b) => a - b).map((year) => ({ code: 'CALENDAR_YEAR_MISSING', year }));
  }
}

/**
 * Deadline clocks over a working calendar. Pure: the caller passes the clock start, nothing
 * here reads the current time.
 */
export class DeadlineCalculator {
  /** The calendar's zone, for callers that show or group times as the office sees them. */
  readonly timeZone: string;
  /** Slots per ISO weekday (index 1..7), sorted by start. */
  private readonly slotsByWeekday: ReadonlyArray<readonly SlotMinutes[]>;
  private readonly nonWorkingDays: ReadonlyMap<string, NonWorkingDay>;
  private readonly coveredYears: ReadonlySet<number>;

  /** @throws CalendarInvalidError when the calendar fails {@link validateCalendar}. */
  constructor(calendar: WorkingCalendar) {
    validateCalendar(calendar);
    this.timeZone = calendar.timeZone;
    const byWeekday: SlotMinutes[][] = [[], [], [], [], [], [], [], []];
    for (const slot of calendar.officeHours) {
      // validateCalendar guarantees both parse.
      byWeekday[slot.weekday]!.push({ start: parseSlotTime(slot.start)!, end: parseSlotTime(slot.end)! });
    }
    for (const slots of byWeekday) slots.sort((a, b) => a.start - b.start);
    this.slotsByWeekday = byWeekday;
    // Copies, so a later edit of the caller's calendar object cannot change this calculator.
    this.nonWorkingDays = new Map(calendar.nonWorkingDays.map((day) => [day.date, { ...day }]));
    this.coveredYears = new Set(calendar.coveredYears);
  }

  /**
   * "N working days" ends at the close of office hours (end of the last slot) on the Nth working
   * day after the local day of `from`. Receipt on a weekend or holiday counts the same way.
   * @param n whole number of working days, at least 1.
   */
  addWorkingDays(from: Date, n: number): DeadlineResult {
    assertValidInstant(from);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Working days must be a whole number >= 1, got ${n}.`);
    const warnings = new YearWarnings(this.coveredYears);
    let date = localDateOf(from, this.timeZone);
    let counted = 0;
    const limit = this.dayScanLimit(n);
    for (let scanned = 0; counted < n; scanned++) {
      if (scanned > limit) throw this.noProgressError();
      date = nextLocalDate(date);
      if (this.isWorkingDayNoting(date, warnings)) counted++;
    }
    const slots = this.slotsOf(date);
    const close = slots[slots.length - 1]!.end;
    return { dueAt: zonedTimeToInstant(date, close, this.timeZone), warnings: warnings.toList() };
  }

  /**
   * Adds `hours` of office time to `from`, skipping time outside office slots and non-working
   * days. If `from` is outside office time, the clock starts at the next slot start. A deadline
   * that uses up a slot exactly ends at that slot's close, not at the next opening.
   * @param hours office hours, >= 0; fractions allowed (millisecond precision).
   */
  addOfficeHours(from: Date, hours: number): DeadlineResult {
    assertValidInstant(from);
    if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`Office hours must be a number >= 0, got ${hours}.`);
    const warnings = new YearWarnings(this.coveredYears);
    let remaining = Math.round(hours * 3_600_000);
    const fromMs = from.getTime();
    let date = localDateOf(from, this.timeZone);
    // Every working day has at least one minute of office time, so this bounds the scan.
    const limit = this.dayScanLimit(Math.ceil(remaining / 60_000) + 1);
    for (let scanned = 0; scanned <= limit; scanned++, date = nextLocalDate(date)) {
      if (!this.isWorkingDayNoting(date, warnings)) continue;
      for (const slot of this.slotsOf(date)) {
        const slotStart = zonedTimeToInstant(date, slot.start, this.timeZone).getTime();
        const slotEnd = zonedTimeToInstant(date, slot.end, this.timeZone).getTime();
        if (slotEnd <= fromMs) continue;
        const begin = Math.max(slotStart, fromMs);
        const available = slotEnd - begin;
        if (remaining <= available) return { dueAt: new Date(begin + remaining), warnings: warnings.toList() };
        remaining -= available;
      }
    }
    throw this.noProgressError();
  }

  /** The instant `ms` working milliseconds after `from` (addOfficeHours in milliseconds, no warnings). */
  addWorkingMs(from: Date, ms: number): Date {
    return this.addOfficeHours(from, Math.max(0, ms) / 3_600_000).dueAt;
  }

  /**
   * Office time between two instants, in milliseconds: only time inside office slots of working
   * days counts. Negative when `to` is before `from`.
   */
  workingMsBetween(from: Date, to: Date): number {
    assertValidInstant(from);
    assertValidInstant(to);
    if (to.getTime() < from.getTime()) return -this.workingMsBetween(to, from);
    const fromMs = from.getTime();
    const toMs = to.getTime();
    let total = 0;
    let date = localDateOf(from, this.timeZone);
    const last = localDateOf(to, this.timeZone);
    for (;;) {
      if (this.isWorkingDay(date)) {
        for (const slot of this.slotsOf(date)) {
          const start = Math.max(zonedTimeToInstant(date, slot.start, this.timeZone).getTime(), fromMs);
          const end = Math.min(zonedTimeToInstant(date, slot.end, this.timeZone).getTime(), toMs);
          if (end > start) total += end - start;
        }
      }
      if (date >= last) return total;
      date = nextLocalDate(date);
    }
  }

  /**
   * True when `localDate` (YYYY-MM-DD) has office slots and is not a listed non-working day.
   * For a year outside `coveredYears` only the listed days are known; use the DeadlineResult
   * methods to be told about that.
   */
  isWorkingDay(localDate: LocalDate): boolean {
    return this.slotsOf(localDate).length > 0 && !this.nonWorkingDays.has(localDate);
  }

  /** The first working day strictly after `localDate`. */
  nextWorkingDay(localDate: LocalDate): LocalDate {
    let date = localDate;
    const limit = this.dayScanLimit(1);
    for (let scanned = 0; scanned <= limit; scanned++) {
      date = nextLocalDate(date);
      if (this.isWorkingDay(date)) return date;
    }
    throw this.noProgressError();
  }

  /** Whether the holiday list for `year` is known to be complete. */
  coversYear(year: number): boolean {
    return this.coveredYears.has(year);
  }

  private isWorkingDayNoting(localDate: LocalDate, warnings: YearWarnings): boolean {
    warnings.note(localDate);
    return this.isWorkingDay(localDate);
  }

  private slotsOf(localDate: LocalDate): readonly SlotMinutes[] {
    return this.slotsByWeekday[isoWeekdayOfLocalDate(localDate)] ?? [];
  }

  /**
   * Upper bound on calendar days to scan for `workingDays` working days: at least one office
   * day per week, plus every listed non-working day. Exceeding it means a bug, not a slow search.
   */
  private dayScanLimit(workingDays: number): number {
    return (workingDays + 1) * 7 + this.nonWorkingDays.size + 7;
  }

  private noProgressError(): CalendarInvalidError {
    return new CalendarInvalidError('The calendar has no reachable working time; check office hours and non-working days.');
  }
}

function assertValidInstant(from: Date): void {
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw new RangeError('Clock start must be a valid Date.');
}
