import { DataSource, EntityManager } from 'typeorm';
import { Case } from '../../domain/case/case';
import { Actor } from '../../domain/case/timeline-event';
import { CalendarChange, CalendarChangeRecord } from '../../domain/sla/calendar-change';
import { CalendarRepository, CalendarTransaction } from '../../domain/sla/calendar-repository.port';
import { NonWorkingDay, NonWorkingDayKind, OfficeHoursSlot, WorkingCalendar } from '../../domain/sla/working-calendar';
import { TypeormCaseRepository } from './typeorm-case.repository';

/** `date` columns come back as strings from pg and as Dates from PGlite; normalize to YYYY-MM-DD. */
function toLocalDate(v: string | Date): string {
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
}

interface ChangeRow {
  id: string;
  at: Date | string;
  actor_id: string;
  actor_kind: string;
  actor_role: string | null;
  change: CalendarChange;
  calendar_version: string;
  cases_moved: number | null;
}

const CHANGE_COLUMNS = `id::text AS id, at, actor_id, actor_kind, actor_role, change, calendar_version::text AS calendar_version, cases_moved`;

function rowToChange(r: ChangeRow): CalendarChangeRecord {
  return {
    id: r.id,
    at: r.at instanceof Date ? r.at : new Date(r.at),
    actor: { id: r.actor_id, kind: r.actor_kind as Actor['kind'] },
    actorRole: r.actor_role,
    change: r.change,
    calendarVersion: Number(r.calendar_version),
    casesMoved: r.cases_moved,
  };
}

/** Reads the calendar with `q` (the data source, or a transaction's manager). */
async function loadCalendar(q: { query: (sql: string, params?: unknown[]) => Promise<unknown> }): Promise<WorkingCalendar> {
  const [settings] = (await q.query(`SELECT time_zone FROM calendar_settings WHERE id = 1`)) as { time_zone: string }[];
  const hours = (await q.query(`SELECT weekday, start_time, end_time FROM office_hours ORDER BY weekday, start_time`)) as {
    weekday: number;
    start_time: string;
    end_time: string;
  }[];
  const days = (await q.query(`SELECT date, kind, name FROM non_working_days ORDER BY date`)) as { date: string | Date; kind: string; name: string }[];
  const years = (await q.query(`SELECT year FROM calendar_years ORDER BY year`)) as { year: number }[];
  return {
    timeZone: settings?.time_zone ?? 'Asia/Pontianak',
    officeHours: hours.map((h) => ({ weekday: Number(h.weekday), start: h.start_time, end: h.end_time })),
    nonWorkingDays: days.map((d) => ({ date: toLocalDate(d.date), kind: d.kind as NonWorkingDayKind, name: d.name })),
    coveredYears: years.map((y) => Number(y.year)),
  };
}

export class TypeormCalendarRepository implements CalendarRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: TypeormCaseRepository,
  ) {}

  load(): Promise<WorkingCalendar> {
    return loadCalendar(this.ds);
  }

  async version(): Promise<number> {
    const [r] = (await this.ds.query(`SELECT version::text AS version FROM calendar_settings WHERE id = 1`)) as { version: string }[];
    return Number(r?.version ?? 0);
  }

  change<T>(work: (tx: CalendarTransaction, version: number) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (m) => {
      // The row lock serializes calendar changes across instances until this commits.
      const [bumped] = (await m.query(
        `WITH v AS (UPDATE calendar_settings SET version = version + 1 WHERE id = 1 RETURNING version) SELECT version::text AS version FROM v`,
      )) as { version: string }[];
      if (!bumped) throw new Error('calendar_settings has no row; the calendar migrations did not run');
      return work(new TypeormCalendarTransaction(m, this.cases), Number(bumped.version));
    });
  }

  async hasPendingChanges(): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM calendar_changes WHERE cases_moved IS NULL LIMIT 1`);
    return rows.length > 0;
  }

  async changes(first: number, beforeId: string | null): Promise<{ entries: CalendarChangeRecord[]; hasNextPage: boolean }> {
    const rows = (await this.ds.query(
      `SELECT ${CHANGE_COLUMNS} FROM calendar_changes ${beforeId ? 'WHERE id < $2::bigint' : ''} ORDER BY calendar_changes.id DESC LIMIT $1`,
      beforeId ? [first + 1, beforeId] : [first + 1],
    )) as ChangeRow[];
    return { entries: rows.slice(0, first).map(rowToChange), hasNextPage: rows.length > first };
  }
}

class TypeormCalendarTransaction implements CalendarTransaction {
  constructor(
    private readonly m: EntityManager,
    private readonly cases: TypeormCaseRepository,
  ) {}

  load(): Promise<WorkingCalendar> {
    return loadCalendar(this.m);
  }

  async upsertNonWorkingDay(day: NonWorkingDay): Promise<NonWorkingDay | null> {
    const [before] = (await this.m.query(`SELECT date, kind, name FROM non_working_days WHERE date = $1::date FOR UPDATE`, [day.date])) as {
      date: string | Date;
      kind: string;
      name: string;
    }[];
    await this.m.query(
      `INSERT INTO non_working_days (date, kind, name) VALUES ($1::date, $2, $3)
       ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name`,
      [day.date, day.kind, day.name],
    );
    return before ? { date: toLocalDate(before.date), kind: before.kind as NonWorkingDayKind, name: before.name } : null;
  }

  async removeNonWorkingDay(date: string): Promise<NonWorkingDay | null> {
    // A CTE, because TypeORM's query() answers a bare DELETE with [rows, count].
    const [removed] = (await this.m.query(
      `WITH removed AS (DELETE FROM non_working_days WHERE date = $1::date RETURNING date, kind, name) SELECT date, kind, name FROM removed`,
      [date],
    )) as { date: string | Date; kind: string; name: string }[];
    return removed ? { date: toLocalDate(removed.date), kind: removed.kind as NonWorkingDayKind, name: removed.name } : null;
  }

  async setYearCovered(year: number, covered: boolean): Promise<void> {
    if (covered) await this.m.query(`INSERT INTO calendar_years (year) VALUES ($1) ON CONFLICT DO NOTHING`, [year]);
    else await this.m.query(`DELETE FROM calendar_years WHERE year = $1`, [year]);
  }

  async replaceOfficeHours(slots: OfficeHoursSlot[]): Promise<OfficeHoursSlot[]> {
    const before = (await this.m.query(
      `WITH gone AS (DELETE FROM office_hours RETURNING weekday, start_time, end_time) SELECT weekday, start_time, end_time FROM gone ORDER BY weekday, start_time`,
    )) as { weekday: number; start_time: string; end_time: string }[];
    for (const s of slots) {
      await this.m.query(`INSERT INTO office_hours (weekday, start_time, end_time) VALUES ($1, $2, $3)`, [s.weekday, s.start, s.end]);
    }
    return before.map((h) => ({ weekday: Number(h.weekday), start: h.start_time, end: h.end_time }));
  }

  async nextChangeId(): Promise<string> {
    const [r] = (await this.m.query(`SELECT nextval(pg_get_serial_sequence('calendar_changes', 'id'))::text AS id`)) as { id: string }[];
    return r!.id;
  }

  async recordChange(c: CalendarChangeRecord): Promise<void> {
    await this.m.query(
      `INSERT INTO calendar_changes (id, at, actor_id, actor_kind, actor_role, change, calendar_version, cases_moved, recomputed_at)
       VALUES ($1::bigint, $2::timestamptz, $3, $4, $5, $6::jsonb, $7::bigint, $8, CASE WHEN $8::integer IS NULL THEN NULL ELSE $2::timestamptz END)`,
      [c.id, c.at.toISOString(), c.actor.id, c.actor.kind, c.actorRole, JSON.stringify(c.change), String(c.calendarVersion), c.casesMoved],
    );
  }

  async lockPendingChanges(): Promise<CalendarChangeRecord[]> {
    // FOR UPDATE re-checks the condition after waiting: a change another instance finished meanwhile drops out.
    const rows = (await this.m.query(`SELECT ${CHANGE_COLUMNS} FROM calendar_changes WHERE cases_moved IS NULL ORDER BY calendar_changes.id FOR UPDATE`)) as ChangeRow[];
    return rows.map(rowToChange);
  }

  async markRecomputed(changeId: string, casesMoved: number, at: Date): Promise<void> {
    await this.m.query(
      `WITH u AS (UPDATE calendar_changes SET cases_moved = $2, recomputed_at = $3::timestamptz WHERE id = $1::bigint AND cases_moved IS NULL RETURNING id) SELECT id FROM u`,
      [changeId, casesMoved, at.toISOString()],
    );
  }

  openCases(window: { from: Date; to: Date } | null, afterId: string | null, limit: number): Promise<Case[]> {
    return this.cases.openCasesWithin(this.m, window, afterId, limit);
  }

  saveCases(cases: Case[]): Promise<void> {
    return this.cases.saveWithin(this.m, cases);
  }
}
