import { Client as WsClient } from 'graphql-ws';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { buildPhoneCall, buildWalkIn } from '../../support/builders';
import { as, gql, gqlOk, HANDLER_TEAM, startTestApp } from '../../support/test-app';
import { codes, LiveSub, subscribe, subscribeLive, trackedWsClient, waitFor } from './support';

const OTHER_TEAM = 'tim-pengaduan-2';

const LOG_PHONE = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id reference kind status } }`;
const LOG_WALK_IN = `mutation($input: LogWalkInInput!) { logWalkIn(input: $input) { id reference kind status } }`;
const ASSIGN = `mutation($id: ID!, $who: String!) { assignCase(caseId: $id, team: $who) { id assignee } }`;
const ADD_NOTE = `mutation($id: ID!, $text: String!) { addNote(caseId: $id, text: $text) { id } }`;
const ANSWER = `mutation($id: ID!, $answer: AnswerInput!) { answerCase(caseId: $id, answer: $answer) { id status answer { text deliveredVia } } }`;
const CLOSE = `mutation($id: ID!) { closeCase(caseId: $id) { id status } }`;
const CASE = `query($id: ID, $reference: String) { case(id: $id, reference: $reference) { id assignee status timeline(first: 100) { edges { node { type text } } } } }`;
const CASES = `query($filter: CaseFilter) { cases(first: 100, filter: $filter) { totalCount edges { node { id assignee } } } }`;
const SUB_EVENTS = `subscription($caseId: ID) { caseEvents(caseId: $caseId) { id caseId type text } }`;
const SUB_CREATED = `subscription { caseCreated { id reference } }`;

describe('a HANDLER works only the cases of their team (real server, real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  const sockets: WsClient[] = [];
  let ownCase: { id: string; reference: string };
  let otherCase: { id: string; reference: string };
  let unassignedCase: { id: string; reference: string };

  const logComplaint = async (): Promise<{ id: string; reference: string }> =>
    (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall({ kind: 'COMPLAINT' }) })).logPhoneCall;
  const ws = (role: 'HANDLER' | 'COMPLAINT_OFFICER'): WsClient => {
    const c = trackedWsClient(app.url, as(app, role).token).client;
    sockets.push(c);
    return c;
  };
  const notesOf = async (id: string): Promise<string[]> =>
    (await gqlOk(app.url, CASE, { id })).case.timeline.edges.filter((e: any) => e.node.type === 'NOTE_ADDED').map((e: any) => e.node.text);

  beforeAll(async () => {
    const db = await createTestDatabase('acl_handler');
    drop = db.drop;
    app = await startTestApp(db.url, undefined, { wsAuthRecheckSeconds: 3600 });
    ownCase = await logComplaint();
    otherCase = await logComplaint();
    unassignedCase = await logComplaint();
    // Assigned by the complaint officer (the default target of app.url).
    await gqlOk(app.url, ASSIGN, { id: ownCase.id, who: HANDLER_TEAM });
    await gqlOk(app.url, ASSIGN, { id: otherCase.id, who: OTHER_TEAM });
  });
  afterAll(async () => {
    for (const s of sockets) await s.dispose();
    await app?.stop();
    await drop?.();
  });

  describe('reading', () => {
    it('cases lists only the cases assigned to the handler team', async () => {
      const officer = (await gqlOk(app.url, CASES)).cases;
      expect(officer.edges.map((e: any) => e.node.id)).toEqual(expect.arrayContaining([ownCase.id, otherCase.id, unassignedCase.id]));

      const r = (await gqlOk(as(app, 'HANDLER'), CASES)).cases;
      const ids = r.edges.map((e: any) => e.node.id);
      expect(ids).toContain(ownCase.id);
      expect(ids).not.toContain(otherCase.id);
      expect(ids).not.toContain(unassignedCase.id);
      expect(r.edges.every((e: any) => e.node.assignee === HANDLER_TEAM)).toBe(true);
      expect(r.totalCount).toBe(ids.length);
    });

    it('filtering cases by another team gives the handler nothing', async () => {
      const r = (await gqlOk(as(app, 'HANDLER'), CASES, { filter: { assignee: OTHER_TEAM } })).cases;
      expect(r).toEqual({ totalCount: 0, edges: [] });
      // ... while the officer does see that team's case with the same filter.
      const officer = (await gqlOk(app.url, CASES, { filter: { assignee: OTHER_TEAM } })).cases;
      expect(officer.edges.map((e: any) => e.node.id)).toContain(otherCase.id);
    });

    it('case(id) of another team, or of no team, is null; of their own team it is the case', async () => {
      expect((await gqlOk(as(app, 'HANDLER'), CASE, { id: otherCase.id })).case).toBeNull();
      expect((await gqlOk(as(app, 'HANDLER'), CASE, { id: unassignedCase.id })).case).toBeNull();
      expect((await gqlOk(as(app, 'HANDLER'), CASE, { reference: otherCase.reference })).case).toBeNull();
      expect((await gqlOk(as(app, 'HANDLER'), CASE, { id: ownCase.id })).case).toMatchObject({ id: ownCase.id, assignee: HANDLER_TEAM });
    });
  });

  describe('working', () => {
    it('addNote on another team\'s case is FORBIDDEN and changes nothing', async () => {
      const r = await gql(as(app, 'HANDLER'), ADD_NOTE, { id: otherCase.id, text: 'catatan dari tim lain' });
      expect(codes(r)).toEqual(['FORBIDDEN']);
      expect(r.data?.addNote ?? null).toBeNull();
      expect(await notesOf(otherCase.id)).not.toContain('catatan dari tim lain');
    });

    it('addNote on an unassigned case is FORBIDDEN', async () => {
      const r = await gql(as(app, 'HANDLER'), ADD_NOTE, { id: unassignedCase.id, text: 'catatan tanpa tim' });
      expect(codes(r)).toEqual(['FORBIDDEN']);
    });

    it('addNote on their own team\'s case works', async () => {
      const r = await gql(as(app, 'HANDLER'), ADD_NOTE, { id: ownCase.id, text: 'sudah dihubungi oleh tim' });
      expect(r.errors).toBeUndefined();
      expect(r.data!.addNote.id).toBe(ownCase.id);
      expect(await notesOf(ownCase.id)).toContain('sudah dihubungi oleh tim');
    });
  });

  describe('subscriptions', () => {
    let live: LiveSub[] = [];
    afterEach(async () => {
      live.forEach((s) => s.dispose());
      live = [];
      await waitFor(() => app.services.stream.subscriberCount === 0, 'all subscriptions to be released');
    });

    it('caseEvents without caseId delivers events of the team\'s cases only', async () => {
      const sub = await subscribeLive(app, ws('HANDLER'), SUB_EVENTS, {});
      live.push(sub);
      await gqlOk(app.url, ADD_NOTE, { id: otherCase.id, text: 'untuk tim lain' });
      await gqlOk(app.url, ADD_NOTE, { id: unassignedCase.id, text: 'belum ada tim' });
      const newcomer = await logComplaint();
      // Sentinel: an event on the team's case, made after all the others.
      await gqlOk(app.url, ADD_NOTE, { id: ownCase.id, text: 'sentinel tim sendiri' });

      await waitFor(() => sub.items.some((i) => i.caseEvents.text === 'sentinel tim sendiri') || sub.errors.length > 0, 'the team case event');
      expect(sub.errors).toEqual([]);
      const caseIds = new Set(sub.items.map((i) => i.caseEvents.caseId));
      expect([...caseIds]).toEqual([ownCase.id]);
      expect(sub.items.map((i) => i.caseEvents.caseId)).not.toContain(newcomer.id);
    });

    it('caseEvents for another team\'s caseId is refused (CASE_NOT_FOUND), for their own it is live', async () => {
      const refused = subscribe(ws('HANDLER'), SUB_EVENTS, { caseId: otherCase.id });
      live.push(refused);
      await waitFor(() => refused.errors.length > 0 || refused.items.length > 0 || refused.completed, 'the refusal');
      expect(refused.errors.map((e: any) => e?.extensions?.code)).toEqual(['CASE_NOT_FOUND']);

      const own = await subscribeLive(app, ws('HANDLER'), SUB_EVENTS, { caseId: ownCase.id });
      live.push(own);
      await gqlOk(app.url, ADD_NOTE, { id: ownCase.id, text: 'langsung ke kasus ini' });
      await waitFor(() => own.items.length > 0 || own.errors.length > 0, 'the event on the own case');
      expect(own.errors).toEqual([]);
      expect(own.items[0].caseEvents).toMatchObject({ caseId: ownCase.id, type: 'NOTE_ADDED', text: 'langsung ke kasus ini' });
    });

    it('caseCreated delivers nothing to a handler for new unassigned cases (sentinel on caseEvents)', async () => {
      const handlerSocket = ws('HANDLER');
      const handlerCreated = await subscribeLive(app, handlerSocket, SUB_CREATED);
      live.push(handlerCreated);
      const handlerEvents = await subscribeLive(app, handlerSocket, SUB_EVENTS, {});
      live.push(handlerEvents);
      const officerCreated = await subscribeLive(app, ws('COMPLAINT_OFFICER'), SUB_CREATED);
      live.push(officerCreated);

      const fresh = await logComplaint();
      await waitFor(() => officerCreated.items.some((i) => i.caseCreated.id === fresh.id) || officerCreated.errors.length > 0, 'the officer to get the new case');
      expect(officerCreated.errors).toEqual([]);

      // The handler's own stream proves delivery to them got past the new case.
      await gqlOk(app.url, ADD_NOTE, { id: ownCase.id, text: 'sentinel setelah kasus baru' });
      await waitFor(
        () => handlerEvents.items.some((i) => i.caseEvents.text === 'sentinel setelah kasus baru') || handlerEvents.errors.length > 0,
        'the team case event on the handler caseEvents',
      );
      expect(handlerEvents.errors).toEqual([]);
      expect(handlerCreated.errors).toEqual([]);
      expect(handlerCreated.items).toEqual([]);
      expect(handlerEvents.items.map((i) => i.caseEvents.caseId)).not.toContain(fresh.id);
    });
  });

  describe('CLERK answers and closes information requests, not complaints', () => {
    const answer = { text: 'Data sudah diserahkan', deliveredVia: 'IN_PERSON' };

    it('answerCase and closeCase on an information request work for a CLERK', async () => {
      const request = (await gqlOk(app.url, LOG_WALK_IN, { input: buildWalkIn() })).logWalkIn;
      expect(request.kind).toBe('INFORMATION_REQUEST');
      const answered = await gql(as(app, 'CLERK'), ANSWER, { id: request.id, answer });
      expect(answered.errors).toBeUndefined();
      expect(answered.data!.answerCase).toMatchObject({ id: request.id, status: 'ANSWERED', answer });
      const closed = await gql(as(app, 'CLERK'), CLOSE, { id: request.id });
      expect(closed.errors).toBeUndefined();
      expect(closed.data!.closeCase).toEqual({ id: request.id, status: 'CLOSED' });
    });

    it('answerCase on a complaint is FORBIDDEN for a CLERK and changes nothing', async () => {
      const complaint = await logComplaint();
      const r = await gql(as(app, 'CLERK'), ANSWER, { id: complaint.id, answer });
      expect(codes(r)).toEqual(['FORBIDDEN']);
      expect((await gqlOk(app.url, CASE, { id: complaint.id })).case.status).toBe('RECEIVED');
      // The same answer by the complaint officer is fine: only the role was the problem.
      expect((await gqlOk(app.url, ANSWER, { id: complaint.id, answer })).answerCase.status).toBe('ANSWERED');
    });

    it('closeCase on an answered complaint is FORBIDDEN for a CLERK; the officer may close it', async () => {
      const complaint = await logComplaint();
      await gqlOk(app.url, ANSWER, { id: complaint.id, answer });
      const r = await gql(as(app, 'CLERK'), CLOSE, { id: complaint.id });
      expect(codes(r)).toEqual(['FORBIDDEN']);
      expect((await gqlOk(app.url, CASE, { id: complaint.id })).case.status).toBe('ANSWERED');
      expect((await gqlOk(app.url, CLOSE, { id: complaint.id })).closeCase.status).toBe('CLOSED');
    });
  });
});
