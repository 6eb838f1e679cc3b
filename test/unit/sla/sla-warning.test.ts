import { DeadlineCalculator } from '../../../src/domain/sla/deadline-calculator';
import { DeadlineService } from '../../../src/domain/sla/deadline.service';
import { computeDueAt, DEFAULT_SLA_POLICY, slaRuleFor } from '../../../src/domain/sla/sla-policy';
import { warningInstant } from '../../../src/domain/sla/sla-warning';
import { ComplaintClass } from '../../../src/domain/case/case-types';
import { buildCalendar, wib } from './calendar.builder';

const calc = new DeadlineCalculator(buildCalendar());
const MIN = 60_000;

function warnFor(cls: ComplaintClass, start: Date, percent = 75): { dueAt: Date; warnAt: Date } {
  const { dueAt } = computeDueAt(calc, { kind: 'COMPLAINT', complaintClass: cls, clockStart: start });
  return { dueAt, warnAt: warningInstant(calc, slaRuleFor(DEFAULT_SLA_POLICY, 'COMPLAINT', cls), start, dueAt, percent) };
}

describe('DeadlineCalculator.workingMsBetween', () => {
  it('counts only office time: Fri 15:00 -> Mon 08:30 is 90 + 60 working minutes', () => {
    expect(calc.workingMsBetween(wib('2026-04-10T15:00'), wib('2026-04-13T08:30'))).toBe(150 * MIN);
  });

  it('is negative backwards and zero across a night', () => {
    expect(calc.workingMsBetween(wib('2026-04-13T08:30'), wib('2026-04-10T15:00'))).toBe(-150 * MIN);
    expect(calc.workingMsBetween(wib('2026-04-06T16:00'), wib('2026-04-07T07:30'))).toBe(0);
  });

  it('skips holidays and cuti bersama: Wed 23 Dec 15:00 -> Mon 28 Dec 08:00 is 60 + 30 minutes', () => {
    expect(calc.workingMsBetween(wib('2026-12-23T15:00'), wib('2026-12-28T08:00'))).toBe(90 * MIN);
  });
});

describe('the SLA warning instant', () => {
  it('NORMATIVE (5 working days) from Mon 6 Apr 09:00: 75% of 3,000 working minutes ends Fri 10 Apr 12:30 WIB', () => {
    const { dueAt, warnAt } = warnFor('NORMATIVE', wib('2026-04-06T09:00'));
    expect(dueAt).toEqual(wib('2026-04-13T16:00'));
    expect(calc.workingMsBetween(wib('2026-04-06T09:00'), dueAt)).toBe(3_000 * MIN);
    expect(warnAt).toEqual(wib('2026-04-10T12:30'));
  });

  it('NORMATIVE across nights, a weekend, cuti bersama 24 Dec and Christmas: Mon 21 Dec 08:00 -> warning Tue 29 Dec 11:52:30 WIB', () => {
    const { dueAt, warnAt } = warnFor('NORMATIVE', wib('2026-12-21T08:00'));
    expect(dueAt).toEqual(wib('2026-12-30T16:00'));
    // 480 + 510 + 510 (Mon-Wed) + 3 x 510 (Mon 28 - Wed 30): 3,030 minutes; 75% is 2,272.5.
    expect(warnAt).toEqual(new Date('2026-12-29T11:52:30+07:00'));
    expect(calc.workingMsBetween(wib('2026-12-21T08:00'), warnAt)).toBe(2_272.5 * MIN);
  });

  it('NON_SUPERVISORY (14 working days) across the Idul Fitri block: Mon 9 Mar 09:00 -> warning Tue 31 Mar 09:45, due Mon 6 Apr 16:00', () => {
    const { dueAt, warnAt } = warnFor('NON_SUPERVISORY', wib('2026-03-09T09:00'));
    expect(dueAt).toEqual(wib('2026-04-06T16:00'));
    expect(calc.workingMsBetween(wib('2026-03-09T09:00'), dueAt)).toBe(7_620 * MIN);
    expect(warnAt).toEqual(wib('2026-03-31T09:45'));
  });

  it('follows the configured percentage', () => {
    expect(warnFor('NORMATIVE', wib('2026-04-06T09:00'), 50).warnAt).toEqual(wib('2026-04-09T08:30')); // 1,500 minutes in
  });

  it('LIGHT (3 office hours): one office hour before the deadline, across the night', () => {
    const { dueAt, warnAt } = warnFor('LIGHT', wib('2026-04-06T15:00'));
    expect(dueAt).toEqual(wib('2026-04-07T09:30'));
    expect(warnAt).toEqual(wib('2026-04-07T08:30'));
  });

  it('LIGHT received at night: the clock starts at opening, so the warning is at 09:30 and never at night', () => {
    const { dueAt, warnAt } = warnFor('LIGHT', wib('2026-04-06T20:00'));
    expect(dueAt).toEqual(wib('2026-04-07T10:30'));
    expect(warnAt).toEqual(wib('2026-04-07T09:30'));
  });

  it('LIGHT received on Christmas Eve: warning and deadline on Monday 28 Dec', () => {
    const { dueAt, warnAt } = warnFor('LIGHT', wib('2026-12-24T10:00'));
    expect(dueAt).toEqual(wib('2026-12-28T10:30'));
    expect(warnAt).toEqual(wib('2026-12-28T09:30'));
  });

  it('comes with the deadline from DeadlineService, at the percentage it was given', async () => {
    const repo = { load: async () => buildCalendar(), version: async () => 1 } as never;
    const d75 = (await new DeadlineService(repo).calculator()).dueAt('COMPLAINT', 'NORMATIVE', wib('2026-04-06T09:00'));
    expect(d75.warnAt).toEqual(wib('2026-04-10T12:30'));
    const d50 = (await new DeadlineService(repo, DEFAULT_SLA_POLICY, { warningPercent: 50 }).calculator()).dueAt('COMPLAINT', 'NORMATIVE', wib('2026-04-06T09:00'));
    expect(d50.warnAt).toEqual(wib('2026-04-09T08:30'));
  });
});
