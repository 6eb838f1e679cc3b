import { Client } from 'pg';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { as, gql, gqlOk, ManualClock, startTestApp } from '../../support/test-app';
import { buildPhoneCall, buildRequester, buildWalkIn } from '../../support/builders';

const NIK = '6171015208850003';
const CASE = `query($id: ID!) { case(id: $id) { status anonymous identityHidden requesterErasedAt requester { name } channelDetails { name }
  timeline(first: 50) { edges { node { type after } } } } }`;

describe('erasure on request and retention (real PostgreSQL)', () => {
  let app: LoketApp;
  let dbUrl: string;
  let drop: () => Promise<void>;
  const clock = new ManualClock(new Date('2026-02-02T02:00:00Z'));

  beforeAll(async () => {
    const db = await createTestDatabase('privacy');
    drop = db.drop;
    dbUrl = db.url;
    app = await startTestApp(db.url, clock);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  const logCall = async (requester: Record<string, unknown>) =>
    (await gqlOk(app.url, `mutation($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { id } }`, { i: buildPhoneCall({ requester }) })).logPhoneCall.id as string;

  it("erases a person's identity from all their cases (same NIK, email or phone), keeps the cases, audits it", async () => {
    const person = buildRequester({ name: 'Rahmat Hidayat', nik: NIK, email: 'rahmat@example.id', phone: '0813-1111-2222' });
    const byNik = await logCall({ name: 'R. Hidayat', nik: NIK });
    const byEmail = await logCall({ email: 'Rahmat@Example.id' });
    const byPhone = await logCall({ phone: '+62 813 1111 2222' });
    const full = await logCall(person);
    const someoneElse = await logCall(buildRequester({ nik: '6171014505900002', email: 'lain@example.id', phone: '0812-9999-0000' }));
    const info = (await gqlOk(app.url, `mutation($i: LogWalkInInput!) { logWalkIn(input: $i) { id } }`, { i: buildWalkIn({ requester: person }) })).logWalkIn.id;

    const short = await gql(as(app, 'ADMIN'), `mutation($id: ID!) { eraseRequester(caseId: $id, reason: "no") }`, { id: full });
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const officer = await gql(app.url, `mutation($id: ID!) { eraseRequester(caseId: $id, reason: "permintaan pelapor") }`, { id: full });
    expect(officer.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const erased = await gqlOk(as(app, 'ADMIN'), `mutation($id: ID!) { eraseRequester(caseId: $id, reason: "Permintaan penghapusan data oleh pelapor") }`, { id: full });
    expect(erased.eraseRequester).toBe(5);

    for (const id of [byNik, byEmail, byPhone, full, info]) {
      const c = (await gqlOk(app.url, CASE, { id })).case;
      expect(c).toMatchObject({ anonymous: true, identityHidden: false, requester: null, channelDetails: [] });
      expect(c.requesterErasedAt).toBe('2026-02-02T02:00:00.000Z');
      expect(c.timeline.edges.map((e: any) => e.node.type)).toContain('IDENTITY_ERASED');
    }
    expect((await gqlOk(app.url, CASE, { id: someoneElse })).case.requester).not.toBeNull();

    const pg = new Client({ connectionString: dbUrl });
    await pg.connect();
    try {
      const rows = await pg.query(`SELECT c::text AS row FROM cases c WHERE id = ANY($1::uuid[])`, [[byNik, byEmail, byPhone, full, info]]);
      for (const r of rows.rows) {
        for (const secret of ['Hidayat', 'rahmat@', '81311112222', 'v1.']) expect(r.row).not.toContain(secret);
      }
    } finally {
      await pg.end();
    }
    const audit = await gqlOk(as(app, 'SUPERVISOR'), `query($id: ID!) { auditLog(caseId: $id) { entries { action reason details } } }`, { id: full });
    expect(audit.auditLog.entries).toContainEqual({ action: 'IDENTITY_ERASED', reason: 'Permintaan penghapusan data oleh pelapor', details: { cases: 5 } });
  });

  it('retention anonymizes requesters of cases finished more than N months ago, and nothing else', async () => {
    const old = await logCall(buildRequester({ nik: '6171016009800004', email: 'lama@example.id', phone: '0811-0000-1111' }));
    const oldOpen = await logCall(buildRequester({ email: 'masih.buka@example.id' }));
    await gqlOk(app.url, `mutation($id: ID!) { rejectCase(caseId: $id, reason: WITHDRAWN) { id } }`, { id: old });

    clock.set('2026-06-01T02:00:00Z');
    const recent = await logCall(buildRequester({ email: 'baru@example.id' }));
    await gqlOk(app.url, `mutation($id: ID!) { rejectCase(caseId: $id, reason: WITHDRAWN) { id } }`, { id: recent });

    clock.set('2026-09-01T02:00:00Z'); // the old case finished 7 months ago, the recent one 3
    const n = await app.services.privacy.runRetention(6);
    expect(n).toBe(1);
    expect((await gqlOk(app.url, CASE, { id: old })).case).toMatchObject({ anonymous: true, requester: null });
    expect((await gqlOk(app.url, CASE, { id: recent })).case.requester).not.toBeNull();
    expect((await gqlOk(app.url, CASE, { id: oldOpen })).case.requester).not.toBeNull();
    const oldTimeline = (await gqlOk(app.url, CASE, { id: old })).case.timeline.edges.map((e: any) => e.node);
    expect(oldTimeline[oldTimeline.length - 1]).toMatchObject({ type: 'IDENTITY_ERASED', after: { reason: 'RETENTION' } });
    // A second run finds nothing more to do.
    expect(await app.services.privacy.runRetention(6)).toBe(0);
  });
});
