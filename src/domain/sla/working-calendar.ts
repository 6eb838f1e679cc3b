import { CalendarInvalidError } from './calendar-invalid.error';
import { isValidTimeZone, parseLocalDate } from './time-zone';

/** One block of office time on a weekday; several per day model a lunch break. */
export interface OfficeHoursSlot {
  /** ISO weekday: 1 = Monday .. 7 = Sunday. */
  weekday: number;
  /** Local wall-clock start, "HH:MM" (e.g. "07:30"). */
  start: string;
  /** Local wall-clock end, "HH:MM", after `start`; "24:00" is allowed as the end of the day. */
  end: string;
}

export type NonWorkingDayKind = 'NATIONAL_HOLIDAY' | 'CUTI_BERSAMA';

export interface NonWorkingDay {
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  kind: NonWorkingDayKind;
  /** Indonesian name as published in the SKB 3 Menteri. */
  name: string;
}

/** Data, not code: an administrator corrects it when the SKB 3 Menteri changes. */
export interface WorkingCalendar {
  /** IANA zone in which office hours and dates are read (e.g. "Asia/Pontianak"). */
  timeZone: string;
  officeHours: OfficeHoursSlot[];
  nonWorkingDays: NonWorkingDay[];
  /** Years whose holiday list is known to be complete; other years raise a warning when used. */
  coveredYears: number[];
}

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const NON_WORKING_DAY_KINDS: readonly NonWorkingDayKind[] = ['NATIONAL_HOLIDAY', 'CUTI_BERSAMA'];

/** Minutes since local midnight for "HH:MM" ("24:00" -> 1440), or null when malformed. */
export function parseSlotTime(value: string): number | null {
  if (value === '24:00') return 1440;
  const match = typeof value === 'string' ? TIME_PATTERN.exec(value) : null;
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Checks a calendar before any deadline is computed with it.
 * @throws CalendarInvalidError naming the first problem found.
 */
export function validateCalendar(cal: WorkingCalendar): void {
  if (!isValidTimeZone(cal.timeZone)) {
    throw new CalendarInvalidError(`Unknown time zone: "${String(cal.timeZone)}".`);
  }
  if (!Array.isArray(cal.officeHours) || cal.officeHours.length === 0) {
    // Without any office time no deadline can ever fall due; refusing here prevents endless loops.
    throw new CalendarInvalidError('The calendar has no office hours at all.');
  }
  validateSlots(cal.officeHours);
  validateNonWorkingDays(cal.nonWorkingDays);
  for (const year of cal.coveredYears) {
    if (!Number.isInteger(year) || year < 1000 || year > 9999) {
      throw new CalendarInvalidError(`Covered year ${String(year)} is not a four-digit year.`);
    }
  }
}

function validateSlots(slots: OfficeHoursSlot[]): void {
  const parsed = slots.map((slot, index) => {
    const label = `Office hours slot #${index + 1} (weekday ${String(slot.weekday)} ${String(slot.start)}-${String(slot.end)})`;
    if (!Number.isInteger(slot.weekday) || slot.weekday < 1 || slot.weekday > 7) {
      throw new CalendarInvalidError(`${label}: weekday must be an ISO weekday from 1 (Monday) to 7 (Sunday).`);
    }
    const start = slot.start === '24:00' ? null : parseSlotTime(slot.start);
    const end = parseSlotTime(slot.end);
    if (start === null) throw new CalendarInvalidError(`${label}: start must be a time "HH:MM" from 00:00 to 23:59.`);
    if (end === null) throw new CalendarInvalidError(`${label}: end must be a time "HH:MM" from 00:01 to 24:00.`);
    if (end <= start) throw new CalendarInvalidError(`${label}: end must be later than start.`);
    return { weekday: slot.weekday, start, end, label };
  });
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (a.weekday === b.weekday && a.start < b.end && b.start < a.end) {
        throw new CalendarInvalidError(`${a.label} overlaps ${b.label}.`);
      }
    }
  }
}

function validateNonWorkingDays(days: NonWorkingDay[]): void {
  const seen = new Set<string>();
  for (const day of days) {
    if (!parseLocalDate(day.date)) {
      throw new CalendarInvalidError(`Non-working day "${String(day.date)}" is not a valid YYYY-MM-DD date.`);
    }
    if (!NON_WORKING_DAY_KINDS.includes(day.kind)) {
      throw new CalendarInvalidError(`Non-working day ${day.date} has unknown kind "${String(day.kind)}".`);
    }
    if (typeof day.name !== 'string' || day.name.trim() === '') {
      throw new CalendarInvalidError(`Non-working day ${day.date} has no name.`);
    }
    // A date listed twice is usually a typo for another date; better to ask than to guess.
    if (seen.has(day.date)) throw new CalendarInvalidError(`Non-working day ${day.date} is listed twice.`);
    seen.add(day.date);
  }
}
