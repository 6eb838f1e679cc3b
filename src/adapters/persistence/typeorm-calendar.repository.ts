import { DataSource } from 'typeorm';
import { CalendarRepository } from '../../domain/sla/calendar-repository.port';
import { NonWorkingDay, NonWorkingDayKind, OfficeHoursSlot, WorkingCalendar } from '../../domain/sla/working-calendar';
import { CalendarYearEntity, NonWorkingDayEntity, OfficeHoursEntity } from './entities/calendar.entity-schemas';

/** `date` columns come back as strings from pg and as Dates from PGlite; normalize to YYYY-MM-DD. */
function toLocalDate(v: string | Date): string {
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
}

export class TypeormCalendarRepository implements CalendarRepository {
  constructor(private readonly ds: DataSource) {}

  async load(): Promise<WorkingCalendar> {
    const [settings] = (await this.ds.query(`SELECT time_zone FROM calendar_settings WHERE id = 1`)) as { time_zone: string }[];
    const hours = await this.ds.getRepository(OfficeHoursEntity).find({ order: { weekday: 'ASC', start_time: 'ASC' } });
    const days = await this.ds.getRepository(NonWorkingDayEntity).find({ order: { date: 'ASC' } });
    const years = await this.ds.getRepository(CalendarYearEntity).find({ order: { year: 'ASC' } });
    return {
      timeZone: settings?.time_zone ?? 'Asia/Pontianak',
      officeHours: hours.map((h) => ({ weekday: h.weekday, start: h.start_time, end: h.end_time })),
      nonWorkingDays: days.map((d) => ({ date: toLocalDate(d.date), kind: d.kind as NonWorkingDayKind, name: d.name })),
      coveredYears: years.map((y) => Number(y.year)),
    };
  }

  async upsertNonWorkingDay(day: NonWorkingDay): Promise<void> {
    await this.ds.query(
      `INSERT INTO non_working_days (date, kind, name) VALUES ($1::date, $2, $3)
       ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name`,
      [day.date, day.kind, day.name],
    );
  }

  async removeNonWorkingDay(date: string): Promise<boolean> {
    // A CTE, because TypeORM's query() answers a bare DELETE with [rows, count].
    const rows: unknown[] = await this.ds.query(
      `WITH removed AS (DELETE FROM non_working_days WHERE date = $1::date RETURNING date) SELECT date FROM removed`,
      [date],
    );
    return rows.length > 0;
  }

  async setYearCovered(year: number, covered: boolean): Promise<void> {
    if (covered) await this.ds.query(`INSERT INTO calendar_years (year) VALUES ($1) ON CONFLICT DO NOTHING`, [year]);
    else await this.ds.query(`DELETE FROM calendar_years WHERE year = $1`, [year]);
  }

  async replaceOfficeHours(slots: OfficeHoursSlot[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`DELETE FROM office_hours`);
      for (const s of slots) {
        await m.query(`INSERT INTO office_hours (weekday, start_time, end_time) VALUES ($1, $2, $3)`, [s.weekday, s.start, s.end]);
      }
    });
  }
}
