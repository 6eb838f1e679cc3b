import { Client as WsClient } from 'graphql-ws';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { collect, gqlOk, startTestApp, wsClient } from '../../support/test-app';
import { buildComplaintBoxEntry, buildFax, buildPhoneCall, buildWalkIn } from '../../support/builders';
import { LOG_BOX, LOG_FAX, LOG_PHONE, LOG_WALK_IN, SUB_CASE_CREATED, subscribeLive, waitFor, waitForNoSubscribers } from './helpers';

describe('caseCreated subscription over graphql-ws (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let ws: WsClient;

  beforeAll(async () => {
    const db = await createTestDatabase('sub_created');
    drop = db.drop;
    app = await startTestApp(db.url);
    ws = wsClient(app.url);
  });
  afterAll(async () => {
    await ws?.dispose();
    await app?.stop();
    await drop?.();
  });

  // Every test disposes its subscriptions; the server must release their listeners.
  afterEach(async () => {
    await waitForNoSubscribers(app);
  });

  const live = (filter?: Record<string, unknown>) => subscribeLive(app, () => collect<any>(ws, SUB_CASE_CREATED, filter ? { filter } : {}));

  it('pushes every case logged over HTTP, on every desk channel, with its reference and channel', async () => {
    const sub = await live();
    try {
      const phone = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
      const fax = (await gqlOk(app.url, LOG_FAX, { input: buildFax() })).logFax;
      const walkIn = (await gqlOk(app.url, LOG_WALK_IN, { input: buildWalkIn() })).logWalkIn;
      const box = (await gqlOk(app.url, LOG_BOX, { input: buildComplaintBoxEntry() })).registerComplaintBoxEntry;

      const got = await sub.next(4);
      expect(got.map((g) => g.caseCreated)).toEqual([
        { id: phone.id, reference: phone.reference, kind: 'COMPLAINT', channel: 'PHONE', subject: phone.subject, status: 'RECEIVED' },
        { id: fax.id, reference: fax.reference, kind: 'COMPLAINT', channel: 'FAX', subject: fax.subject, status: 'RECEIVED' },
        { id: walkIn.id, reference: walkIn.reference, kind: 'INFORMATION_REQUEST', channel: 'WALK_IN', subject: walkIn.subject, status: 'RECEIVED' },
        { id: box.id, reference: box.reference, kind: 'COMPLAINT', channel: 'COMPLAINT_BOX', subject: box.subject, status: 'RECEIVED' },
      ]);
      expect(phone.reference).toMatch(/^ADU-\d{4}-\d{6}$/);
      expect(walkIn.reference).toMatch(/^PDI-\d{4}-\d{6}$/);
      expect(sub.errors).toEqual([]);
    } finally {
      sub.dispose();
    }
  });

  it('with filter kind: [INFORMATION_REQUEST], a complaint logged first never arrives; the information request does', async () => {
    const filtered = await live({ kind: ['INFORMATION_REQUEST'] });
    const all = await live();
    try {
      const complaint = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall({ kind: 'COMPLAINT' }) })).logPhoneCall;
      const request = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall({ kind: 'INFORMATION_REQUEST' }) })).logPhoneCall;

      // The unfiltered subscriber proves both changes were delivered to this instance, in order.
      const everything = await all.next(2);
      expect(everything.map((g) => g.caseCreated.id)).toEqual([complaint.id, request.id]);

      const [first] = await filtered.next(1);
      expect(first.caseCreated).toMatchObject({ id: request.id, reference: request.reference, kind: 'INFORMATION_REQUEST', channel: 'PHONE' });
      expect(filtered.items.map((g: any) => g.caseCreated.id)).not.toContain(complaint.id);
    } finally {
      filtered.dispose();
      all.dispose();
    }
  });

  it('with filter channel: [FAX], a phone call logged first never arrives; the fax does', async () => {
    const sub = await live({ channel: ['FAX'] });
    try {
      const call = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
      const walkIn = (await gqlOk(app.url, LOG_WALK_IN, { input: buildWalkIn() })).logWalkIn;
      const fax = (await gqlOk(app.url, LOG_FAX, { input: buildFax() })).logFax;

      const [first] = await sub.next(1);
      expect(first.caseCreated).toMatchObject({ id: fax.id, reference: fax.reference, channel: 'FAX' });
      const ids = sub.items.map((g: any) => g.caseCreated.id);
      expect(ids).not.toContain(call.id);
      expect(ids).not.toContain(walkIn.id);
    } finally {
      sub.dispose();
    }
  });

  it('combines filter fields: kind COMPLAINT and channel FAX lets through only complaint faxes', async () => {
    const sub = await live({ kind: ['COMPLAINT'], channel: ['FAX'] });
    try {
      const infoFax = (await gqlOk(app.url, LOG_FAX, { input: buildFax({ kind: 'INFORMATION_REQUEST' }) })).logFax;
      const complaintCall = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall({ kind: 'COMPLAINT' }) })).logPhoneCall;
      const complaintFax = (await gqlOk(app.url, LOG_FAX, { input: buildFax({ kind: 'COMPLAINT' }) })).logFax;

      const [first] = await sub.next(1);
      expect(first.caseCreated).toMatchObject({ id: complaintFax.id, kind: 'COMPLAINT', channel: 'FAX' });
      const ids = sub.items.map((g: any) => g.caseCreated.id);
      expect(ids).not.toContain(infoFax.id);
      expect(ids).not.toContain(complaintCall.id);
    } finally {
      sub.dispose();
    }
  });

  it('an idempotent replay (same idempotencyKey) returns the same case and pushes no second caseCreated', async () => {
    const sub = await live();
    try {
      const input = buildPhoneCall({ idempotencyKey: `replay-${Date.now()}-${Math.random()}` });
      const original = (await gqlOk(app.url, LOG_PHONE, { input })).logPhoneCall;
      const replay = (await gqlOk(app.url, LOG_PHONE, { input })).logPhoneCall;
      expect(replay.id).toBe(original.id);
      expect(replay.reference).toBe(original.reference);

      // A sentinel logged after the replay: once it arrives, anything the replay pushed would have arrived before it.
      const sentinel = (await gqlOk(app.url, LOG_FAX, { input: buildFax() })).logFax;
      await waitFor(() => sub.items.some((g: any) => g.caseCreated.id === sentinel.id) || sub.errors.length > 0, 'the sentinel case');
      expect(sub.errors).toEqual([]);
      expect(sub.items.map((g: any) => g.caseCreated.id)).toEqual([original.id, sentinel.id]);
    } finally {
      sub.dispose();
    }
  });

  it('concurrent replays of one idempotencyKey create one case and push exactly one caseCreated', async () => {
    const sub = await live();
    try {
      const input = buildFax({ idempotencyKey: `concurrent-${Date.now()}-${Math.random()}` });
      const answers = await Promise.all(Array.from({ length: 5 }, () => gqlOk(app.url, LOG_FAX, { input })));
      const ids = new Set(answers.map((a) => a.logFax.id));
      expect(ids.size).toBe(1);
      const [id] = [...ids];

      const sentinel = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
      await waitFor(() => sub.items.some((g: any) => g.caseCreated.id === sentinel.id) || sub.errors.length > 0, 'the sentinel case');
      expect(sub.errors).toEqual([]);
      expect(sub.items.map((g: any) => g.caseCreated.id)).toEqual([id, sentinel.id]);
      expect(sub.items[0].caseCreated.reference).toBe(answers[0].logFax.reference);
    } finally {
      sub.dispose();
    }
  });

  it('a burst of concurrent intakes pushes each new case exactly once, with the reference its caller was given', async () => {
    const sub = await live();
    try {
      const answers = await Promise.all([
        ...Array.from({ length: 8 }, () => gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() }).then((d) => d.logPhoneCall)),
        ...Array.from({ length: 4 }, () => gqlOk(app.url, LOG_WALK_IN, { input: buildWalkIn() }).then((d) => d.logWalkIn)),
      ]);
      await sub.next(answers.length);
      const sentinel = (await gqlOk(app.url, LOG_BOX, { input: buildComplaintBoxEntry() })).registerComplaintBoxEntry;
      await waitFor(() => sub.items.some((g: any) => g.caseCreated.id === sentinel.id) || sub.errors.length > 0, 'the sentinel case');
      expect(sub.errors).toEqual([]);

      const pushed = sub.items.map((g: any) => g.caseCreated).filter((c: any) => c.id !== sentinel.id);
      expect(pushed).toHaveLength(answers.length);
      const byId = new Map(pushed.map((c: any) => [c.id, c]));
      expect(byId.size).toBe(answers.length);
      for (const a of answers) expect(byId.get(a.id)).toMatchObject({ reference: a.reference, channel: a.channel, kind: a.kind });
      expect(new Set(answers.map((a) => a.reference)).size).toBe(answers.length);
    } finally {
      sub.dispose();
    }
  });

  it('stops pushing to a subscriber once it unsubscribes (its server-side listener is released)', async () => {
    const gone = await live();
    const stays = await live();
    try {
      gone.dispose();
      await waitFor(() => app.services.stream.subscriberCount === 1, 'the disposed listener to be released');
      const c = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
      const [got] = await stays.next(1);
      expect(got.caseCreated.id).toBe(c.id);
      expect(gone.items).toEqual([]);
    } finally {
      stays.dispose();
    }
  });
});
