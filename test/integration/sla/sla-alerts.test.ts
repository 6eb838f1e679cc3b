import { Client as WsClient } from 'graphql-ws';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { queryDb, waitFor } from '../../support/live';
import { as, collect, ensureTeams, gql, gqlOk, HANDLER_TEAM, ManualClock, startTestApp, wsClient } from '../../support/test-app';
import { subscribeLive, waitForNoSubscribers } from '../subscriptions/helpers';
import { CASE_TIME, CLASSIFY, logComplaint, PAUSE, RESUME, runAlerts, slaEvents, SUB_SLA, wib } from './helpers';

/** SLA warnings and breaches, clock stops and deadline states against real PostgreSQL, with a hand-moved clock. */
describe('SLA alerts, timeRemaining and clock stops (real PostgreSQL)', () => {
  const clock = new ManualClock(wib('2026-04-06T08:00'));
  let app: LoketApp;
  let url: string;
  let drop: () => Promise<void>;
  const others: LoketApp[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase('sla_alerts');
    url = db.url;
    drop = db.drop;
    // The scheduler's own runs are hourly here; the tests drive the scan by calling it.
    app = await startTestApp(db.url, clock, { slaAlertPeriodSeconds: 3_600 });
    await ensureTeams(app, ['tim-lain', 'tim-urutan']);
  });
  afterAll(async () => {
    for (const o of others) await o.stop();
    await app?.stop();
    await drop?.();
  });

  const timeOf = async (id: string) => (await gqlOk(app.url, CASE_TIME, { id })).case;

  it('a LIGHT complaint warns once one office hour before its deadline and breaches once at it; timeRemaining follows', async () => {
    clock.set(wib('2026-04-06T09:00'));
    const c = await logComplaint(app.url, wib('2026-04-06T09:00'));
    expect(new Date(c.dueAt)).toEqual(wib('2026-04-06T12:00'));

    clock.set(wib('2026-04-06T10:59'));
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toEqual([]);
    expect((await timeOf(c.id)).timeRemaining).toEqual({ state: 'ON_TRACK', workingMinutes: 61, dueAt: wib('2026-04-06T12:00').toISOString() });

    clock.set(wib('2026-04-06T11:00'));
    await runAlerts(app);
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toEqual([{ type: 'SLA_WARNING', dueAt: wib('2026-04-06T12:00').toISOString() }]);
    expect((await timeOf(c.id)).timeRemaining.state).toBe('AT_RISK');

    clock.set(wib('2026-04-06T12:00'));
    await runAlerts(app);
    await runAlerts(app);
    expect((await slaEvents(url, c.id)).map((e) => e.type)).toEqual(['SLA_WARNING', 'SLA_BREACHED']);
    expect((await timeOf(c.id)).timeRemaining).toEqual({ state: 'BREACHED', workingMinutes: 0, dueAt: wib('2026-04-06T12:00').toISOString() });

    // The night does not count: at 07:45 the next morning it is 4 h (Monday afternoon) + 15 working minutes late.
    clock.set(wib('2026-04-07T07:45'));
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toHaveLength(2);
    expect((await timeOf(c.id)).timeRemaining.workingMinutes).toBe(-255);
  });

  it('nothing fires at night for a warning instant that falls in the next morning', async () => {
    clock.set(wib('2026-04-06T15:30'));
    const c = await logComplaint(app.url, wib('2026-04-06T15:30')); // 30 minutes today: due Tue 10:00, warning Tue 09:00
    clock.set(wib('2026-04-06T23:00'));
    await runAlerts(app);
    clock.set(wib('2026-04-07T08:59'));
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toEqual([]);
    clock.set(wib('2026-04-07T09:00'));
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toEqual([{ type: 'SLA_WARNING', dueAt: wib('2026-04-07T10:00').toISOString() }]);
  });

  it('a deadline stored before SLA warnings existed (no warn_at) gets its warning instant and warns', async () => {
    clock.set(wib('2026-04-07T09:00'));
    const c = await logComplaint(app.url, wib('2026-04-07T09:00'));
    await queryDb(url, `UPDATE cases SET warn_at = NULL WHERE id = $1`, [c.id]);
    clock.set(wib('2026-04-07T11:30'));
    await runAlerts(app);
    expect((await timeOf(c.id)).warnAt).toBe(wib('2026-04-07T11:00').toISOString());
    expect(await slaEvents(url, c.id)).toEqual([{ type: 'SLA_WARNING', dueAt: wib('2026-04-07T12:00').toISOString() }]);
  });

  it('a deadline moved later re-arms the alerts: after reclassifying, the warning fires again for the new deadline', async () => {
    clock.set(wib('2026-04-07T13:00'));
    const c = await logComplaint(app.url, wib('2026-04-07T13:00')); // LIGHT: due 16:00, warning 15:00
    clock.set(wib('2026-04-07T15:10'));
    await runAlerts(app);
    expect((await slaEvents(url, c.id)).map((e) => e.type)).toEqual(['SLA_WARNING']);
    await gqlOk(app.url, CLASSIFY, { id: c.id, cls: 'NORMATIVE' }); // due Tue 14 Apr 16:00
    const moved = await timeOf(c.id);
    expect(moved).toMatchObject({ dueAt: wib('2026-04-14T16:00').toISOString(), timeRemaining: { state: 'ON_TRACK' } });
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toHaveLength(1);
    clock.set(new Date(moved.warnAt));
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toEqual([
      { type: 'SLA_WARNING', dueAt: wib('2026-04-07T16:00').toISOString() },
      { type: 'SLA_WARNING', dueAt: wib('2026-04-14T16:00').toISOString() },
    ]);
  });

  it('an answered case gets no alert even when its deadline passes', async () => {
    clock.set(wib('2026-04-07T13:00'));
    const c = await logComplaint(app.url, wib('2026-04-07T13:00'));
    await gqlOk(app.url, `mutation($id: ID!) { answerCase(caseId: $id, answer: { text: "Sudah dijawab", deliveredVia: PHONE }) { status } }`, { id: c.id });
    clock.set(wib('2026-04-07T16:30'));
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toEqual([]);
    expect((await timeOf(c.id)).timeRemaining).toEqual({ state: 'NONE', workingMinutes: null, dueAt: null });
  });

  it('two instances running the scan at the same time store one warning and one breach', async () => {
    const second = await startTestApp(url, clock, { slaAlertPeriodSeconds: 3_600 });
    others.push(second);
    clock.set(wib('2026-04-08T09:00'));
    const c = await logComplaint(app.url, wib('2026-04-08T09:00'));
    clock.set(wib('2026-04-08T11:00'));
    await Promise.all([runAlerts(app), runAlerts(second), runAlerts(app), runAlerts(second)]);
    clock.set(wib('2026-04-08T12:00'));
    await Promise.all([runAlerts(second), runAlerts(app), runAlerts(second), runAlerts(app)]);
    expect((await slaEvents(url, c.id)).map((e) => e.type)).toEqual(['SLA_WARNING', 'SLA_BREACHED']);
  });

  it('a paused case fires nothing; after resume the deadline has moved by the paused working time and the alerts fire for it', async () => {
    clock.set(wib('2026-04-09T09:00'));
    const c = await logComplaint(app.url, wib('2026-04-09T09:00')); // due 12:00, warning 11:00
    clock.set(wib('2026-04-09T09:30'));
    const paused = (await gqlOk(app.url, PAUSE, { id: c.id, reason: 'WAITING_FOR_REQUESTER', note: 'Menunggu fotokopi KTP' })).pauseCase;
    expect(paused).toMatchObject({ status: 'WAITING', dueAt: null, warnAt: null, timeRemaining: { state: 'PAUSED', workingMinutes: 150, dueAt: null } });
    const again = await gql(app.url, PAUSE, { id: c.id, reason: 'WAITING_FOR_REQUESTER' });
    expect(again.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');

    clock.set(wib('2026-04-09T13:00'));
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toEqual([]);

    clock.set(wib('2026-04-09T14:00'));
    const resumed = (await gqlOk(app.url, RESUME, { id: c.id })).resumeCase;
    // 150 working minutes were left: Thu 14:00-16:00, then 30 on Friday morning. Paused 09:30-14:00: 270 working minutes.
    expect(resumed).toMatchObject({
      status: 'RECEIVED',
      dueAt: wib('2026-04-10T08:00').toISOString(),
      warnAt: wib('2026-04-09T15:30').toISOString(),
      pausedWorkingMinutes: 270,
      timeRemaining: { state: 'ON_TRACK', workingMinutes: 150 },
    });

    clock.set(wib('2026-04-09T15:29'));
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toEqual([]);
    clock.set(wib('2026-04-09T15:30'));
    await runAlerts(app);
    clock.set(wib('2026-04-10T08:00'));
    await runAlerts(app);
    expect(await slaEvents(url, c.id)).toEqual([
      { type: 'SLA_WARNING', dueAt: wib('2026-04-10T08:00').toISOString() },
      { type: 'SLA_BREACHED', dueAt: wib('2026-04-10T08:00').toISOString() },
    ]);

    const timeline = (await gqlOk(app.url, `query($id: ID!) { case(id: $id) { timeline { edges { node { type text after } } } } }`, { id: c.id })).case.timeline.edges.map(
      (e: any) => e.node,
    );
    expect(timeline.find((e: any) => e.type === 'CASE_PAUSED')).toMatchObject({ text: 'Menunggu fotokopi KTP', after: { reason: 'WAITING_FOR_REQUESTER', remainingWorkingMinutes: 150 } });
    expect(timeline.find((e: any) => e.type === 'CASE_RESUMED')).toMatchObject({ after: { pausedWorkingMinutes: 270, totalPausedWorkingMinutes: 270 } });
  });

  it('complaint officers and the handlers of the case team may pause and resume; other teams and clerks may not', async () => {
    clock.set(wib('2026-04-13T09:00'));
    const c = await logComplaint(app.url, wib('2026-04-13T09:00'), { cls: 'NORMATIVE', team: HANDLER_TEAM });
    const otherHandler = (await app.services.access.createToken(null, { name: 'tim lain', role: 'HANDLER', scopes: [], team: 'tim-lain' })).token;
    const denied = await gql({ url: app.url, token: otherHandler }, PAUSE, { id: c.id, reason: 'WAITING_FOR_THIRD_PARTY' });
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await gql(as(app, 'CLERK'), PAUSE, { id: c.id, reason: 'WAITING_FOR_THIRD_PARTY' })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await gqlOk(as(app, 'HANDLER'), PAUSE, { id: c.id, reason: 'WAITING_FOR_THIRD_PARTY' })).pauseCase.status).toBe('WAITING');
    expect((await gqlOk(as(app, 'HANDLER'), RESUME, { id: c.id })).resumeCase.status).toBe('IN_PROGRESS');
  });

  describe('the slaAlerts subscription', () => {
    let ws: { officer: WsClient; handler: WsClient; other: WsClient };
    beforeAll(async () => {
      const otherToken = (await app.services.access.createToken(null, { name: 'tim lain 2', role: 'HANDLER', scopes: [], team: 'tim-lain' })).token;
      ws = { officer: wsClient(app.url), handler: wsClient(as(app, 'HANDLER')), other: wsClient({ url: app.url, token: otherToken }) };
    });
    afterAll(async () => {
      for (const c of Object.values(ws ?? {})) await c.dispose();
    });
    afterEach(async () => waitForNoSubscribers(app));

    it('reaches complaint officers for every case and handlers only for their team cases', async () => {
      clock.set(wib('2026-04-14T09:30'));
      const mine = await logComplaint(app.url, wib('2026-04-14T09:00'), { team: HANDLER_TEAM }); // LIGHT, due 12:00
      const theirs = await logComplaint(app.url, wib('2026-04-14T09:30'), { team: 'tim-lain' }); // due 12:30
      const officer = await subscribeLive(app, () => collect<any>(ws.officer, SUB_SLA, { filter: { type: ['SLA_BREACHED'] } }));
      const handler = await subscribeLive(app, () => collect<any>(ws.handler, SUB_SLA));
      const other = await subscribeLive(app, () => collect<any>(ws.other, SUB_SLA, { filter: { team: ['tim-lain'] } }));
      try {
        clock.set(wib('2026-04-14T12:30'));
        await runAlerts(app);
        const ids = (s: { items: any[] }) => s.items.map((i) => i.slaAlerts).filter((a) => [mine.id, theirs.id].includes(a.case.id)).map((a) => `${a.type}:${a.case.id}`);
        await waitFor(() => ids(officer).length === 2 || officer.errors.length > 0, 'both breaches for the officer');
        expect(ids(officer)).toEqual([`SLA_BREACHED:${mine.id}`, `SLA_BREACHED:${theirs.id}`]);
        const alert = officer.items.map((i) => i.slaAlerts).find((a) => a.case.id === mine.id);
        expect(alert).toMatchObject({ type: 'SLA_BREACHED', dueAt: wib('2026-04-14T12:00').toISOString(), workingMinutesLeft: -30, case: { assignee: HANDLER_TEAM, timeRemaining: { state: 'BREACHED' } } });
        // Each alert reaches every subscriber of this instance in the same delivery; the officer got the last one.
        await waitFor(() => ids(handler).length >= 1 && ids(other).length >= 1, 'the handlers alerts');
        expect(ids(handler)).toEqual([`SLA_BREACHED:${mine.id}`]);
        expect(ids(other)).toEqual([`SLA_BREACHED:${theirs.id}`]);
        expect([officer.errors, handler.errors, other.errors]).toEqual([[], [], []]);
      } finally {
        officer.dispose();
        handler.dispose();
        other.dispose();
      }
    });
  });

  it('cases(filter: { deadlineState: [AT_RISK, BREACHED] }) answers the cases at risk or breached, nearest deadline first, page by page', async () => {
    const team = 'tim-urutan';
    clock.set(wib('2026-04-15T09:30'));
    const late = await logComplaint(app.url, wib('2026-04-15T08:00'), { team }); // due 11:00
    const risky = await logComplaint(app.url, wib('2026-04-15T09:30'), { team }); // due 12:30, warning 11:30
    const risky2 = await logComplaint(app.url, wib('2026-04-15T09:15'), { team }); // due 12:15, warning 11:15
    const fine = await logComplaint(app.url, wib('2026-04-15T09:00'), { team, cls: 'NORMATIVE' });
    const paused = await logComplaint(app.url, wib('2026-04-15T08:30'), { team }); // due 11:30
    await gqlOk(app.url, PAUSE, { id: paused.id, reason: 'WAITING_FOR_REQUESTER' });

    clock.set(wib('2026-04-15T11:45'));
    const Q = `query($after: String, $states: [DeadlineState!]) { cases(filter: { assignee: "${team}", deadlineState: $states }, first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id timeRemaining { state } } } } }`;
    const first = (await gqlOk(app.url, Q, { states: ['AT_RISK', 'BREACHED'] })).cases;
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e: any) => [e.node.id, e.node.timeRemaining.state])).toEqual([
      [late.id, 'BREACHED'],
      [risky2.id, 'AT_RISK'],
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await gqlOk(app.url, Q, { states: ['AT_RISK', 'BREACHED'], after: first.pageInfo.endCursor })).cases;
    expect(second.edges.map((e: any) => e.node.id)).toEqual([risky.id]);
    expect(second.pageInfo.hasNextPage).toBe(false);

    expect((await gqlOk(app.url, Q, { states: ['ON_TRACK'] })).cases.edges.map((e: any) => e.node.id)).toEqual([fine.id]);
    expect((await gqlOk(app.url, Q, { states: ['PAUSED'] })).cases.edges.map((e: any) => e.node.id)).toEqual([paused.id]);

    // A cursor of the default order is refused by the due order (and the other way round).
    const byReceipt = (await gqlOk(app.url, `query { cases(filter: { assignee: "${team}" }, first: 1) { pageInfo { endCursor } edges { node { id } } } }`)).cases;
    const mixed = await gql(app.url, Q, { states: ['AT_RISK'], after: byReceipt.pageInfo.endCursor });
    expect(mixed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const ordered = (await gqlOk(app.url, `query { cases(filter: { assignee: "${team}" }, orderBy: DUE_AT, first: 10) { edges { node { id } } } }`)).cases;
    expect(ordered.edges.map((e: any) => e.node.id)).toEqual([late.id, risky2.id, risky.id, fine.id, paused.id]);
  });
});
