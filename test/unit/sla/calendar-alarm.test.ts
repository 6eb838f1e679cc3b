import { calendarAlarmAt } from '../../../src/domain/sla/calendar-alarm';
import { wib } from './calendar.builder';

const calendar = (...coveredYears: number[]) => ({ timeZone: 'Asia/Pontianak', coveredYears });

describe('calendarAlarmAt', () => {
  it('from 1 October (office time) raises an alarm for a next year without data', () => {
    const alarm = calendarAlarmAt(calendar(2026), wib('2026-10-02T09:00'));
    expect(alarm).toMatchObject({ missingYear: 2027, since: wib('2026-10-01T00:00') });
    expect(alarm?.message).toMatch(/Kalender kerja 2027 belum lengkap/);
    // Midnight of 1 October WIB is still 30 September in UTC: the office's day counts.
    expect(calendarAlarmAt(calendar(2026), wib('2026-10-01T00:30'))?.missingYear).toBe(2027);
  });

  it('is quiet before October, and once the next year is covered', () => {
    expect(calendarAlarmAt(calendar(2026), wib('2026-09-30T23:59'))).toBeNull();
    expect(calendarAlarmAt(calendar(2026, 2027), wib('2026-12-01T09:00'))).toBeNull();
    expect(calendarAlarmAt(calendar(2026, 2027), wib('2027-09-30T12:00'))).toBeNull();
  });

  it('on 1 October 2027 asks for 2028', () => {
    expect(calendarAlarmAt(calendar(2026, 2027), wib('2027-10-01T08:00'))).toMatchObject({ missingYear: 2028, since: wib('2027-10-01T00:00') });
  });

  it('a current year without data is an alarm too, since 1 January', () => {
    expect(calendarAlarmAt(calendar(2026, 2027), wib('2028-01-03T08:00'))).toMatchObject({ missingYear: 2028, since: wib('2028-01-01T00:00') });
  });
});
