import { actorOf } from '../access/access.service';
import { Principal } from '../access/roles';
import { Actor } from '../case/timeline-event';
import { Clock } from '../shared/clock.port';
import { ValidationError } from '../shared/domain-error';
import { CalendarAlarm, CalendarAlarmService } from './calendar-alarm';
import { affectedWindow, CalendarChange, CalendarChangeRecord } from './calendar-change';
import { CalendarRepository, CalendarTransaction } from './calendar-repository.port';
import { caseDeadline, DeadlineService } from './deadline.service';
import { parseLocalDate } from './time-zone';
import { NonWorkingDay, NonWorkingDayKind, OfficeHoursSlot, validateCalendar, WorkingCalendar } from './working-calendar';

const KINDS: readonly NonWorkingDayKind[] = ['NATIONAL_HOLIDAY', 'CUTI_BERSAMA'];
/** Open cases read (and locked) per step of a recompute: bounded memory whatever the backlog. */
const RECOMPUTE_PAGE = 500;
/** Pages of the calendar change log (the API declares these too, for its cost limit). */
export const MAX_CHANGES_PAGE = 200;
export const DEFAULT_CHANGES_PAGE = 50;

function checkDate(date: string, field = 'date'): void {
  if (!parseLocalDate(date)) throw ValidationError.single(field, 'must be a date YYYY-MM-DD');
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw ValidationError.single('year', 'must be a year from 2000 to 2100');
}

interface Author {
  actor: Actor;
  role: string | null;
}

/**
 * Administrators keep the working calendar true: holidays and cuti bersama change by decree
 * (SKB 3 Menteri, and the Minister of Religious Affairs for Idulfitri and Iduladha). Each change
 * commits in ONE transaction with the recompute of every open deadline it moves (a
 * DEADLINE_MOVED event on each) and its entry in the change log naming who made it.
 */
export class CalendarAdminService {
  constructor(
    private readonly calendars: CalendarRepository,
    private readonly deadlines: DeadlineService,
    private readonly alarms: CalendarAlarmService,
    private readonly clock: Clock,
  ) {}

  /** The calendar; with `year`, only that year's non-working days. */
  async calendar(year?: number | null): Promise<WorkingCalendar> {
    if (year !== undefined && year !== null) checkYear(year);
    const cal = await this.calendars.load();
    if (year === undefined || year === null) return cal;
    return { ...cal, nonWorkingDays: cal.nonWorkingDays.filter((d) => d.date.startsWith(`${year}-`)) };
  }

  /** A year the calendar lacks while deadlines reach into it, if any. */
  alarm(): Promise<CalendarAlarm | null> {
    return this.alarms.check();
  }

  /** Who changed the calendar, when and how, newest first. */
  changes(first: number | null, before: string | null): Promise<{ entries: CalendarChangeRecord[]; hasNextPage: boolean }> {
    if (before !== null && !/^\d{1,18}$/.test(before)) throw ValidationError.single('before', 'is not a valid cursor');
    const n = first ?? DEFAULT_CHANGES_PAGE;
    if (!Number.isInteger(n) || n < 1 || n > MAX_CHANGES_PAGE) throw ValidationError.single('first', `must be 1 to ${MAX_CHANGES_PAGE}`);
    return this.calendars.changes(n, before);
  }

  async setNonWorkingDay(day: NonWorkingDay, p: Principal): Promise<WorkingCalendar> {
    checkDate(day.date);
    if (!KINDS.includes(day.kind)) throw ValidationError.single('kind', 'must be NATIONAL_HOLIDAY or CUTI_BERSAMA');
    const name = day.name.trim();
    if (!name || name.length > 200) throw ValidationError.single('name', 'must be 1 to 200 characters');
    const after = { ...day, name };
    await this.change(p, async (tx) => ({ kind: 'NON_WORKING_DAY_SET', date: day.date, before: await tx.upsertNonWorkingDay(after), after }));
    return this.calendar(Number(day.date.slice(0, 4)));
  }

  async removeNonWorkingDay(date: string, p: Principal): Promise<WorkingCalendar> {
    checkDate(date);
    await this.change(p, async (tx) => {
      const before = await tx.removeNonWorkingDay(date);
      if (!before) throw ValidationError.single('date', 'is not a non-working day in the calendar');
      return { kind: 'NON_WORKING_DAY_REMOVED', date, before };
    });
    return this.calendar(Number(date.slice(0, 4)));
  }

  /** Marks a year's holiday list as complete (deadlines in it carry no warning) or not. */
  async setYearCovered(year: number, covered: boolean, p: Principal): Promise<WorkingCalendar> {
    checkYear(year);
    await this.change(p, async (tx) => {
      await tx.setYearCovered(year, covered);
      return { kind: 'YEAR_COVERED', year, covered };
    });
    return this.calendar(year);
  }

  async setOfficeHours(slots: OfficeHoursSlot[], p: Principal): Promise<WorkingCalendar> {
    await this.change(p, async (tx) => {
      try {
        validateCalendar({ ...(await tx.load()), officeHours: slots });
      } catch (err) {
        throw ValidationError.single('officeHours', (err as Error).message);
      }
      return { kind: 'OFFICE_HOURS_SET', before: await tx.replaceOfficeHours(slots), after: slots.map((s) => ({ ...s })) };
    });
    return this.calendar(null);
  }

  /**
   * Recomputes open deadlines for changes whose recompute is still due (a year shipped by a
   * migration). Run at start; exactly once across restarts and instances: the changes are
   * locked and marked done in the transaction of their recompute. Returns the deadlines moved.
   */
  async recomputePending(): Promise<number> {
    if (!(await this.calendars.hasPendingChanges())) return 0;
    const moved = await this.calendars.change(async (tx) => {
      const pending = await tx.lockPendingChanges();
      if (pending.length === 0) return 0;
      const calendar = await tx.load();
      const now = this.clock.now();
      let total = 0;
      for (const p of pending) {
        const n = await this.recompute(tx, calendar, p.id, p.change, p.actor, now);
        await tx.markRecomputed(p.id, n, now);
        total += n;
      }
      return total;
    });
    this.deadlines.invalidate();
    return moved;
  }

  private async change(p: Principal, apply: (tx: CalendarTransaction) => Promise<CalendarChange>): Promise<void> {
    const author: Author = { actor: actorOf(p), role: p.role };
    await this.calendars.change(async (tx, version) => {
      const change = await apply(tx);
      const calendar = await tx.load();
      const now = this.clock.now();
      const id = await tx.nextChangeId();
      const casesMoved = await this.recompute(tx, calendar, id, change, author.actor, now);
      await tx.recordChange({ id, at: now, actor: author.actor, actorRole: author.role, change, calendarVersion: version, casesMoved });
    });
    this.deadlines.invalidate();
  }

  /**
   * Recomputes, over `calendar`, the deadline of every open case the change can affect, page by
   * page inside the caller's transaction. Returns how many deadlines moved.
   */
  private async recompute(tx: CalendarTransaction, calendar: WorkingCalendar, changeId: string, change: CalendarChange, actor: Actor, now: Date): Promise<number> {
    // Throws CALENDAR_INVALID (and so rolls the change back) when the new calendar is unusable.
    const fn = this.deadlines.forCalendar(calendar);
    const window = affectedWindow(change, calendar.timeZone);
    const cause = { changeId, ...change };
    let moved = 0;
    for (let after: string | null = null; ; ) {
      const page = await tx.openCases(window, after, RECOMPUTE_PAGE);
      const changed = page.filter((c) => {
        const d = caseDeadline(fn, c.snapshot());
        if (!d) return false;
        const outcome = c.moveDeadline(d, cause, actor, now);
        if (outcome === 'MOVED') moved++;
        return outcome !== 'UNCHANGED';
      });
      await tx.saveCases(changed);
      if (page.length < RECOMPUTE_PAGE) return moved;
      after = page[page.length - 1]!.id;
    }
  }
}
