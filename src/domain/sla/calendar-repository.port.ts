import type { Case } from '../case/case';
import type { CalendarChangeRecord } from './calendar-change';
import type { NonWorkingDay, OfficeHoursSlot, WorkingCalendar } from './working-calendar';

/** Where the working calendar lives: data an administrator can correct, not code. */
export interface CalendarRepository {
  load(): Promise<WorkingCalendar>;
  /** Goes up with every committed change; cheap to read before each deadline computation. */
  version(): Promise<number>;
  /**
   * Runs `work` in ONE transaction that first takes the calendar lock (serializing changes
   * across instances) and raises the version. Everything `work` writes commits or rolls back
   * together.
   */
  change<T>(work: (tx: CalendarTransaction, version: number) => Promise<T>): Promise<T>;
  /** Whether some change still waits for its open-case recompute (no lock; `change` checks again). */
  hasPendingChanges(): Promise<boolean>;
  /** The change log, newest first. */
  changes(first: number, beforeId: string | null): Promise<{ entries: CalendarChangeRecord[]; hasNextPage: boolean }>;
}

/** What one calendar change may read and write inside its transaction. */
export interface CalendarTransaction {
  load(): Promise<WorkingCalendar>;
  /** Returns the day it replaced, if any. */
  upsertNonWorkingDay(day: NonWorkingDay): Promise<NonWorkingDay | null>;
  /** Returns the day it removed; null when there was none. */
  removeNonWorkingDay(date: string): Promise<NonWorkingDay | null>;
  setYearCovered(year: number, covered: boolean): Promise<void>;
  /** Returns the slots it replaced. */
  replaceOfficeHours(slots: OfficeHoursSlot[]): Promise<OfficeHoursSlot[]>;
  /** An id for the change about to be recorded (events name it before the row is written). */
  nextChangeId(): Promise<string>;
  /** Appends the change, with `casesMoved` when its recompute is done. */
  recordChange(record: CalendarChangeRecord): Promise<void>;
  /** Changes whose recompute is still due, locked until commit, oldest first. */
  lockPendingChanges(): Promise<CalendarChangeRecord[]>;
  markRecomputed(changeId: string, casesMoved: number, at: Date): Promise<void>;
  /**
   * Up to `limit` open cases with a running clock, ids above `afterId`, ascending, locked until
   * commit. With a window, only those whose clock started before `to` and that fall due at or
   * after `from`.
   */
  openCases(window: { from: Date; to: Date } | null, afterId: string | null, limit: number): Promise<Case[]>;
  /** Stores the cases' changes and pending events (with outbox rows) in this transaction. */
  saveCases(cases: Case[]): Promise<void>;
}
