import { CalendarInvalidError } from '../../../src/domain/sla/calendar-invalid.error';
import { DAYS_2027 } from '../../../migrations/1764289410000-seed-calendar-2027';
import { CALENDAR_2026, CALENDAR_2027, DEFAULT_OFFICE_HOURS, defaultCalendar } from '../../../src/domain/sla/default-calendar';
import { validateCalendar, type OfficeHoursSlot } from '../../../src/domain/sla/working-calendar';
import { buildCalendar } from './calendar.builder';

const slot = (weekday: number, start: string, end: string): OfficeHoursSlot => ({ weekday, start, end });

function rejection(run: () => void): CalendarInvalidError {
  try {
    run();
  } catch (e) {
    if (e instanceof CalendarInvalidError) return e;
    throw e;
  }
  throw new Error('expected CalendarInvalidError');
}

describe('validateCalendar', () => {
  it('accepts the default calendar and a lunch-break calendar', () => {
    expect(() => validateCalendar(defaultCalendar())).not.toThrow();
    expect(() => validateCalendar(buildCalendar({ officeHours: [slot(1, '08:00', '12:00'), slot(1, '12:00', '16:00')] }))).not.toThrow();
  });

  it.each<[string, OfficeHoursSlot[], RegExp]>([
    ['bad time', [slot(1, '7:30', '16:00')], /start/],
    ['minute 60', [slot(1, '07:60', '16:00')], /start/],
    ['end before start', [slot(1, '16:00', '07:30')], /later than start/],
    ['end equals start', [slot(1, '08:00', '08:00')], /later than start/],
    ['weekday 0', [slot(0, '08:00', '16:00')], /weekday/],
    ['weekday 8', [slot(8, '08:00', '16:00')], /weekday/],
    ['overlap', [slot(2, '08:00', '12:00'), slot(2, '11:00', '16:00')], /overlaps/],
    ['no slots', [], /no office hours/],
  ])('rejects office hours with %s', (_label, officeHours, message) => {
    const error = rejection(() => validateCalendar(buildCalendar({ officeHours })));
    expect(error.code).toBe('CALENDAR_INVALID');
    expect(error.message).toMatch(message);
  });

  it('rejects bad non-working days', () => {
    const bad = (date: string) => buildCalendar({ nonWorkingDays: [{ date, kind: 'NATIONAL_HOLIDAY', name: 'X' }] });
    expect(rejection(() => validateCalendar(bad('2026-02-30'))).message).toMatch(/2026-02-30/);
    expect(rejection(() => validateCalendar(bad('17-08-2026'))).message).toMatch(/YYYY-MM-DD/);
    const twice = buildCalendar({ nonWorkingDays: [CALENDAR_2026[0]!, { ...CALENDAR_2026[0]! }] });
    expect(rejection(() => validateCalendar(twice)).message).toMatch(/twice/);
  });

  it('rejects an unknown time zone', () => {
    expect(rejection(() => validateCalendar(buildCalendar({ timeZone: 'Asia/Borneo' }))).message).toMatch(/time zone/);
  });
});

describe('default calendar', () => {
  it('ships the SKB 3 Menteri 2026 list: 17 holiday dates and 8 cuti bersama', () => {
    expect(CALENDAR_2026.filter((d) => d.kind === 'NATIONAL_HOLIDAY')).toHaveLength(17);
    expect(CALENDAR_2026.filter((d) => d.kind === 'CUTI_BERSAMA').map((d) => d.date)).toEqual([
      '2026-02-16', '2026-03-18', '2026-03-20', '2026-03-23', '2026-03-24', '2026-05-15', '2026-05-28', '2026-12-24',
    ]);
    expect(CALENDAR_2026.find((d) => d.date === '2026-08-17')?.name).toMatch(/Kemerdekaan/);
  });

  it('ships the SKB 3 Menteri 2027 list (Menag 1205/2026): 18 holidays and 8 cuti bersama, as the migration does', () => {
    expect(CALENDAR_2027.filter((d) => d.kind === 'NATIONAL_HOLIDAY').map((d) => d.date.slice(5))).toEqual([
      '01-01', '01-05', '02-06', '03-08', '03-10', '03-11', '03-26', '03-28', '05-01', '05-06', '05-17', '05-20', '06-01', '06-06', '08-15', '08-17', '12-25', '12-26',
    ]);
    expect(CALENDAR_2027.filter((d) => d.kind === 'CUTI_BERSAMA').map((d) => d.date.slice(5))).toEqual([
      '02-05', '03-09', '03-12', '03-15', '03-25', '05-18', '05-19', '12-24',
    ]);
    expect(CALENDAR_2027.every((d) => d.date.startsWith('2027-'))).toBe(true);
    expect(DAYS_2027.map(([date, kind, name]) => ({ date, kind, name }))).toEqual(CALENDAR_2027);
  });

  it('closes at 16:00 Mon-Thu and 16:30 on Friday in Asia/Pontianak, covering 2026 and 2027', () => {
    const cal = defaultCalendar();
    expect(cal.timeZone).toBe('Asia/Pontianak');
    expect(cal.coveredYears).toEqual([2026, 2027]);
    expect(DEFAULT_OFFICE_HOURS.map((s) => `${s.weekday} ${s.start}-${s.end}`)).toEqual([
      '1 07:30-16:00', '2 07:30-16:00', '3 07:30-16:00', '4 07:30-16:00', '5 07:30-16:30',
    ]);
  });

  it('hands out fresh copies', () => {
    defaultCalendar().nonWorkingDays.length = 0;
    expect(defaultCalendar().nonWorkingDays).toHaveLength(CALENDAR_2026.length + CALENDAR_2027.length);
  });
});
