import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { gql, gqlOk, ManualClock, startTestApp } from '../../support/test-app';
import { buildComplaintBoxEntry, buildFax, buildPhoneCall, buildWalkIn } from '../../support/builders';

const CASES = `query($filter: CaseFilter, $first: Int, $after: String) {
  cases(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id reference channel kind status receivedAt overdue } }
  }
}`;

describe('cases query: filters, full-text search, keyset pagination (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  const clock = new ManualClock(new Date('2026-05-04T02:00:00Z')); // Mon 09:00 WIB
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const db = await createTestDatabase('query');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
    const log = async (name: string, mutation: string, type: string, input: Record<string, unknown>) => {
      const r = await gqlOk(app.url, `mutation($i: ${type}!) { ${mutation}(input: $i) { id } }`, { i: input });
      ids[name] = r[mutation].id;
    };
    // Received at distinct times, an hour apart, oldest first.
    const at = (h: number) => new Date(Date.UTC(2026, 4, 4, 0, Math.round((h - 7) * 60))).toISOString();
    await log('road', 'logPhoneCall', 'LogPhoneCallInput', buildPhoneCall({ subject: 'Jalan rusak di depan panti asuhan', receivedAt: at(7) }));
    await log('fax', 'logFax', 'LogFaxInput', buildFax({ subject: 'Permohonan bantuan rumah ibadah', receivedAt: at(8) }));
    await log('data', 'logWalkIn', 'LogWalkInInput', buildWalkIn({ subject: 'Data penerima beasiswa 2025', receivedAt: at(8.5) }));
    await log('box', 'registerComplaintBoxEntry', 'ComplaintBoxEntryInput', buildComplaintBoxEntry({
      subject: 'Petugas tidak ramah', description: 'Pelayanan di loket lambat dan petugasnya membentak', receivedAt: at(9),
    }));
    for (let i = 0; i < 7; i++) {
      await log(`bulk${i}`, 'registerComplaintBoxEntry', 'ComplaintBoxEntryInput', buildComplaintBoxEntry({ receivedAt: at(7 - (i + 1) / 10) }));
    }
    await gqlOk(app.url, `mutation($id: ID!) { addNote(caseId: $id, text: "Koordinasi dengan Dinas Pendidikan soal beasiswa") { id } }`, { id: ids.fax });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  const list = async (variables: Record<string, unknown>) => (await gqlOk(app.url, CASES, variables)).cases;

  it('lists newest received first with a total count', async () => {
    const c = await list({ first: 3 });
    expect(c.totalCount).toBe(11);
    expect(c.edges.map((e: any) => e.node.id)).toEqual([ids.box, ids.data, ids.fax]);
    expect(c.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('pages with cursors without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const c: any = await list({ first: 4, after });
      seen.push(...c.edges.map((e: any) => e.node.id));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(11);
    expect(new Set(seen).size).toBe(11);
    const all = await list({ first: 100 });
    expect(seen).toEqual(all.edges.map((e: any) => e.node.id));
  });

  it('filters by kind, channel and status', async () => {
    expect((await list({ filter: { kind: ['INFORMATION_REQUEST'] } })).edges.map((e: any) => e.node.id)).toEqual([ids.data]);
    expect((await list({ filter: { channel: ['FAX', 'PHONE'] } })).edges.map((e: any) => e.node.id)).toEqual([ids.fax, ids.road]);
    expect((await list({ filter: { status: ['INCOMPLETE'] } })).totalCount).toBe(0);
  });

  it('filters by received time window', async () => {
    const c = await list({ filter: { receivedFrom: '2026-05-04T08:00:00+07:00', receivedTo: '2026-05-04T09:00:00+07:00' } });
    expect(c.edges.map((e: any) => e.node.id)).toEqual([ids.data, ids.fax]);
  });

  it('finds cases by Indonesian full text, stemmed, including timeline notes', async () => {
    // "pelayanan" and "layan" share the stem; "membentak" only occurs in the description.
    expect((await list({ filter: { text: 'layanan' } })).edges.map((e: any) => e.node.id)).toEqual([ids.box]);
    expect((await list({ filter: { text: 'membentak' } })).edges.map((e: any) => e.node.id)).toEqual([ids.box]);
    // Only in a note on the fax case and in the walk-in subject.
    expect((await list({ filter: { text: 'beasiswa' } })).edges.map((e: any) => e.node.id).sort()).toEqual([ids.data, ids.fax].sort());
    expect((await list({ filter: { text: 'tidak-ada-kata-ini' } })).totalCount).toBe(0);
  });

  it('filters overdue open cases as the clock moves', async () => {
    expect((await list({ filter: { overdue: true } })).totalCount).toBe(0);
    clock.set('2026-05-20T02:00:00Z');
    try {
      const overdue = await list({ filter: { overdue: true }, first: 100 });
      expect(overdue.totalCount).toBe(11);
      expect(overdue.edges.every((e: any) => e.node.overdue)).toBe(true);
      await gqlOk(app.url, `mutation($id: ID!) { rejectCase(caseId: $id, reason: WITHDRAWN) { id } }`, { id: ids.road });
      expect((await list({ filter: { overdue: true } })).totalCount).toBe(10);
      expect((await list({ filter: { overdue: false } })).edges.map((e: any) => e.node.id)).toEqual([ids.road]);
    } finally {
      clock.set('2026-05-04T02:00:00Z');
    }
  });

  it('finds one case by id or by reference typed loosely', async () => {
    const byId = await gqlOk(app.url, `query($id: ID!) { case(id: $id) { reference } }`, { id: ids.box });
    const ref: string = byId.case.reference;
    const byRef = await gqlOk(app.url, `query($r: String!) { case(reference: $r) { id } }`, { r: ` ${ref.toLowerCase()} ` });
    expect(byRef.case.id).toBe(ids.box);
  });

  it.each([
    ['a bad cursor', { after: 'bm9wZQ' }, 'after'],
    ['a page too large', { first: 1000 }, 'first'],
    ['a reversed window', { filter: { receivedFrom: '2026-05-05T00:00:00Z', receivedTo: '2026-05-04T00:00:00Z' } }, 'filter.receivedTo'],
  ])('refuses %s with BAD_USER_INPUT', async (_n, variables, field) => {
    const r = await gql(app.url, CASES, variables);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a malformed reference and asks for exactly one of id/reference', async () => {
    const bad = await gql(app.url, `{ case(reference: "nomor saya 12") { id } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reference' });
    const none = await gql(app.url, `{ case { id } }`);
    expect(none.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
