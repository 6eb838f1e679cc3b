import pino from 'pino';
import { LoketApp } from '../../../src/app';
import { calendarAlarmJob } from '../../../src/composition/calendar-jobs';
import { CalendarAlarmService } from '../../../src/domain/sla/calendar-alarm';
import { createTestDatabase } from '../../support/database';
import { as, gqlOk, ManualClock, startTestApp } from '../../support/test-app';

const ALARM = `{ calendarAlarm { missingYear since message } }`;

describe('the calendar alarm for a next year without data (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  const clock = new ManualClock(new Date('2026-10-02T02:00:00Z')); // Fri 2 Oct 2026, 09:00 WIB

  beforeAll(async () => {
    const db = await createTestDatabase('sla_alarm');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  const readyz = async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/readyz`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('is quiet in 2026 once the migration shipped 2027', async () => {
    expect((await gqlOk(app.url, ALARM)).calendarAlarm).toBeNull();
    expect((await readyz()).body).toEqual({ status: 'ready', checks: { database: true, migrations: true, events: true } });
  });

  it('on 2 October 2026 without 2027 data: in the API, in /readyz (still ready) and in the daily log', async () => {
    await gqlOk(as(app, 'ADMIN'), `mutation { setCalendarYearCovered(year: 2027, covered: false) { coveredYears } }`);
    const { calendarAlarm } = await gqlOk(app.url, ALARM);
    expect(calendarAlarm).toMatchObject({ missingYear: 2027, since: '2026-09-30T17:00:00.000Z' });
    expect(calendarAlarm.message).toMatch(/2027/);

    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.details.calendarAlarm).toMatchObject({ missingYear: 2027 });

    const lines: any[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const job = calendarAlarmJob(new CalendarAlarmService({ load: () => app.services.calendar.calendar(null) }, clock), log);
    expect(job).toMatchObject({ name: 'calendar-alarm', periodSeconds: 86_400 });
    await job.run({ dueAt: clock.now(), signal: new AbortController().signal });
    expect(lines).toEqual([expect.objectContaining({ level: 40, missingYear: 2027, msg: 'working calendar: no holiday data for 2027' })]);

    await gqlOk(as(app, 'ADMIN'), `mutation { setCalendarYearCovered(year: 2027, covered: true) { coveredYears } }`);
    expect((await gqlOk(app.url, ALARM)).calendarAlarm).toBeNull();
    lines.length = 0;
    await job.run({ dueAt: clock.now(), signal: new AbortController().signal });
    expect(lines).toEqual([]);
  });

  it('on 1 October 2027 asks for 2028', async () => {
    clock.set('2027-10-01T01:00:00Z');
    expect((await gqlOk(app.url, ALARM)).calendarAlarm).toMatchObject({ missingYear: 2028, since: '2027-09-30T17:00:00.000Z' });
    expect((await readyz()).status).toBe(200);
  });
});
