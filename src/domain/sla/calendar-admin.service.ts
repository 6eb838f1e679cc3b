import { ValidationError } from '../shared/domain-error';
import { CalendarRepository } from './calendar-repository.port';
import { DeadlineService } from './deadline.service';
import { parseLocalDate } from './time-zone';
import { NonWorkingDay, NonWorkingDayKind, OfficeHoursSlot, validateCalendar, WorkingCalendar } from './working-calendar';

const KINDS: readonly NonWorkingDayKind[] = ['NATIONAL_HOLIDAY', 'CUTI_BERSAMA'];

function checkDate(date: string, field = 'date'): void {
  if (!parseLocalDate(date)) throw ValidationError.single(field, 'must be a date YYYY-MM-DD');
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw ValidationError.single('year', 'must be a year from 2000 to 2100');
}

/**
 * Administrators keep the working calendar true: holidays and cuti bersama change by decree
 * (SKB 3 Menteri). Changes apply to deadlines computed from then on; existing deadlines stay.
 */
export class CalendarAdminService {
  constructor(
    private readonly calendars: CalendarRepository,
    private readonly deadlines: DeadlineService,
  ) {}

  /** The calendar; with `year`, only that year's non-working days. */
  async calendar(year?: number | null): Promise<WorkingCalendar> {
    if (year !== undefined && year !== null) checkYear(year);
    const cal = await this.calendars.load();
    if (year === undefined || year === null) return cal;
    return { ...cal, nonWorkingDays: cal.nonWorkingDays.filter((d) => d.date.startsWith(`${year}-`)) };
  }

  async setNonWorkingDay(day: NonWorkingDay): Promise<WorkingCalendar> {
    checkDate(day.date);
    if (!KINDS.includes(day.kind)) throw ValidationError.single('kind', 'must be NATIONAL_HOLIDAY or CUTI_BERSAMA');
    const name = day.name.trim();
    if (!name || name.length > 200) throw ValidationError.single('name', 'must be 1 to 200 characters');
    await this.calendars.upsertNonWorkingDay({ ...day, name });
    return this.changed(Number(day.date.slice(0, 4)));
  }

  async removeNonWorkingDay(date: string): Promise<WorkingCalendar> {
    checkDate(date);
    if (!(await this.calendars.removeNonWorkingDay(date))) throw ValidationError.single('date', 'is not a non-working day in the calendar');
    return this.changed(Number(date.slice(0, 4)));
  }

  /** Marks a year's holiday list as complete (deadlines in it carry no warning) or not. */
  async setYearCovered(year: number, covered: boolean): Promise<WorkingCalendar> {
    checkYear(year);
    await this.calendars.setYearCovered(year, covered);
    return this.changed(year);
  }

  async setOfficeHours(slots: OfficeHoursSlot[]): Promise<WorkingCalendar> {
    const current = await this.calendars.load();
    try {
      validateCalendar({ ...current, officeHours: slots });
    } catch (err) {
      throw ValidationError.single('officeHours', (err as Error).message);
    }
    await this.calendars.replaceOfficeHours(slots);
    return this.changed(null);
  }

  private async changed(year: number | null): Promise<WorkingCalendar> {
    this.deadlines.invalidate();
    return this.calendar(year);
  }
}
