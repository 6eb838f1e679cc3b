import { Clock } from '../shared/clock.port';
import { CalendarRepository } from './calendar-repository.port';
import { toZonedParts, zonedTimeToInstant } from './time-zone';
import type { WorkingCalendar } from './working-calendar';

/** From this month on (October), next year's holidays must be in: 60 working days reach it. */
const NEXT_YEAR_DUE_MONTH = 10;

/** A year whose holiday list is missing while deadlines already reach into it. */
export interface CalendarAlarm {
  missingYear: number;
  /** Since when it is missing in earnest: 1 October of the year before (or 1 January of that year). */
  since: Date;
  /** For administrators (Bahasa Indonesia). */
  message: string;
}

/**
 * The alarm at `now`: the current year not covered, or from 1 October the next year not
 * covered; null when the calendar is ready. Covered = marked complete by an administrator.
 */
export function calendarAlarmAt(calendar: Pick<WorkingCalendar, 'timeZone' | 'coveredYears'>, now: Date): CalendarAlarm | null {
  const { year, month } = toZonedParts(now, calendar.timeZone);
  const covered = new Set(calendar.coveredYears);
  if (!covered.has(year)) return alarm(year, zonedTimeToInstant(`${year}-01-01`, 0, calendar.timeZone));
  if (month >= NEXT_YEAR_DUE_MONTH && !covered.has(year + 1)) {
    return alarm(year + 1, zonedTimeToInstant(`${year}-${String(NEXT_YEAR_DUE_MONTH).padStart(2, '0')}-01`, 0, calendar.timeZone));
  }
  return null;
}

function alarm(missingYear: number, since: Date): CalendarAlarm {
  return {
    missingYear,
    since,
    message:
      `Kalender kerja ${missingYear} belum lengkap: masukkan libur nasional dan cuti bersama ${missingYear} (SKB 3 Menteri), ` +
      `lalu tandai tahun ${missingYear} lengkap. Sampai saat itu tenggat yang masuk ke ${missingYear} hanya melewati akhir pekan.`,
  };
}

/** Checks the stored calendar against the clock: the daily job, the query and /readyz ask it. */
export class CalendarAlarmService {
  constructor(
    private readonly calendars: Pick<CalendarRepository, 'load'>,
    private readonly clock: Clock,
  ) {}

  async check(): Promise<CalendarAlarm | null> {
    return calendarAlarmAt(await this.calendars.load(), this.clock.now());
  }
}
