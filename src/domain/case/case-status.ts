import { InvalidTransitionError } from '../shared/domain-error';
import { CaseStatus } from './case-types';

/**
 * Statuses from which a case can still be worked, rejected or merged, with a running clock.
 * WAITING (clock stopped) is not among them: it is resumed first, or rejected or merged.
 */
export const OPEN_STATUSES: readonly CaseStatus[] = ['INCOMPLETE', 'RECEIVED', 'IN_PROGRESS'];

/** The one table of allowed status changes. */
const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  INCOMPLETE: ['RECEIVED', 'REJECTED', 'MERGED'],
  RECEIVED: ['IN_PROGRESS', 'REJECTED', 'MERGED', 'WAITING'],
  IN_PROGRESS: ['ANSWERED', 'REJECTED', 'MERGED', 'WAITING'],
  ANSWERED: ['CLOSED'],
  CLOSED: [],
  REJECTED: [],
  MERGED: [],
  // Back to the status it had when paused (the case knows which), or ended while waiting.
  WAITING: ['RECEIVED', 'IN_PROGRESS', 'REJECTED', 'MERGED'],
};

export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws INVALID_TRANSITION unless `from -> to` is in the table. */
export function assertTransition(from: CaseStatus, to: CaseStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
