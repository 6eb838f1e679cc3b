/**
 * Time-zone arithmetic on top of Intl only (the domain imports no libraries).
 * Instants are `Date`s (UTC); "local" values are wall-clock values in a named IANA zone.
 */

/** A calendar date as `YYYY-MM-DD`, meaningful only together with a time zone. */
export type LocalDate = string;

/** Wall-clock parts of an instant in a zone. `weekday` is ISO: 1 = Monday .. 7 = Sunday. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// Building a DateTimeFormat is costly and deadline loops call this per day, so cache per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime's Intl knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock parts of `instant` in `timeZone`. */
export function toZonedParts(instant: Date, timeZone: string): ZonedParts {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  const values: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const year = values['year'] ?? NaN;
  const month = values['month'] ?? NaN;
  const day = values['day'] ?? NaN;
  return {
    year,
    month,
    day,
    // Some ICU versions still print midnight as "24" despite h23.
    hour: (values['hour'] ?? NaN) % 24,
    minute: values['minute'] ?? NaN,
    second: values['second'] ?? NaN,
    // Zone offsets are whole seconds, so the sub-second part is the same in every zone.
    millisecond: ((ms % 1000) + 1000) % 1000,
    weekday: isoWeekdayOf(year, month, day),
  };
}

/** The local calendar date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const p = toZonedParts(instant, timeZone);
  return formatLocalDate(p.year, p.month, p.day);
}

/** Offset of the zone from UTC at `instant`, in ms (UTC+7 gives 25 200 000). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const p = toZonedParts(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond) - instant.getTime();
}

/**
 * The UTC instant at which the wall clock in `timeZone` reads `localDate` + `minuteOfDay`
 * (0..1440; 1440 is midnight at the end of the day).
 *
 * Iterative offset correction: guess with the offset found at the wall-clock value read as UTC,
 * then re-read the offset at the guess until it is stable. Around a DST change the result
 * follows the usual "compatible" rule: a time skipped by a spring-forward gap moves forward by
 * the gap length (02:30 -> 03:30), a time repeated by a fall-back overlap takes the earlier one.
 */
export function zonedTimeToInstant(localDate: LocalDate, minuteOfDay: number, timeZone: string): Date {
  // Deadline loops ask for the same office hours of the same days for every case: remembered.
  const key = `${timeZone}|${localDate}|${minuteOfDay}`;
  const known = instants.get(key);
  if (known !== undefined) return new Date(known);
  const at = computeZonedTimeToInstant(localDate, minuteOfDay, timeZone);
  if (instants.size >= MAX_REMEMBERED) instants.clear();
  instants.set(key, at.getTime());
  return at;
}

/** Answers of zonedTimeToInstant (a pure function of its arguments), bounded. */
const instants = new Map<string, number>();
const MAX_REMEMBERED = 20_000;

function computeZonedTimeToInstant(localDate: LocalDate, minuteOfDay: number, timeZone: string): Date {
  const { year, month, day } = parseLocalDateOrThrow(localDate);
  if (!Number.isFinite(minuteOfDay) || minuteOfDay < 0 || minuteOfDay > 1440) {
    throw new RangeError(`minuteOfDay out of range: ${minuteOfDay}`);
  }
  const wallMs = Date.UTC(year, month - 1, day) + Math.round(minuteOfDay * MS_PER_MINUTE);

  // Offsets a day either side bracket any single transition (zones do not change twice a day).
  const before = zoneOffsetMs(new Date(wallMs - MS_PER_DAY), timeZone);
  const after = zoneOffsetMs(new Date(wallMs + MS_PER_DAY), timeZone);
  const candidates = [before, after]
    .map((offset) => fixedPoint(wallMs, offset, timeZone))
    .filter((t): t is number => t !== null)
    .sort((a, b) => a - b);
  const earliest = candidates[0];
  if (earliest !== undefined) return new Date(earliest);
  // Gap: no instant shows this wall time; the pre-transition offset lands after the gap.
  return new Date(wallMs - before);
}

function fixedPoint(wallMs: number, initialOffset: number, timeZone: string): number | null {
  let offset = initialOffset;
  for (let i = 0; i < 3; i++) {
    const candidate = wallMs - offset;
    const actual = zoneOffsetMs(new Date(candidate), timeZone);
    if (actual === offset) return candidate;
    offset = actual;
  }
  return null;
}

/** Parses `YYYY-MM-DD`; null when malformed or not a real date (2026-02-30). */
export function parseLocalDate(localDate: string): { year: number; month: number; day: number } | null {
  const match = typeof localDate === 'string' ? LOCAL_DATE_PATTERN.exec(localDate) : null;
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const probe = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls invalid days over (and maps years < 100 to 19xx), so a round trip detects both.
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return null;
  }
  return { year, month, day };
}

function parseLocalDateOrThrow(localDate: string): { year: number; month: number; day: number } {
  const parsed = parseLocalDate(localDate);
  if (!parsed) throw new RangeError(`Not a valid YYYY-MM-DD date: ${String(localDate)}`);
  return parsed;
}

/** `localDate` moved by `days` calendar days (negative goes back). */
export function addDaysToLocalDate(localDate: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDateOrThrow(localDate);
  const moved = new Date(Date.UTC(year, month - 1, day) + days * MS_PER_DAY);
  return formatLocalDate(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/** The next calendar date after `localDate`. */
export function nextLocalDate(localDate: LocalDate): LocalDate {
  return addDaysToLocalDate(localDate, 1);
}

/** ISO weekday of a local date: 1 = Monday .. 7 = Sunday. */
export function isoWeekdayOfLocalDate(localDate: LocalDate): number {
  const { year, month, day } = parseLocalDateOrThrow(localDate);
  return isoWeekdayOf(year, month, day);
}

/** The year of a local date. */
export function yearOfLocalDate(localDate: LocalDate): number {
  return parseLocalDateOrThrow(localDate).year;
}

function isoWeekdayOf(year: number, month: number, day: number): number {
  const jsDay = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return jsDay === 0 ? 7 : jsDay;
}

function formatLocalDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
