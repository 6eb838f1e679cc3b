import { DeadlineCalculator } from '../../../src/domain/sla/deadline-calculator';
import { computeDueAt, DEFAULT_SLA_POLICY, slaRuleFor, type SlaPolicy } from '../../../src/domain/sla/sla-policy';
import { buildCalendar, wib } from './calendar.builder';

const calc = new DeadlineCalculator(buildCalendar());

describe('computeDueAt with the default policy', () => {
  it('gives an information request 3 working days', () => {
    // Mon 13 Apr 11:00 -> Thu 16 Apr close.
    const r = computeDueAt(calc, { kind: 'INFORMATION_REQUEST', complaintClass: null, clockStart: wib('2026-04-13T11:00') });
    expect(r.dueAt).toEqual(wib('2026-04-16T16:00'));
  });

  it('gives a NORMATIVE complaint received Tue 17 Mar 10:00 WIB until Tue 31 Mar 16:00 WIB', () => {
    const r = computeDueAt(calc, { kind: 'COMPLAINT', complaintClass: 'NORMATIVE', clockStart: new Date('2026-03-17T03:00:00Z') });
    expect(r.dueAt.toISOString()).toBe('2026-03-31T09:00:00.000Z');
  });

  it('gives a LIGHT complaint 3 office hours, and holds an unclassified complaint to the same', () => {
    const clockStart = wib('2026-04-09T15:00');
    const light = computeDueAt(calc, { kind: 'COMPLAINT', complaintClass: 'LIGHT', clockStart });
    const unclassified = computeDueAt(calc, { kind: 'COMPLAINT', complaintClass: null, clockStart });
    expect(light.dueAt).toEqual(wib('2026-04-10T09:30'));
    expect(unclassified.dueAt).toEqual(light.dueAt);
  });

  it('gives NON_SUPERVISORY 14 and SUPERVISORY 60 working days', () => {
    const clockStart = wib('2026-07-01T09:00');
    // Jul 1 (Wed) + 14 working days = Tue 21 Jul (no holidays in between).
    expect(computeDueAt(calc, { kind: 'COMPLAINT', complaintClass: 'NON_SUPERVISORY', clockStart }).dueAt).toEqual(wib('2026-07-21T16:00'));
    // + 60 working days: 22 in July, 19 in August (17 and 25 Aug off), 19 in September = Fri 25 Sep, 16:30.
    expect(computeDueAt(calc, { kind: 'COMPLAINT', complaintClass: 'SUPERVISORY', clockStart }).dueAt).toEqual(wib('2026-09-25T16:30'));
  });

  it('ignores a complaint class on an information request', () => {
    expect(slaRuleFor(DEFAULT_SLA_POLICY, 'INFORMATION_REQUEST', 'SUPERVISORY')).toEqual({ unit: 'WORKING_DAYS', amount: 3 });
  });
});

describe('computeDueAt with a configured policy', () => {
  it('uses the configured numbers', () => {
    const policy: SlaPolicy = {
      ...DEFAULT_SLA_POLICY,
      informationRequest: { unit: 'WORKING_DAYS', amount: 1 },
      complaint: { ...DEFAULT_SLA_POLICY.complaint, LIGHT: { unit: 'OFFICE_HOURS', amount: 1 } },
    };
    const clockStart = wib('2026-04-13T11:00');
    expect(computeDueAt(calc, { kind: 'INFORMATION_REQUEST', complaintClass: null, clockStart }, policy).dueAt).toEqual(wib('2026-04-14T16:00'));
    expect(computeDueAt(calc, { kind: 'COMPLAINT', complaintClass: null, clockStart }, policy).dueAt).toEqual(wib('2026-04-13T12:00'));
  });

  it('rejects unusable amounts', () => {
    const policy: SlaPolicy = { ...DEFAULT_SLA_POLICY, informationRequest: { unit: 'WORKING_DAYS', amount: 0 } };
    expect(() => computeDueAt(calc, { kind: 'INFORMATION_REQUEST', complaintClass: null, clockStart: wib('2026-04-13T11:00') }, policy)).toThrow(RangeError);
  });

  it('passes on the missing-year warning', () => {
    const r = computeDueAt(calc, { kind: 'COMPLAINT', complaintClass: 'SUPERVISORY', clockStart: wib('2027-12-01T09:00') });
    expect(r.warnings).toEqual([{ code: 'CALENDAR_YEAR_MISSING', year: 2028 }]);
  });
});
