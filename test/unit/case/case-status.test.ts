import { assertTransition, canTransition, isOpen, OPEN_STATUSES } from '../../../src/domain/case/case-status';
import { CASE_STATUSES, CaseStatus } from '../../../src/domain/case/case-types';
import { InvalidTransitionError } from '../../../src/domain/shared/domain-error';
import { thrown } from './builders';

const ALLOWED: Record<CaseStatus, CaseStatus[]> = {
  INCOMPLETE: ['RECEIVED', 'REJECTED', 'MERGED'],
  RECEIVED: ['IN_PROGRESS', 'REJECTED', 'MERGED', 'WAITING'],
  IN_PROGRESS: ['ANSWERED', 'REJECTED', 'MERGED', 'WAITING'],
  ANSWERED: ['CLOSED'],
  CLOSED: [],
  REJECTED: [],
  MERGED: [],
  WAITING: ['RECEIVED', 'IN_PROGRESS', 'REJECTED', 'MERGED'],
};

const pairs = CASE_STATUSES.flatMap((from) => CASE_STATUSES.map((to) => [from, to] as [CaseStatus, CaseStatus]));
const allowedPairs = pairs.filter(([f, t]) => ALLOWED[f].includes(t));
const refusedPairs = pairs.filter(([f, t]) => !ALLOWED[f].includes(t));

describe('case status transition table', () => {
  it('covers all 64 pairs: 16 allowed, 48 refused', () => {
    expect(pairs).toHaveLength(64);
    expect(allowedPairs).toHaveLength(16);
    expect(refusedPairs).toHaveLength(48);
  });

  it.each(allowedPairs)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(refusedPairs)('refuses %s -> %s with INVALID_TRANSITION', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    const e = thrown(() => assertTransition(from, to));
    expect(e).toBeInstanceOf(InvalidTransitionError);
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.from).toBe(from);
    expect(e.to).toBe(to);
    expect(e.message).toBe(`Cannot move a case from ${from} to ${to}`);
  });

  it('treats exactly INCOMPLETE, RECEIVED and IN_PROGRESS as open', () => {
    expect([...OPEN_STATUSES].sort()).toEqual(['INCOMPLETE', 'IN_PROGRESS', 'RECEIVED']);
    expect(CASE_STATUSES.filter(isOpen)).toEqual(['INCOMPLETE', 'RECEIVED', 'IN_PROGRESS']);
  });
});
