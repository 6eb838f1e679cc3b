import { CALENDAR_2026 } from '../../../src/domain/sla/default-calendar';
import { DeadlineCalculator } from '../../../src/domain/sla/deadline-calculator';
import { computeDueAt } from '../../../src/domain/sla/sla-policy';
import { ComplaintClass } from '../../../src/domain/case/case-types';
import { buildCalendar, wib } from './calendar.builder';

/** The shipped calendar: 2026 and 2027 (SKB 3 Menteri). */
const shipped = new DeadlineCalculator(buildCalendar());
/** What Loket had before the 2027 decree was entered: 2026 only. */
const only2026 = new DeadlineCalculator(buildCalendar({ nonWorkingDays: [...CALENDAR_2026], coveredYears: [2026] }));

const complaint = (calc: DeadlineCalculator, complaintClass: ComplaintClass, received: string) =>
  computeDueAt(calc, { kind: 'COMPLAINT', complaintClass, clockStart: wib(received) });

describe('deadlines over the 2026 and 2027 calendars', () => {
  it('the worked example: a SUPERVISORY complaint received Tue 1 Dec 2026 is due Tue 2 Mar 2027 at 16:00 WIB', () => {
    // Dec 2026: 20 working days (24 cuti bersama, 25 Natal). Jan 2027: 19 (1 Tahun Baru, 5 Isra Mikraj).
    // Feb 2027: 19 (5 cuti bersama Imlek; 6 Imlek is a Saturday) -> 58. Mon 1 Mar (59), Tue 2 Mar (60).
    const r = complaint(shipped, 'SUPERVISORY', '2026-12-01T09:00');
    expect(r.dueAt).toEqual(wib('2027-03-02T16:00'));
    expect(r.dueAt.toISOString()).toBe('2027-03-02T09:00:00.000Z');
    expect(r.warnings).toEqual([]);
  });

  it('without the 2027 data the same complaint was due Thu 25 Feb 2027, with a warning', () => {
    const r = complaint(only2026, 'SUPERVISORY', '2026-12-01T09:00');
    expect(r.dueAt).toEqual(wib('2027-02-25T16:00'));
    expect(r.warnings).toEqual([{ code: 'CALENDAR_YEAR_MISSING', year: 2027 }]);
  });

  it('skips the Idulfitri block of March 2026 (Nyepi, Idulfitri, cuti bersama 18-24 Mar)', () => {
    // Fri 13 Mar + 5: Mon 16 (1), Tue 17 (2), 18-24 off, Wed 25 (3), Thu 26 (4), Fri 27 (5) at the Friday close.
    expect(complaint(shipped, 'NORMATIVE', '2026-03-13T10:00').dueAt).toEqual(wib('2026-03-27T16:30'));
  });

  it('skips the Idulfitri block of March 2027 (Nyepi 8, cuti bersama 9, Idulfitri 10-11, cuti bersama 12 and 15)', () => {
    // Fri 5 Mar 2027 + 5: 8-15 Mar off -> Tue 16 (1), Wed 17 (2), Thu 18 (3), Fri 19 (4), Mon 22 (5).
    const r = complaint(shipped, 'NORMATIVE', '2027-03-05T10:00');
    expect(r.dueAt).toEqual(wib('2027-03-22T16:00'));
    expect(r.warnings).toEqual([]);
    // Easter 2027: cuti bersama Thu 25, Wafat Yesus Kristus Fri 26 Mar. Wed 24 + 1 -> Mon 29.
    expect(shipped.addWorkingDays(wib('2027-03-24T10:00'), 1).dueAt).toEqual(wib('2027-03-29T16:00'));
  });

  it('runs from Christmas 2026 (cuti bersama 24, Natal 25) into New Year 2027 (1 Jan, Isra Mikraj 5 Jan)', () => {
    // Wed 23 Dec + 5: Mon 28 (1) .. Thu 31 (4), 1 Jan off, Mon 4 Jan (5).
    expect(complaint(shipped, 'NORMATIVE', '2026-12-23T10:00').dueAt).toEqual(wib('2027-01-04T16:00'));
    // + 6 skips Isra Mikraj on Tue 5 Jan: Wed 6 Jan.
    expect(shipped.addWorkingDays(wib('2026-12-23T10:00'), 6).dueAt).toEqual(wib('2027-01-06T16:00'));
    // Three office hours from Wed 23 Dec 15:00: one that day, two from Mon 28 Dec 07:30.
    expect(complaint(shipped, 'LIGHT', '2026-12-23T15:00').dueAt).toEqual(wib('2026-12-28T09:30'));
  });

  it('14 working days: received Wed 9 Dec 2026 ends Thu 31 Dec; from Thu 10 Dec the clock reaches into 2027', () => {
    expect(complaint(shipped, 'NON_SUPERVISORY', '2026-12-09T10:00')).toEqual({ dueAt: wib('2026-12-31T16:00'), warnings: [] });
    expect(complaint(shipped, 'NON_SUPERVISORY', '2026-12-10T10:00')).toEqual({ dueAt: wib('2027-01-04T16:00'), warnings: [] });
    // Before the 2027 data, 1 Jan counted as a working day.
    expect(complaint(only2026, 'NON_SUPERVISORY', '2026-12-10T10:00').dueAt).toEqual(wib('2027-01-01T16:30'));
  });

  it('60 working days from mid-December 2026 cross the Imlek days into March 2027', () => {
    // Tue 15 Dec 2026: Dec 10 working days, Jan 19, Feb 19 -> 48; March: 1-5 (53), 8-15 off, 16-19 (57), 22-24 (60).
    expect(complaint(shipped, 'SUPERVISORY', '2026-12-15T10:00')).toEqual({ dueAt: wib('2027-03-24T16:00'), warnings: [] });
  });
});
