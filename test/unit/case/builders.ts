import { Case, CaseProps, Deadline } from '../../../src/domain/case/case';
import { Requirements } from '../../../src/domain/case/requirements';
import { Actor } from '../../../src/domain/case/timeline-event';

export const ACTOR: Actor = { id: 'clerk-1', kind: 'USER' };
export const OFFICER: Actor = { id: 'officer-7', kind: 'USER' };

export const HOUR = 3_600_000;
export const RECEIVED_AT = new Date('2026-04-06T02:00:00.000Z'); // Mon 6 Apr 2026 09:00 WIB
export const LOGGED_AT = new Date('2026-04-06T02:05:00.000Z');
export const at = (minutesAfterLogged: number): Date => new Date(LOGGED_AT.getTime() + minutesAfterLogged * 60_000);

/** Pure deadline function: one hour after the clock start, no warnings. */
export const oneHour = (start: Date): Deadline => ({ dueAt: new Date(start.getTime() + HOUR), warnings: [] });

export const ALL_MET: Requirements = { assignmentLetter: true, requestLetter: true, identityDocument: true };

type OpenProps = Parameters<typeof Case.open>[0];

function baseProps(over: Partial<OpenProps>): OpenProps {
  return {
    id: 'case-1',
    reference: 'ADU-2026-000001',
    accessCode: 'K7QM3XPA',
    kind: 'COMPLAINT',
    channel: 'WALK_IN',
    complaintClass: null,
    subject: 'Bantuan sosial belum diterima',
    description: null,
    receivedAt: RECEIVED_AT,
    loggedAt: LOGGED_AT,
    requester: null,
    confidential: (over.kind ?? 'COMPLAINT') === 'COMPLAINT',
    requirements: null,
    channelDetails: {},
    ...over,
  };
}

export function openComplaint(over: Partial<OpenProps> = {}, deadline = oneHour): Case {
  return Case.open(baseProps({ kind: 'COMPLAINT', ...over }), deadline, ACTOR);
}

export function openRequest(requirements: Requirements | null, over: Partial<OpenProps> = {}, deadline = oneHour): Case {
  return Case.open(
    baseProps({ kind: 'INFORMATION_REQUEST', id: 'req-1', reference: 'PDI-2026-000001', channel: 'WALK_IN', requirements, ...over }),
    deadline,
    ACTOR,
  );
}

/** Rebuilds a case in any status (for table-driven tests), with no pending events. */
export function caseIn(status: CaseProps['status'], over: Partial<CaseProps> = {}): Case {
  const c = openComplaint();
  return Case.restore({ ...c.snapshot(), status, ...over });
}

/** Catches a thrown error so its fields can be asserted. */
export function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}
