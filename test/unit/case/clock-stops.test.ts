import { Case } from '../../../src/domain/case/case';
import { DeadlineCalculator } from '../../../src/domain/sla/deadline-calculator';
import { timeRemaining } from '../../../src/domain/sla/time-remaining';
import { buildCalendar, wib } from '../sla/calendar.builder';
import { OFFICER, caseIn, openRequest, thrown } from './builders';

const calc = new DeadlineCalculator(buildCalendar());

/** An IN_PROGRESS complaint due Mon 13 Apr 16:00 WIB, warning at Fri 10 Apr 12:30 (NORMATIVE from Mon 6 Apr 09:00). */
function working(): Case {
  return caseIn('IN_PROGRESS', {
    complaintClass: 'NORMATIVE',
    clockStartedAt: wib('2026-04-06T09:00'),
    dueAt: wib('2026-04-13T16:00'),
    warnAt: wib('2026-04-10T12:30'),
  });
}

describe('pause and resume (clock stops)', () => {
  it('paused over a weekend, the deadline moves by the paused working minutes only (150), not the 65 hours of wall time', () => {
    const c = working();
    c.pause('WAITING_FOR_REQUESTER', ' KTP belum dikirim ', calc, OFFICER, wib('2026-04-10T15:00'));
    let s = c.snapshot();
    expect(s.status).toBe('WAITING');
    expect(s.dueAt).toBeNull();
    expect(s.warnAt).toBeNull();
    expect(s.pause).toMatchObject({ reason: 'WAITING_FOR_REQUESTER', note: 'KTP belum dikirim', resumeTo: 'IN_PROGRESS', remainingMs: 600 * 60_000 });

    c.resume(calc, OFFICER, wib('2026-04-13T08:30'));
    s = c.snapshot();
    expect(s.status).toBe('IN_PROGRESS');
    // Old deadline Mon 16:00 + 150 working minutes = Tue 10:00; equally resume time + the 600 minutes that were left.
    expect(s.dueAt).toEqual(wib('2026-04-14T10:00'));
    expect(calc.workingMsBetween(wib('2026-04-13T08:30'), s.dueAt!)).toBe(600 * 60_000);
    // The warning keeps its lead before the deadline (Fri 12:30 -> Mon 16:00 is 720 minutes; past it already, so it is due at once).
    expect(s.warnAt).toEqual(wib('2026-04-13T08:30'));
    expect(s.pausedWorkingMinutes).toBe(150);
    expect(s.pause).toBeNull();

    const events = c.pendingEvents().filter((e) => e.type === 'CASE_PAUSED' || e.type === 'CASE_RESUMED');
    expect(events.map((e) => e.type)).toEqual(['CASE_PAUSED', 'CASE_RESUMED']);
    expect(events[0]).toMatchObject({ text: 'KTP belum dikirim', after: { reason: 'WAITING_FOR_REQUESTER', remainingWorkingMinutes: 600 } });
    expect(events[1].after).toMatchObject({ reason: 'WAITING_FOR_REQUESTER', pausedWorkingMinutes: 150, totalPausedWorkingMinutes: 150, dueAt: '2026-04-14T03:00:00.000Z' });
    expect(c.pendingEvents().filter((e) => e.type === 'STATUS_CHANGED').map((e) => e.after?.status)).toEqual(['WAITING', 'IN_PROGRESS']);
  });

  it('a pause before the warning instant moves the warning by the paused working time too', () => {
    const c = working();
    c.pause('WAITING_FOR_THIRD_PARTY', null, calc, OFFICER, wib('2026-04-08T10:00'));
    c.resume(calc, OFFICER, wib('2026-04-09T10:00')); // 510 working minutes paused
    const s = c.snapshot();
    expect(s.pausedWorkingMinutes).toBe(510);
    expect(s.dueAt).toEqual(calc.addWorkingMs(wib('2026-04-13T16:00'), 510 * 60_000));
    expect(s.warnAt).toEqual(calc.addWorkingMs(wib('2026-04-10T12:30'), 510 * 60_000));
    expect(s.status).toBe('IN_PROGRESS');
  });

  it('pauses add up across several pauses, and a RECEIVED case returns to RECEIVED', () => {
    const c = caseIn('RECEIVED', { dueAt: wib('2026-04-13T16:00'), warnAt: null });
    c.pause('WAITING_FOR_REQUESTER', null, calc, OFFICER, wib('2026-04-07T09:00'));
    c.resume(calc, OFFICER, wib('2026-04-07T10:00'));
    c.pause('WAITING_FOR_REQUESTER', null, calc, OFFICER, wib('2026-04-07T11:00'));
    c.resume(calc, OFFICER, wib('2026-04-07T11:30'));
    const s = c.snapshot();
    expect(s.status).toBe('RECEIVED');
    expect(s.pausedWorkingMinutes).toBe(90);
    expect(s.dueAt).toEqual(wib('2026-04-14T09:00'));
    expect(s.warnAt).toBeNull();
  });

  it('pausing a paused case, or resuming a running one, is INVALID_TRANSITION', () => {
    const c = working();
    expect(thrown(() => c.resume(calc, OFFICER, wib('2026-04-08T10:00'))).code).toBe('INVALID_TRANSITION');
    c.pause('WAITING_FOR_REQUESTER', null, calc, OFFICER, wib('2026-04-08T10:00'));
    expect(thrown(() => c.pause('WAITING_FOR_REQUESTER', null, calc, OFFICER, wib('2026-04-08T11:00'))).code).toBe('INVALID_TRANSITION');
  });

  it('only a received or in-progress case can be paused', () => {
    for (const status of ['INCOMPLETE', 'ANSWERED', 'CLOSED', 'REJECTED', 'MERGED'] as const) {
      expect(thrown(() => caseIn(status).pause('WAITING_FOR_REQUESTER', null, calc, OFFICER, wib('2026-04-08T10:00'))).code).toBe('INVALID_TRANSITION');
    }
  });

  it('a case already past its deadline when paused keeps that deadline on resume (its breach is not raised again)', () => {
    const c = working();
    c.pause('WAITING_FOR_REQUESTER', null, calc, OFFICER, wib('2026-04-14T09:00'));
    c.resume(calc, OFFICER, wib('2026-04-15T09:00'));
    expect(c.snapshot().dueAt).toEqual(wib('2026-04-13T16:00'));
    expect(c.snapshot().warnAt).toEqual(wib('2026-04-10T12:30'));
  });

  it('a waiting case can still be rejected', () => {
    const c = working();
    c.pause('WAITING_FOR_REQUESTER', null, calc, OFFICER, wib('2026-04-08T10:00'));
    c.reject('WITHDRAWN', null, OFFICER, wib('2026-04-09T10:00'));
    expect(c.snapshot().status).toBe('REJECTED');
  });
});

describe('timeRemaining', () => {
  const c = working().snapshot();

  it('ON_TRACK before the warning instant, with the working minutes left', () => {
    expect(timeRemaining(c, wib('2026-04-10T11:00'), calc)).toEqual({ state: 'ON_TRACK', workingMinutes: 330 + 510, dueAt: c.dueAt });
  });

  it('AT_RISK from the warning instant until the deadline', () => {
    expect(timeRemaining(c, wib('2026-04-10T12:30'), calc)).toEqual({ state: 'AT_RISK', workingMinutes: 240 + 510, dueAt: c.dueAt });
    expect(timeRemaining(c, wib('2026-04-13T15:59'), calc).state).toBe('AT_RISK');
  });

  it('BREACHED at the deadline, 0 then negative working minutes (the night does not count)', () => {
    expect(timeRemaining(c, wib('2026-04-13T16:00'), calc)).toEqual({ state: 'BREACHED', workingMinutes: 0, dueAt: c.dueAt });
    expect(timeRemaining(c, wib('2026-04-14T08:00'), calc)).toEqual({ state: 'BREACHED', workingMinutes: -30, dueAt: c.dueAt });
  });

  it('PAUSED while waiting, with the minutes that were left', () => {
    const p = working();
    p.pause('WAITING_FOR_REQUESTER', null, calc, OFFICER, wib('2026-04-10T15:00'));
    expect(timeRemaining(p.snapshot(), wib('2026-04-20T10:00'), calc)).toEqual({ state: 'PAUSED', workingMinutes: 600, dueAt: null });
  });

  it('NONE for an incomplete information request and for a finished case', () => {
    const incomplete = openRequest({ assignmentLetter: true, requestLetter: false, identityDocument: false }).snapshot();
    expect(timeRemaining(incomplete, wib('2026-04-10T11:00'), calc)).toEqual({ state: 'NONE', workingMinutes: null, dueAt: null });
    expect(timeRemaining({ ...c, status: 'CLOSED' }, wib('2026-04-10T11:00'), calc).state).toBe('NONE');
  });
});
