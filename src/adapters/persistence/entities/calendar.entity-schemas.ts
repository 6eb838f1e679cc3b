import { EntitySchema } from 'typeorm';

export interface OfficeHoursRow {
  weekday: number;
  start_time: string;
  end_time: string;
}
export interface NonWorkingDayRow {
  date: string;
  kind: string;
  name: string;
}

export const OfficeHoursEntity = new EntitySchema<OfficeHoursRow>({
  name: 'OfficeHours',
  tableName: 'office_hours',
  columns: {
    weekday: { type: 'int', primary: true },
    start_time: { type: 'text', primary: true },
    end_time: { type: 'text' },
  },
});

export const NonWorkingDayEntity = new EntitySchema<NonWorkingDayRow>({
  name: 'NonWorkingDay',
  tableName: 'non_working_days',
  columns: {
    date: { type: 'date', primary: true },
    kind: { type: 'text' },
    name: { type: 'text' },
  },
});

export const CalendarYearEntity = new EntitySchema<{ year: number }>({
  name: 'CalendarYear',
  tableName: 'calendar_years',
  columns: { year: { type: 'int', primary: true } },
});
