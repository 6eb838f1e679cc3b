import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { as, gql, gqlOk, ManualClock, startTestApp } from '../../support/test-app';
import { buildPhoneCall } from '../../support/builders';

describe('working calendar as data (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  const clock = new ManualClock(new Date('2026-12-21T02:00:00Z')); // Mon 09:00 WIB

  beforeAll(async () => {
    const db = await createTestDatabase('calendar');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('ships the 2026 SKB 3 Menteri calendar and office hours', async () => {
    const { workingCalendar: c } = await gqlOk(app.url, `{ workingCalendar(year: 2026) { timeZone coveredYears officeHours { weekday start end } nonWorkingDays { date kind name } } }`);
    expect(c.timeZone).toBe('Asia/Pontianak');
    expect(c.coveredYears).toEqual([2026, 2027]);
    expect(c.officeHours).toContainEqual({ weekday: 5, start: '07:30', end: '16:30' });
    expect(c.nonWorkingDays).toHaveLength(25);
    expect(c.nonWorkingDays.filter((d: any) => d.kind === 'CUTI_BERSAMA').map((d: any) => d.date)).toEqual([
      '2026-02-16', '2026-03-18', '2026-03-20', '2026-03-23', '2026-03-24', '2026-05-15', '2026-05-28', '2026-12-24',
    ]);
  });

  it('a deadline that reaches into a year without calendar data carries a warning until an administrator adds it', async () => {
    clock.set('2027-12-20T02:00:00Z'); // Mon 09:00 WIB
    const c = (await gqlOk(app.url, `mutation($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { id } }`, { i: buildPhoneCall() })).logPhoneCall;
    const classify = `mutation($id: ID!) { classifyComplaint(caseId: $id, complaintClass: NON_SUPERVISORY) { dueAt deadlineWarnings } }`;
    const before = (await gqlOk(app.url, classify, { id: c.id })).classifyComplaint;
    expect(before.deadlineWarnings).toEqual(['CALENDAR_YEAR_MISSING:2028']);
    // 14 working days after Mon 20 Dec 2027, skipping 24 Dec (cuti bersama), weekends only in 2028: Mon 10 Jan 2028.
    expect(before.dueAt).toBe('2028-01-10T09:00:00.000Z');

    await gqlOk(as(app, 'ADMIN'), `mutation { setNonWorkingDay(date: "2028-01-01", kind: NATIONAL_HOLIDAY, name: "Tahun Baru 2028 Masehi") { coveredYears } }`);
    const covered = await gqlOk(as(app, 'ADMIN'), `mutation { setCalendarYearCovered(year: 2028, covered: true) { coveredYears } }`);
    expect(covered.setCalendarYearCovered.coveredYears).toEqual([2026, 2027, 2028]);

    const after = (await gqlOk(app.url, classify, { id: c.id })).classifyComplaint;
    expect(after.deadlineWarnings).toEqual([]);
    // 1 Jan 2028 is a Saturday: the deadline stays.
    expect(after.dueAt).toBe('2028-01-10T09:00:00.000Z');
  });

  it.each([
    ['a malformed date', `mutation { setNonWorkingDay(date: "1 Januari", kind: NATIONAL_HOLIDAY, name: "x") { timeZone } }`, 'date'],
    ['an empty name', `mutation { setNonWorkingDay(date: "2027-01-02", kind: CUTI_BERSAMA, name: " ") { timeZone } }`, 'name'],
    ['removing a day that is not there', `mutation { removeNonWorkingDay(date: "2027-07-07") { timeZone } }`, 'date'],
    ['overlapping office hours', `mutation { setOfficeHours(slots: [{ weekday: 1, start: "07:30", end: "12:00" }, { weekday: 1, start: "11:00", end: "16:00" }]) { timeZone } }`, 'officeHours'],
  ])('refuses %s with BAD_USER_INPUT', async (_n, query, field) => {
    const r = await gql(as(app, 'ADMIN'), query);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('office hours with a lunch break are accepted and used', async () => {
    const slots = [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, start: '07:30', end: '12:00' },
      { weekday, start: '13:00', end: weekday === 5 ? '16:30' : '16:00' },
    ]);
    await gqlOk(as(app, 'ADMIN'), `mutation($s: [OfficeHoursSlotInput!]!) { setOfficeHours(slots: $s) { timeZone } }`, { s: slots });
    clock.set('2026-12-22T03:00:00Z'); // Tue 10:00 WIB
    const c = (await gqlOk(app.url, `mutation($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { dueAt } }`, { i: buildPhoneCall() })).logPhoneCall;
    // 10:00-12:00 is two hours, the third runs 13:00-14:00 WIB.
    expect(c.dueAt).toBe('2026-12-22T07:00:00.000Z');
  });
});
