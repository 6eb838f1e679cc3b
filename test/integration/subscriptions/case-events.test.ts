import { randomUUID } from 'node:crypto';
import { Client as WsClient } from 'graphql-ws';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { collect, gqlOk, startTestApp, TEST_TEAMS, wsClient } from '../../support/test-app';
import { buildPhoneCall } from '../../support/builders';
import { ADD_NOTE, ASSIGN, CLASSIFY, firstError, LOG_PHONE, SUB_CASE_CREATED, SUB_CASE_EVENTS, subscribeLive, TIMELINE, waitFor, waitForNoSubscribers } from './helpers';

type Event = { id: string; cursor: string; caseId: string; type: string; text: string | null };

describe('caseEvents subscription over graphql-ws (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let ws: WsClient;

  beforeAll(async () => {
    const db = await createTestDatabase('sub_events');
    drop = db.drop;
    app = await startTestApp(db.url);
    ws = wsClient(app.url);
  });
  afterAll(async () => {
    await ws?.dispose();
    await app?.stop();
    await drop?.();
  });
  afterEach(async () => {
    await waitForNoSubscribers(app);
  });

  const newComplaint = async () => (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
  /**
   * A new complaint whose CASE_CREATED the event bus has already dispatched (it arrived on a
   * caseCreated subscription), so a live caseEvents subscription opened afterwards cannot get it.
   */
  const settledComplaint = async () => {
    const created = await subscribeLive(app, () => collect<any>(ws, SUB_CASE_CREATED, {}));
    try {
      const c = await newComplaint();
      await waitFor(() => created.errors.length > 0 || created.items.some((i) => i.caseCreated.id === c.id), 'caseCreated of the new case');
      return c;
    } finally {
      created.dispose();
    }
  };
  const timeline = async (id: string): Promise<Event[]> => (await gqlOk(app.url, TIMELINE, { id })).case.timeline.edges.map((e: any) => ({ ...e.node, edgeCursor: e.cursor }));
  const events = (caseId: string, after?: string) =>
    subscribeLive(app, () => collect<{ caseEvents: Event }>(ws, SUB_CASE_EVENTS, after === undefined ? { caseId } : { caseId, after }));
  const received = (sub: { items: { caseEvents: Event }[] }) => sub.items.map((i) => i.caseEvents);
  /** Adds a note and waits until the subscriber has it: everything committed before it has been pushed by then. */
  const sentinel = async (caseId: string, sub: { items: { caseEvents: Event }[]; errors: unknown[] }) => {
    const text = `sentinel ${randomUUID()}`;
    await gqlOk(app.url, ADD_NOTE, { id: caseId, text });
    await waitFor(() => sub.errors.length > 0 || received(sub).some((e) => e.text === text), `the sentinel note "${text}"`);
    expect(sub.errors).toEqual([]);
    return text;
  };

  it('pushes the events of workflow mutations live, in order, with cursors that match the timeline', async () => {
    const c = await settledComplaint();
    const sub = await events(c.id);
    try {
      await gqlOk(app.url, CLASSIFY, { id: c.id, cls: 'NORMATIVE' });
      await gqlOk(app.url, ASSIGN, { id: c.id, who: 'tim-pengaduan-1' });
      await gqlOk(app.url, ADD_NOTE, { id: c.id, text: 'Sudah dikonfirmasi ke Dinas Sosial' });

      const got = (await sub.next(4)).map((i) => i.caseEvents);
      expect(got.map((e) => e.type)).toEqual(['COMPLAINT_CLASSIFIED', 'ASSIGNED', 'STATUS_CHANGED', 'NOTE_ADDED']);
      expect(got.every((e) => e.caseId === c.id)).toBe(true);
      expect(got[3].text).toBe('Sudah dikonfirmasi ke Dinas Sosial');
      expect((got[2] as any).before).toEqual({ status: 'RECEIVED' });
      expect((got[2] as any).after).toEqual({ status: 'IN_PROGRESS' });

      const stored = await timeline(c.id);
      expect(stored.map((e) => e.type)).toEqual(['CASE_CREATED', ...got.map((e) => e.type)]);
      expect(got.map((e) => [e.id, e.cursor])).toEqual(stored.slice(1).map((e: any) => [e.id, e.edgeCursor]));
    } finally {
      sub.dispose();
    }
  });

  it('only pushes events of the subscribed case', async () => {
    const other = await newComplaint();
    const mine = await settledComplaint();
    const sub = await events(mine.id);
    try {
      await gqlOk(app.url, ADD_NOTE, { id: other.id, text: 'catatan kasus lain' });
      await gqlOk(app.url, ADD_NOTE, { id: mine.id, text: 'catatan kasus ini' });
      const [first] = (await sub.next(1)).map((i) => i.caseEvents);
      expect(first).toMatchObject({ caseId: mine.id, type: 'NOTE_ADDED', text: 'catatan kasus ini' });
      await sentinel(mine.id, sub);
      expect(received(sub).every((e) => e.caseId === mine.id)).toBe(true);
    } finally {
      sub.dispose();
    }
  });

  it('with after: <cursor>, replays exactly the missed events first, then continues live', async () => {
    const c = await newComplaint();
    await gqlOk(app.url, CLASSIFY, { id: c.id, cls: 'LIGHT' });
    await gqlOk(app.url, ASSIGN, { id: c.id, who: 'tim-pengaduan-2' });
    await gqlOk(app.url, ADD_NOTE, { id: c.id, text: 'terlewat' });
    const before = await timeline(c.id);
    expect(before.map((e) => e.type)).toEqual(['CASE_CREATED', 'COMPLAINT_CLASSIFIED', 'ASSIGNED', 'STATUS_CHANGED', 'NOTE_ADDED']);
    const cursor = before[1].cursor; // the client saw up to COMPLAINT_CLASSIFIED

    const sub = await events(c.id, cursor);
    try {
      const replayed = (await sub.next(3)).map((i) => i.caseEvents);
      expect(replayed.map((e) => e.id)).toEqual(before.slice(2).map((e) => e.id));

      await gqlOk(app.url, ADD_NOTE, { id: c.id, text: 'langsung' });
      const text = await sentinel(c.id, sub);
      const after = await timeline(c.id);
      // Nothing at or before the cursor, nothing twice, nothing missing: exactly the timeline after the cursor.
      expect(received(sub).map((e) => e.id)).toEqual(after.slice(2).map((e) => e.id));
      expect(received(sub).map((e) => e.text).slice(-2)).toEqual(['langsung', text]);
    } finally {
      sub.dispose();
    }
  });

  it('with after: the cursor of the latest event, replays nothing and continues live', async () => {
    const c = await newComplaint();
    await gqlOk(app.url, CLASSIFY, { id: c.id, cls: 'LIGHT' });
    const before = await timeline(c.id);
    const sub = await events(c.id, before[before.length - 1].cursor);
    try {
      const text = await sentinel(c.id, sub);
      expect(received(sub).map((e) => e.text)).toEqual([text]);
    } finally {
      sub.dispose();
    }
  });

  it('a burst of concurrent mutations while a replaying subscriber connects yields every event exactly once, in order', async () => {
    for (let round = 0; round < 4; round++) {
      const c = await newComplaint();
      await gqlOk(app.url, CLASSIFY, { id: c.id, cls: 'NORMATIVE' });
      const [created] = await timeline(c.id);
      const burst = Promise.all([
        gqlOk(app.url, ASSIGN, { id: c.id, who: TEST_TEAMS[round % TEST_TEAMS.length] }),
        ...Array.from({ length: 20 }, (_, i) => gqlOk(app.url, ADD_NOTE, { id: c.id, text: `burst ${round}.${i}` })),
      ]);
      // Subscribe while the burst is in flight; stagger the start a little from round to round.
      await new Promise((r) => setTimeout(r, round * 5));
      const sub = await events(c.id, created.cursor);
      try {
        await burst;
        await sentinel(c.id, sub);
        const stored = await timeline(c.id);
        expect(stored.length).toBe(2 + 2 + 20 + 1);
        const ids = received(sub).map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(stored.slice(1).map((e) => e.id));
      } finally {
        sub.dispose();
      }
    }
  });

  it('does not push the event at the cursor again when its change notification arrives after the replay (client resumes right after a mutation)', async () => {
    const c = await settledComplaint();
    // Some other client is listening, so this instance's stream is attached to the event bus.
    const bystander = await subscribeLive(app, () => collect<any>(ws, SUB_CASE_CREATED, { filter: { channel: ['LAPOR'] } }));
    // Fault injection, in-process only: hold the event bus's delivery of the next change (as a
    // busy bus or a slow LISTEN connection would), and note when the subscriber's replay is done.
    const repo = (app.services.stream as any).cases as { loadChange: (...a: unknown[]) => Promise<unknown>; eventsAfter: (...a: unknown[]) => Promise<unknown> };
    const { loadChange, eventsAfter } = repo;
    let releaseBus!: () => void;
    const busGate = new Promise<void>((r) => (releaseBus = r));
    let replayDone!: () => void;
    const replayed = new Promise<void>((r) => (replayDone = r));
    repo.loadChange = async (...a) => {
      await busGate;
      return loadChange.apply(repo, a);
    };
    repo.eventsAfter = async (...a) => {
      const r = await eventsAfter.apply(repo, a);
      setImmediate(replayDone);
      return r;
    };
    let sub: Awaited<ReturnType<typeof events>> | undefined;
    try {
      const note = await gqlOk(app.url, `mutation($id: ID!) { addNote(caseId: $id, text: "dilihat klien") { timeline(first: 100) { edges { cursor node { id type } } } } }`, { id: c.id });
      const edges = note.addNote.timeline.edges;
      const seen = edges[edges.length - 1];
      expect(seen.node.type).toBe('NOTE_ADDED');

      // The client already has the note (it is in the mutation's answer) and resumes after it.
      sub = await events(c.id, seen.cursor);
      await replayed;
      repo.loadChange = loadChange;
      repo.eventsAfter = eventsAfter;
      releaseBus();

      const text = await sentinel(c.id, sub);
      expect(received(sub).map((e) => e.id)).not.toContain(seen.node.id);
      expect(received(sub).map((e) => e.text)).toEqual([text]);
    } finally {
      repo.loadChange = loadChange;
      repo.eventsAfter = eventsAfter;
      releaseBus();
      sub?.dispose();
      bystander.dispose();
    }
  });

  it('an unknown caseId fails with CASE_NOT_FOUND', async () => {
    for (const caseId of [randomUUID(), 'bukan-id-kasus']) {
      const sub = collect(ws, SUB_CASE_EVENTS, { caseId });
      try {
        const err = await firstError(sub);
        expect(err).toMatchObject({ extensions: { code: 'CASE_NOT_FOUND' } });
        expect(sub.items).toEqual([]);
      } finally {
        sub.dispose();
      }
    }
  });

  it('an invalid cursor fails with BAD_USER_INPUT', async () => {
    const c = await newComplaint();
    for (const after of ['bukan-kursor', Buffer.from('12abc').toString('base64url'), Buffer.from('2026-01-01T00:00:00.000Z|x').toString('base64url')]) {
      const sub = collect(ws, SUB_CASE_EVENTS, { caseId: c.id, after });
      try {
        const err = await firstError(sub);
        expect(err).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
        expect(sub.items).toEqual([]);
      } finally {
        sub.dispose();
      }
    }
  });
});
