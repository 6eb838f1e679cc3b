import { CalendarInvalidError } from '../../../src/domain/sla/calendar-invalid.error';
import { DeadlineCalculator } from '../../../src/domain/sla/deadline-calculator';
import { buildCalendar, wib } from './calendar.builder';

const officeCalc = () => new DeadlineCalculator(buildCalendar());

describe('DeadlineCalculator.addWorkingDays', () => {
  it('skips the whole Idul Fitri block (Nyepi, cuti bersama, weekend): Tue 17 Mar + 5 -> Tue 31 Mar 16:00 WIB', () => {
    const result = officeCalc().addWorkingDays(new Date('2026-03-17T03:00:00Z'), 5);
    expect(result.dueAt.toISOString()).toBe('2026-03-31T09:00:00.000Z');
    expect(result.warnings).toEqual([]);
  });

  it('ends at the Friday close of 16:30', () => {
    // Tue 7 Apr + 3 working days = Fri 10 Apr.
    const result = officeCalc().addWorkingDays(wib('2026-04-07T09:00'), 3);
    expect(result.dueAt).toEqual(wib('2026-04-10T16:30'));
  });

  it('counts days after the local day of receipt, even when received late in the evening', () => {
    // 23:30 WIB on Mon 6 Apr is still 16:30Z on Monday in UTC, but also a Monday in WIB.
    expect(officeCalc().addWorkingDays(wib('2026-04-06T23:30'), 1).dueAt).toEqual(wib('2026-04-07T16:00'));
    // 00:30 WIB on Tue 7 Apr is Monday 17:30Z: the local (WIB) day must count, not the UTC day.
    expect(officeCalc().addWorkingDays(wib('2026-04-07T00:30'), 1).dueAt).toEqual(wib('2026-04-08T16:00'));
  });

  it('treats receipt on a Saturday like any day: count working days after it', () => {
    // Sat 11 Apr -> Mon 13 (1), Tue 14 (2), Wed 15 (3).
    expect(officeCalc().addWorkingDays(wib('2026-04-11T10:00'), 3).dueAt).toEqual(wib('2026-04-15T16:00'));
  });

  it('skips a holiday in the middle of the span', () => {
    // Wed 13 May + 3: Thu 14 Kenaikan, Fri 15 cuti bersama -> Mon 18 (1), Tue 19 (2), Wed 20 (3).
    expect(officeCalc().addWorkingDays(wib('2026-05-13T08:00'), 3).dueAt).toEqual(wib('2026-05-20T16:00'));
    // Same span on a calendar without holidays lands on Mon 18.
    const plain = new DeadlineCalculator(buildCalendar({ nonWorkingDays: [] }));
    expect(plain.addWorkingDays(wib('2026-05-13T08:00'), 3).dueAt).toEqual(wib('2026-05-18T16:00'));
  });

  it('warns once when 60 working days run into 2028, which the calendar does not cover', () => {
    const result = officeCalc().addWorkingDays(wib('2027-11-02T09:00'), 60);
    expect(result.warnings).toEqual([{ code: 'CALENDAR_YEAR_MISSING', year: 2028 }]);
    // Nov 3 .. Dec 31 2027: 42 working days (Dec 24 off; 25, 26 are a weekend). 2028 has no list,
    // so only weekends count: 18 more weekdays from Mon 3 Jan -> Wed 26 Jan.
    expect(result.dueAt).toEqual(wib('2028-01-26T16:00'));
  });

  it('warns about the year of receipt when it is not covered and the clock looks at it', () => {
    const result = officeCalc().addOfficeHours(wib('2025-12-31T15:00'), 3);
    expect(result.warnings).toEqual([{ code: 'CALENDAR_YEAR_MISSING', year: 2025 }]);
    // 1 h on Wed 31 Dec 2025, 1 Jan 2026 is a holiday, 2 h on Fri 2 Jan.
    expect(result.dueAt).toEqual(wib('2026-01-02T09:30'));
  });

  it('rejects a non-positive or fractional number of working days', () => {
    expect(() => officeCalc().addWorkingDays(wib('2026-04-07T09:00'), 0)).toThrow(RangeError);
    expect(() => officeCalc().addWorkingDays(wib('2026-04-07T09:00'), 1.5)).toThrow(RangeError);
    expect(() => officeCalc().addWorkingDays(new Date('nope'), 1)).toThrow(RangeError);
  });
});

describe('DeadlineCalculator.addOfficeHours', () => {
  it('carries office time over the close: Thu 15:00 + 3 h -> Fri 09:30 WIB', () => {
    expect(officeCalc().addOfficeHours(wib('2026-04-09T15:00'), 3).dueAt).toEqual(wib('2026-04-10T09:30'));
  });

  it('uses the later Friday close: Fri 15:00 + 3 h -> Mon 09:00', () => {
    expect(officeCalc().addOfficeHours(wib('2026-04-10T15:00'), 3).dueAt).toEqual(wib('2026-04-13T09:00'));
  });

  it('starts the clock at the next slot when received on a Saturday', () => {
    expect(officeCalc().addOfficeHours(wib('2026-04-11T11:00'), 3).dueAt).toEqual(wib('2026-04-13T10:30'));
  });

  it('starts the clock at the next opening when received before or after hours', () => {
    expect(officeCalc().addOfficeHours(wib('2026-04-07T06:00'), 3).dueAt).toEqual(wib('2026-04-07T10:30'));
    expect(officeCalc().addOfficeHours(wib('2026-04-07T18:00'), 3).dueAt).toEqual(wib('2026-04-08T10:30'));
  });

  it('ends at the close, not the next opening, when the time fits exactly', () => {
    expect(officeCalc().addOfficeHours(wib('2026-04-07T13:00'), 3).dueAt).toEqual(wib('2026-04-07T16:00'));
  });

  it('skips holidays: Wed 13 May 15:00 + 3 h -> Mon 18 May 09:30', () => {
    expect(officeCalc().addOfficeHours(wib('2026-05-13T15:00'), 3).dueAt).toEqual(wib('2026-05-18T09:30'));
  });

  it('skips the lunch break of a multi-slot calendar', () => {
    const calc = new DeadlineCalculator(
      buildCalendar({
        officeHours: [1, 2, 3, 4, 5].flatMap((weekday) => [
          { weekday, start: '12:00', end: '16:00' }, // listed out of order on purpose
          { weekday, start: '08:00', end: '11:00' },
        ]),
      }),
    );
    expect(calc.addOfficeHours(wib('2026-04-07T10:00'), 3).dueAt).toEqual(wib('2026-04-07T14:00'));
    // Received during lunch: clock starts at 12:00.
    expect(calc.addOfficeHours(wib('2026-04-07T11:30'), 1).dueAt).toEqual(wib('2026-04-07T13:00'));
    // Working days end at the close of the last slot, not the first.
    expect(calc.addWorkingDays(wib('2026-04-07T10:00'), 1).dueAt).toEqual(wib('2026-04-08T16:00'));
  });

  it('supports fractions of an hour', () => {
    expect(officeCalc().addOfficeHours(wib('2026-04-07T08:00'), 0.25).dueAt).toEqual(wib('2026-04-07T08:15'));
  });

  it('rejects negative hours', () => {
    expect(() => officeCalc().addOfficeHours(wib('2026-04-07T08:00'), -1)).toThrow(RangeError);
  });
});

describe('DeadlineCalculator helpers', () => {
  it('knows working days and the next one', () => {
    const calc = officeCalc();
    expect(calc.isWorkingDay('2026-03-17')).toBe(true);
    expect(calc.isWorkingDay('2026-03-18')).toBe(false); // cuti bersama
    expect(calc.isWorkingDay('2026-03-28')).toBe(false); // Saturday
    expect(calc.nextWorkingDay('2026-03-17')).toBe('2026-03-25');
    expect(calc.coversYear(2026)).toBe(true);
    expect(calc.coversYear(2027)).toBe(true);
    expect(calc.coversYear(2028)).toBe(false);
  });

  it('refuses a calendar without office hours instead of looping', () => {
    expect(() => new DeadlineCalculator(buildCalendar({ officeHours: [] }))).toThrow(CalendarInvalidError);
  });

  it('is not affected by later edits of the calendar object it was built from', () => {
    const cal = buildCalendar();
    const calc = new DeadlineCalculator(cal);
    cal.nonWorkingDays.length = 0;
    expect(calc.isWorkingDay('2026-03-18')).toBe(false);
  });

  it('computes in a DST zone across the spring-forward change', () => {
    const calc = new DeadlineCalculator({
      timeZone: 'Europe/Berlin',
      officeHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
      nonWorkingDays: [],
      coveredYears: [2026],
    });
    // Fri 27 Mar 16:00 CET (15:00Z) + 2 h: 1 h Friday, 1 h Mon 30 Mar from 09:00 CEST (07:00Z).
    expect(calc.addOfficeHours(new Date('2026-03-27T15:00:00Z'), 2).dueAt.toISOString()).toBe('2026-03-30T08:00:00.000Z');
    // Close of Mon 30 Mar is 17:00 CEST = 15:00Z (16:00Z on the Friday before, in CET).
    expect(calc.addWorkingDays(new Date('2026-03-27T10:00:00Z'), 1).dueAt.toISOString()).toBe('2026-03-30T15:00:00.000Z');
  });
});
