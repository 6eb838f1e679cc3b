import { NonWorkingDay, OfficeHoursSlot, WorkingCalendar } from './working-calendar';

/** Where the working calendar lives: data an administrator can correct, not code. */
export interface CalendarRepository {
  load(): Promise<WorkingCalendar>;
  upsertNonWorkingDay(day: NonWorkingDay): Promise<void>;
  removeNonWorkingDay(date: string): Promise<boolean>;
  setYearCovered(year: number, covered: boolean): Promise<void>;
  replaceOfficeHours(slots: OfficeHoursSlot[]): Promise<void>;
}
