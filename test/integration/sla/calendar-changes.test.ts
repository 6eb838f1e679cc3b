import { Client as WsClient } from 'graphql-ws';
import { LoketApp } from '../../../src/app';
import { SeedCalendar20271764289410000 } from '../../../migrations/1764289410000-seed-calendar-2027';
import { createTestDatabase } from '../../support/database';
import { buildPhoneCall } from '../../support/builders';
import { as, collect, gqlOk, ManualClock, startTestApp, wsClient } from '../../support/test-app';
import { subscribeLive, waitFor } from '../subscriptions/helpers';

const LOG = `mutation($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { id dueAt } }`;
const CLASSIFY = `mutation($id: ID!, $cls: ComplaintClass!) { classifyComplaint(caseId: $id, complaintClass: $cls) { id dueAt deadlineWarnings } }`;
const CASE = `query($id: ID!) { case(id: $id) { status dueAt deadlineWarnings timeline(first: 100) { edges { node { type actor before after } } } } }`;
const CHANGES = `{ calendarChanges(first: 10) { entries { id actor actorRole change casesMoved } hasNextPage } }`;
const SUB_EVENTS = `subscription($caseId: ID) { caseEvents(caseId: $caseId) { caseId type actor before after } }`;

const TUE_1_DEC_0900_WIB = '2026-12-01T02:00:00Z';

async function complaint(app: LoketApp, cls: string | null): Promise<{ id: string; dueAt: string }> {
  const c = (await gqlOk(app.url, LOG, { i: buildPhoneCall() })).logPhoneCall;
  if (!cls) return c;
  return (await gqlOk(app.url, CLASSIFY, { id: c.id, cls })).classifyComplaint;
}

async function caseView(app: LoketApp, id: string) {
  return (await gqlOk(app.url, CASE, { id })).case as {
    status: string;
    dueAt: string;
    deadlineWarnings: string[];
    timeline: { edges: { node: { type: string; actor: string; before: any; after: any } }[] };
  };
}

const moves = (c: Awaited<ReturnType<typeof caseView>>) => c.timeline.edges.map((e) => e.node).filter((n) => n.type === 'DEADLINE_MOVED');

describe('calendar changes move open deadlines (real PostgreSQL, two instances)', () => {
  let a: LoketApp;
  let b: LoketApp;
  let wsB: WsClient;
  let drop: () => Promise<void>;
  const clock = new ManualClock(new Date(TUE_1_DEC_0900_WIB));

  beforeAll(async () => {
    const db = await createTestDatabase('sla_changes');
    drop = db.drop;
    a = await startTestApp(db.url, clock);
    b = await startTestApp(db.url, clock);
    wsB = wsClient(b.url);
  });
  afterAll(async () => {
    await wsB?.dispose();
    await b?.stop();
    await a?.stop();
    await drop?.();
  });

  it('a holiday inside an open window moves that deadline (DEADLINE_MOVED on the timeline and in caseEvents); closed and untouched cases get nothing; the change is logged with who', async () => {
    // NORMATIVE, 5 working days from Tue 1 Dec: Tue 8 Dec 16:00 WIB.
    const open = await complaint(a, 'NORMATIVE');
    expect(open.dueAt).toBe('2026-12-08T09:00:00.000Z');
    const closed = await complaint(a, 'NORMATIVE');
    await gqlOk(a.url, `mutation($id: ID!) { answerCase(caseId: $id, answer: { text: "Sudah dijawab", deliveredVia: PHONE }) { status } }`, { id: closed.id });
    await gqlOk(a.url, `mutation($id: ID!) { closeCase(caseId: $id) { status } }`, { id: closed.id });
    // Unclassified: three office hours, due at noon on 1 Dec, before the new holiday.
    const untouched = await complaint(a, null);
    expect(untouched.dueAt).toBe('2026-12-01T05:00:00.000Z');

    const sub = await subscribeLive(b, () => collect<{ caseEvents: any }>(wsB, SUB_EVENTS, { caseId: open.id }));
    try {
      await gqlOk(as(a, 'ADMIN'), `mutation { setNonWorkingDay(date: "2026-12-07", kind: CUTI_BERSAMA, name: "Cuti Bersama (uji)") { coveredYears } }`);

      const moved = await caseView(a, open.id);
      expect(moved.dueAt).toBe('2026-12-09T09:00:00.000Z');
      const [event, ...more] = moves(moved);
      expect(more).toEqual([]);
      expect(event.actor).toMatch(/^token:/);
      expect(event.before).toEqual({ dueAt: '2026-12-08T09:00:00.000Z', deadlineWarnings: [] });
      expect(event.after).toMatchObject({
        dueAt: '2026-12-09T09:00:00.000Z',
        deadlineWarnings: [],
        cause: { kind: 'NON_WORKING_DAY_SET', date: '2026-12-07', before: null, after: { date: '2026-12-07', kind: 'CUTI_BERSAMA', name: 'Cuti Bersama (uji)' } },
      });

      // Instance B's subscriber hears it through the outbox.
      await waitFor(() => sub.errors.length > 0 || sub.items.some((i) => i.caseEvents.type === 'DEADLINE_MOVED'), 'DEADLINE_MOVED on instance B');
      expect(sub.errors).toEqual([]);
      expect(sub.items.find((i) => i.caseEvents.type === 'DEADLINE_MOVED')!.caseEvents).toMatchObject({ caseId: open.id, after: { dueAt: '2026-12-09T09:00:00.000Z' } });

      const closedView = await caseView(a, closed.id);
      expect(closedView.status).toBe('CLOSED');
      expect(closedView.dueAt).toBe('2026-12-08T09:00:00.000Z');
      expect(moves(closedView)).toEqual([]);
      const untouchedView = await caseView(a, untouched.id);
      expect(untouchedView.dueAt).toBe('2026-12-01T05:00:00.000Z');
      expect(moves(untouchedView)).toEqual([]);

      const log = (await gqlOk(as(b, 'ADMIN'), CHANGES)).calendarChanges.entries;
      expect(log[0]).toMatchObject({ actor: event.actor, actorRole: 'ADMIN', casesMoved: 1, change: { kind: 'NON_WORKING_DAY_SET', date: '2026-12-07' } });
      expect(event.after.cause.changeId).toBe(log[0].id);
      // The migration that shipped 2027 is in the log too, its recompute done at the first start.
      expect(log.find((e: any) => e.change.kind === 'YEAR_IMPORTED')).toMatchObject({ actor: 'migration:SeedCalendar20271764289410000', actorRole: null, casesMoved: 0, change: { year: 2027 } });
    } finally {
      sub.dispose();
    }
  });

  it('instance B computes with the new calendar right after instance A changed it', async () => {
    // B has a calendar in its cache from this deadline on.
    expect((await complaint(b, 'NORMATIVE')).dueAt).toBe('2026-12-09T09:00:00.000Z');
    await gqlOk(as(a, 'ADMIN'), `mutation { setNonWorkingDay(date: "2026-12-02", kind: NATIONAL_HOLIDAY, name: "Hari libur (uji)") { coveredYears } }`);
    // 2 and 7 Dec off: Thu 3, Fri 4, Tue 8, Wed 9, Thu 10.
    expect((await complaint(b, 'NORMATIVE')).dueAt).toBe('2026-12-10T09:00:00.000Z');
    await gqlOk(as(b, 'ADMIN'), `mutation { removeNonWorkingDay(date: "2026-12-02") { coveredYears } }`);
    expect((await complaint(a, 'NORMATIVE')).dueAt).toBe('2026-12-09T09:00:00.000Z');
  });

  it('office hours changes move office-hour deadlines of open cases', async () => {
    const light = await complaint(a, null);
    expect(light.dueAt).toBe('2026-12-01T05:00:00.000Z'); // 09:00 + 3 h
    const slots = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '07:30', end: '11:00' }));
    await gqlOk(as(a, 'ADMIN'), `mutation($s: [OfficeHoursSlotInput!]!) { setOfficeHours(slots: $s) { timeZone } }`, { s: slots });
    // 09:00-11:00 on Tue 1 Dec, the third hour 07:30-08:30 on Wed 2 Dec.
    const view = await caseView(b, light.id);
    expect(view.dueAt).toBe('2026-12-02T01:30:00.000Z');
    expect(moves(view)[0].after.cause).toMatchObject({ kind: 'OFFICE_HOURS_SET' });
    const back = [1, 2, 3, 4].map((weekday) => ({ weekday, start: '07:30', end: '16:00' })).concat([{ weekday: 5, start: '07:30', end: '16:30' }]);
    await gqlOk(as(b, 'ADMIN'), `mutation($s: [OfficeHoursSlotInput!]!) { setOfficeHours(slots: $s) { timeZone } }`, { s: back });
    expect((await caseView(a, light.id)).dueAt).toBe('2026-12-01T05:00:00.000Z');
  });
});

describe('the 2027 calendar shipped by migration recomputes open deadlines once (real PostgreSQL)', () => {
  let drop: () => Promise<void>;
  let url: string;
  const clock = new ManualClock(new Date(TUE_1_DEC_0900_WIB));
  const started: LoketApp[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase('sla_migration');
    drop = db.drop;
    url = db.url;
  });
  afterAll(async () => {
    for (const app of started) await app.stop();
    await drop?.();
  });

  it('a SUPERVISORY complaint of 1 Dec 2026 moves from 25 Feb to 2 Mar 2027, with one DEADLINE_MOVED across restarts and instances', async () => {
    // The database as it was before the migration: no 2027 data.
    const before = await startTestApp(url, clock);
    started.push(before);
    await before.db.dataSource.query(`DELETE FROM non_working_days WHERE date >= '2027-01-01'`);
    await before.db.dataSource.query(`DELETE FROM calendar_years WHERE year = 2027`);
    await before.db.dataSource.query(`UPDATE calendar_settings SET version = version + 1`);
    const c = await complaint(before, 'SUPERVISORY');
    expect(c).toMatchObject({ dueAt: '2027-02-25T09:00:00.000Z', deadlineWarnings: ['CALENDAR_YEAR_MISSING:2027'] });
    const rejected = await complaint(before, 'SUPERVISORY');
    await gqlOk(before.url, `mutation($id: ID!) { rejectCase(caseId: $id, reason: WITHDRAWN) { status } }`, { id: rejected.id });
    // The migration runs (as on deploy), then two instances start at once.
    const qr = before.db.dataSource.createQueryRunner();
    await new SeedCalendar20271764289410000().up(qr);
    await qr.release();
    await before.stop();
    started.pop();
    const both = await Promise.all([startTestApp(url, clock), startTestApp(url, clock)]);
    started.push(...both);

    const view = await caseView(both[1], c.id);
    expect(view.dueAt).toBe('2027-03-02T09:00:00.000Z');
    expect(view.deadlineWarnings).toEqual([]);
    expect(moves(view)).toEqual([
      {
        type: 'DEADLINE_MOVED',
        actor: 'migration:SeedCalendar20271764289410000',
        before: { dueAt: '2027-02-25T09:00:00.000Z', deadlineWarnings: ['CALENDAR_YEAR_MISSING:2027'] },
        after: expect.objectContaining({ dueAt: '2027-03-02T09:00:00.000Z', deadlineWarnings: [], cause: expect.objectContaining({ kind: 'YEAR_IMPORTED', year: 2027 }) }),
      },
    ]);
    expect(moves(await caseView(both[0], rejected.id))).toEqual([]);

    // Another start finds nothing left to do.
    for (const app of started.splice(0)) await app.stop();
    const again = await startTestApp(url, clock);
    started.push(again);
    expect(moves(await caseView(again, c.id))).toHaveLength(1);
    const log = (await gqlOk(as(again, 'ADMIN'), CHANGES)).calendarChanges.entries.filter((e: any) => e.change.kind === 'YEAR_IMPORTED');
    expect(log.map((e: any) => e.casesMoved)).toEqual([1, 0]);
  });
});
