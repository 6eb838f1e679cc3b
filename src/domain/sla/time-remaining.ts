import type { CaseProps, WorkingTime } from '../case/case';
import { isOpen } from '../case/case-status';

/**
 * Where a case stands against its deadline. AT_RISK: past the warning instant, not yet due;
 * BREACHED: at or past the deadline; PAUSED: clock stopped; NONE: no running deadline
 * (an incomplete information request, or a finished case).
 */
export const DEADLINE_STATES = ['ON_TRACK', 'AT_RISK', 'BREACHED', 'PAUSED', 'NONE'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

export interface TimeRemaining {
  state: DeadlineState;
  /** Working minutes until dueAt (0 or negative once breached; kept as at the pause while paused); null for NONE. */
  workingMinutes: number | null;
  dueAt: Date | null;
}

const MINUTE_MS = 60_000;

/** The state of a case's deadline at `now`, in working time on the calendar. */
export function timeRemaining(c: Pick<CaseProps, 'status' | 'dueAt' | 'warnAt' | 'pause'>, now: Date, time: WorkingTime): TimeRemaining {
  if (c.status === 'WAITING' && c.pause) {
    return { state: 'PAUSED', workingMinutes: Math.trunc(c.pause.remainingMs / MINUTE_MS) || 0, dueAt: null };
  }
  if (!isOpen(c.status) || !c.dueAt) return { state: 'NONE', workingMinutes: null, dueAt: null };
  const minutes = Math.trunc(time.workingMsBetween(now, c.dueAt) / MINUTE_MS) || 0;
  if (c.dueAt.getTime() <= now.getTime()) return { state: 'BREACHED', workingMinutes: Math.min(0, minutes), dueAt: c.dueAt };
  const atRisk = !!c.warnAt && c.warnAt.getTime() <= now.getTime();
  return { state: atRisk ? 'AT_RISK' : 'ON_TRACK', workingMinutes: minutes, dueAt: c.dueAt };
}
