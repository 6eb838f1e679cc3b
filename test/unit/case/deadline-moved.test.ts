import { Case } from '../../../src/domain/case/case';
import { InvalidTransitionError } from '../../../src/domain/shared/domain-error';
import { at, caseIn, HOUR, openComplaint, RECEIVED_AT, thrown } from './builders';

const ADMIN = { id: 'user:admin', kind: 'USER' as const };
const CAUSE = { changeId: '7', kind: 'NON_WORKING_DAY_SET', date: '2026-04-07' };
const types = (c: Case) => c.pendingEvents().map((e) => e.type);

describe('Case.moveDeadline', () => {
  it('records DEADLINE_MOVED with the old and new deadline and the cause', () => {
    const c = openComplaint({ complaintClass: 'NORMATIVE' });
    c.clearPendingEvents();
    const old = c.snapshot().dueAt!;
    const moved = new Date(old.getTime() + 24 * HOUR);
    expect(c.moveDeadline({ dueAt: moved, warnings: [] }, CAUSE, ADMIN, at(10))).toBe('MOVED');
    expect(c.snapshot().dueAt).toEqual(moved);
    expect(c.pendingEvents()).toEqual([
      {
        caseId: 'case-1',
        type: 'DEADLINE_MOVED',
        actor: ADMIN,
        at: at(10),
        before: { dueAt: old.toISOString(), deadlineWarnings: [] },
        after: { dueAt: moved.toISOString(), deadlineWarnings: [], cause: CAUSE },
        text: null,
      },
    ]);
  });

  it('records nothing when the deadline stays; updates only the warnings when only they differ', () => {
    const c = openComplaint({}, (s) => ({ dueAt: new Date(s.getTime() + HOUR), warnings: [{ code: 'CALENDAR_YEAR_MISSING', year: 2027 }] }));
    c.clearPendingEvents();
    const due = c.snapshot().dueAt!;
    const updatedAt = c.snapshot().updatedAt;
    expect(c.moveDeadline({ dueAt: due, warnings: [{ code: 'CALENDAR_YEAR_MISSING', year: 2027 }] }, CAUSE, ADMIN, at(10))).toBe('UNCHANGED');
    expect(c.moveDeadline({ dueAt: due, warnings: [] }, CAUSE, ADMIN, at(10))).toBe('WARNINGS_ONLY');
    expect(c.snapshot().deadlineWarnings).toEqual([]);
    expect(c.snapshot().updatedAt).toEqual(updatedAt);
    expect(types(c)).toEqual([]);
  });

  it('refuses a case that is no longer open', () => {
    const c = caseIn('CLOSED');
    expect(thrown(() => c.moveDeadline({ dueAt: RECEIVED_AT, warnings: [] }, CAUSE, ADMIN, at(1)))).toBeInstanceOf(InvalidTransitionError);
  });
});
