import { WorkingTime } from '../case/case';

/** LAPOR! gives the agency 5 working days from disposition to post a follow-up. */
export const LAPOR_FOLLOW_UP_WORKING_DAYS = 5;
/** A report with a follow-up and no reply from the reporter for 10 working days is closed. */
export const LAPOR_AUTO_CLOSE_WORKING_DAYS = 10;
/** The follow-up warning comes at this share of the working time (the house's SLA warning share). */
export const LAPOR_WARNING_SHARE = 0.75;

export interface WorkingDays extends WorkingTime {
  addWorkingDays(from: Date, n: number): Date;
}

/**
 * LAPOR!'s follow-up clock on the office calendar: due at the close of office hours on the 5th
 * working day after the day of disposition; the warning at 75 % of the working time in between.
 */
export function followUpClock(dispositionedAt: Date, time: WorkingDays): { dueAt: Date; warnAt: Date } {
  const dueAt = time.addWorkingDays(dispositionedAt, LAPOR_FOLLOW_UP_WORKING_DAYS);
  const span = Math.max(0, time.workingMsBetween(dispositionedAt, dueAt));
  return { dueAt, warnAt: time.addWorkingMs(dispositionedAt, Math.floor(span * LAPOR_WARNING_SHARE)) };
}

/** When LAPOR! closes a followed-up report the reporter did not reply to. */
export function autoCloseAt(followedUpAt: Date, time: WorkingDays): Date {
  return time.addWorkingDays(followedUpAt, LAPOR_AUTO_CLOSE_WORKING_DAYS);
}

/** A tracking ID as LAPOR! prints it (letters, digits, dashes; e.g. LAP-2026-12345678 or 12345678). */
const TRACKING_ID = /^[A-Za-z0-9][A-Za-z0-9-]{3,39}$/;

/** The canonical tracking ID (trimmed, upper case), or null when it cannot be one. */
export function normalizeTrackingId(raw: string | null | undefined): string | null {
  const t = (raw ?? '').trim().toUpperCase();
  return TRACKING_ID.test(t) ? t : null;
}
