import type { Actor } from '../case/timeline-event';
import { addDaysToLocalDate, zonedTimeToInstant } from './time-zone';
import type { NonWorkingDay, OfficeHoursSlot } from './working-calendar';

/** One change of the working calendar, as recorded in the change log and on moved deadlines. */
export type CalendarChange =
  | { kind: 'NON_WORKING_DAY_SET'; date: string; before: NonWorkingDay | null; after: NonWorkingDay }
  | { kind: 'NON_WORKING_DAY_REMOVED'; date: string; before: NonWorkingDay }
  | { kind: 'YEAR_COVERED'; year: number; covered: boolean }
  | { kind: 'OFFICE_HOURS_SET'; before: OfficeHoursSlot[]; after: OfficeHoursSlot[] }
  /** A year's decree shipped by a migration (its recompute runs at the next start). */
  | { kind: 'YEAR_IMPORTED'; year: number; decree: string; days: number };

/** A change as the log keeps it: who, when, and how many open deadlines it moved. */
export interface CalendarChangeRecord {
  id: string;
  at: Date;
  actor: Actor;
  /** The staff role of the person who made it; null for a migration. */
  actorRole: string | null;
  change: CalendarChange;
  /** The calendar version the change produced. */
  calendarVersion: number;
  /** Open deadlines it moved; null while its recompute is still due (a migration's change). */
  casesMoved: number | null;
}

/**
 * Instants between which an open case's clock must run for the change to be able to move its
 * deadline; null when any case may be affected (office hours). A day a case's count never
 * reaches, or a day before its clock started, cannot move it. Generous by a day on each side:
 * the exact recompute decides, this only spares reading cases that cannot change.
 */
export function affectedWindow(change: CalendarChange, timeZone: string): { from: Date; to: Date } | null {
  const days = (first: string, last: string) => ({
    from: zonedTimeToInstant(addDaysToLocalDate(first, -1), 0, timeZone),
    to: zonedTimeToInstant(addDaysToLocalDate(last, 2), 0, timeZone),
  });
  switch (change.kind) {
    case 'NON_WORKING_DAY_SET':
    case 'NON_WORKING_DAY_REMOVED':
      return days(change.date, change.date);
    case 'YEAR_COVERED':
    case 'YEAR_IMPORTED':
      return days(`${change.year}-01-01`, `${change.year}-12-31`);
    case 'OFFICE_HOURS_SET':
      return null;
    default:
      return assertUnreachable(change);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unexpected calendar change: ${JSON.stringify(value)}`);
}
