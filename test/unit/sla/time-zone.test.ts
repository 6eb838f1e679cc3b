import {
  addDaysToLocalDate,
  isoWeekdayOfLocalDate,
  isValidTimeZone,
  localDateOf,
  parseLocalDate,
  toZonedParts,
  zonedTimeToInstant,
} from '../../../src/domain/sla/time-zone';

describe('time-zone', () => {
  it('reads WIB wall time (UTC+7)', () => {
    const p = toZonedParts(new Date('2026-03-17T03:00:00.123Z'), 'Asia/Pontianak');
    expect(p).toEqual({ year: 2026, month: 3, day: 17, hour: 10, minute: 0, second: 0, millisecond: 123, weekday: 2 });
    expect(localDateOf(new Date('2026-03-17T17:30:00Z'), 'Asia/Pontianak')).toBe('2026-03-18');
    expect(toZonedParts(new Date('2026-03-17T17:00:00Z'), 'Asia/Pontianak').hour).toBe(0);
  });

  it('converts WIB wall time to UTC', () => {
    expect(zonedTimeToInstant('2026-03-31', 16 * 60, 'Asia/Pontianak').toISOString()).toBe('2026-03-31T09:00:00.000Z');
    expect(zonedTimeToInstant('2026-03-31', 1440, 'Asia/Pontianak').toISOString()).toBe('2026-03-31T17:00:00.000Z');
  });

  describe('Europe/Berlin around DST changes', () => {
    const berlin = 'Europe/Berlin';
    it('uses CET before and CEST after the spring-forward change (29 Mar 2026, 02:00 -> 03:00)', () => {
      expect(zonedTimeToInstant('2026-03-29', 60, berlin).toISOString()).toBe('2026-03-29T00:00:00.000Z');
      expect(zonedTimeToInstant('2026-03-29', 3 * 60, berlin).toISOString()).toBe('2026-03-29T01:00:00.000Z');
      expect(zonedTimeToInstant('2026-03-29', 12 * 60, berlin).toISOString()).toBe('2026-03-29T10:00:00.000Z');
      expect(zonedTimeToInstant('2026-03-28', 12 * 60, berlin).toISOString()).toBe('2026-03-28T11:00:00.000Z');
    });

    it('moves a wall time skipped by the gap forward (02:30 -> 03:30 CEST)', () => {
      const t = zonedTimeToInstant('2026-03-29', 150, berlin);
      expect(t.toISOString()).toBe('2026-03-29T01:30:00.000Z');
      expect(toZonedParts(t, berlin)).toMatchObject({ hour: 3, minute: 30 });
    });

    it('takes the earlier instant of a repeated wall time (25 Oct 2026, 02:30 happens twice)', () => {
      expect(zonedTimeToInstant('2026-10-25', 150, berlin).toISOString()).toBe('2026-10-25T00:30:00.000Z');
      expect(zonedTimeToInstant('2026-10-25', 12 * 60, berlin).toISOString()).toBe('2026-10-25T11:00:00.000Z');
    });

    it('round-trips every half hour over both change days', () => {
      for (const start of ['2026-03-28T12:00:00Z', '2026-10-24T12:00:00Z']) {
        for (let i = 0; i < 96; i++) {
          const instant = new Date(Date.parse(start) + i * 30 * 60_000);
          const p = toZonedParts(instant, berlin);
          const back = zonedTimeToInstant(localDateOf(instant, berlin), p.hour * 60 + p.minute, berlin);
          // In the repeated hour the earlier instant wins, so a later one maps back one hour early.
          const diff = instant.getTime() - back.getTime();
          expect([0, 3_600_000]).toContain(diff);
          expect(toZonedParts(back, berlin)).toMatchObject({ hour: p.hour, minute: p.minute });
        }
      }
    });
  });

  it('does local date arithmetic across months, leap days and years', () => {
    expect(addDaysToLocalDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysToLocalDate('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDaysToLocalDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekdayOfLocalDate('2026-03-22')).toBe(7);
    expect(isoWeekdayOfLocalDate('2026-03-23')).toBe(1);
  });

  it('validates dates and zones', () => {
    expect(parseLocalDate('2026-02-30')).toBeNull();
    expect(parseLocalDate('2026-2-3')).toBeNull();
    expect(parseLocalDate('2026-02-28')).toEqual({ year: 2026, month: 2, day: 28 });
    expect(isValidTimeZone('Asia/Pontianak')).toBe(true);
    expect(isValidTimeZone('Asia/Atlantis')).toBe(false);
    expect(() => addDaysToLocalDate('nope', 1)).toThrow(RangeError);
  });
});
