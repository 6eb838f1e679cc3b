import { PDFParse } from 'pdf-parse';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { anonymous, as, gql, gqlOk, HANDLER_TEAM, ManualClock, startTestApp } from '../../support/test-app';
import { buildComplaintBoxEntry, buildWalkIn } from '../../support/builders';

const OPEN_BOX = `mutation($input: ComplaintBoxOpeningInput!) { recordComplaintBoxOpening(input: $input) { id openedAt openedBy witnesses cases { id reference } } }`;
const RECORD_VISIT = `mutation($input: VisitInput!) { recordVisit(input: $input) { id name institution purpose visitedAt caseId caseReference } }`;
const GUEST_BOOK = `query($date: String!) { guestBook(date: $date) { name visitedAt } }`;
const LOG_WALK_IN = `mutation($input: LogWalkInInput!) { logWalkIn(input: $input) { id reference status dueAt requirements { missing } } }`;
const UPDATE_REQ = `mutation($id: ID!, $r: RequirementsInput!) { updateRequirements(caseId: $id, requirements: $r) { status dueAt requirements { missing } } }`;

describe('desk channels: complaint box, guest book, requirement scans, receipt (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  // Tue 2026-03-10 10:00 WIB.
  const clock = new ManualClock(new Date('2026-03-10T03:00:00Z'));
  /** A scan uploaded by the clerk (POST /files): the clerk's own upload, theirs to attach. */
  const scan = async (text: string): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(`%PDF-1.4 ${text}`)]), 'scan.pdf');
    const res = await fetch(`${app.url.replace('/graphql', '')}/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${as(app, 'CLERK').token}` } });
    if (res.status !== 201) throw new Error(`upload failed: ${res.status}`);
    return ((await res.json()) as { id: string }).id;
  };
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number(((await app.db.dataSource.query(sql, params)) as { n: string }[])[0].n);
  const receipt = (id: string, token: string | null) =>
    fetch(`${app.url.replace('/graphql', '')}/cases/${id}/receipt.pdf`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    const db = await createTestDatabase('desk');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('a box opening with 3 entries makes 3 COMPLAINT_BOX cases received at the opening time, with their scans attached', async () => {
    const files = [await scan('a'), await scan('b')];
    const input = {
      openedAt: '2026-03-09T08:00:00+07:00',
      openedBy: 'Budi',
      witnesses: ['Ani', 'Joko'],
      entries: [buildComplaintBoxEntry({ scanFileIds: files }), buildComplaintBoxEntry(), buildComplaintBoxEntry({ requester: { name: 'Rahmat' } })],
    };
    const { recordComplaintBoxOpening: o } = await gqlOk(as(app, 'CLERK'), OPEN_BOX, { input });
    expect(o).toMatchObject({ openedBy: 'Budi', witnesses: ['Ani', 'Joko'], openedAt: '2026-03-09T01:00:00.000Z' });
    expect(o.cases).toHaveLength(3);
    for (const c of o.cases) {
      const { case: k } = await gqlOk(app.url, `query($id: ID!) { case(id: $id) { channel receivedAt reference } }`, { id: c.id });
      expect(k).toMatchObject({ channel: 'COMPLAINT_BOX', receivedAt: '2026-03-09T01:00:00.000Z', reference: c.reference });
    }
    expect(await count(`SELECT count(*) AS n FROM case_attachments WHERE case_id = $1::uuid AND source = 'COMPLAINT_BOX'`, [o.cases[0].id])).toBe(2);
  });

  it('an invalid entry (or an unknown scan) stores nothing and names the entry', async () => {
    const before = await count(`SELECT count(*) AS n FROM cases`);
    const r = await gql(as(app, 'CLERK'), OPEN_BOX, {
      input: { openedAt: '2026-03-09T08:00:00+07:00', openedBy: 'Budi', entries: [buildComplaintBoxEntry(), buildComplaintBoxEntry(), buildComplaintBoxEntry({ subject: '  ' })] },
    });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'entries[2].subject' });
    const r2 = await gql(as(app, 'CLERK'), OPEN_BOX, {
      input: { openedAt: '2026-03-09T08:00:00+07:00', openedBy: 'Budi', entries: [buildComplaintBoxEntry({ scanFileIds: ['f'.repeat(64)] })] },
    });
    expect(r2.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'entries[0].scanFileIds[0]' });
    expect(await count(`SELECT count(*) AS n FROM cases`)).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM box_openings WHERE opened_by = 'Budi'`)).toBe(1);
  });

  it('the same idempotency key returns the same opening and cases; concurrent retries create nothing twice', async () => {
    const input = { openedAt: '2026-03-10T07:45:00+07:00', openedBy: 'Sari', idempotencyKey: 'kotak-2026-03-10', entries: [buildComplaintBoxEntry(), buildComplaintBoxEntry()] };
    const results = await Promise.all([1, 2, 3].map(() => gqlOk(as(app, 'CLERK'), OPEN_BOX, { input })));
    const first = results[0].recordComplaintBoxOpening;
    for (const r of results) expect(r.recordComplaintBoxOpening).toEqual(first);
    expect(await count(`SELECT count(*) AS n FROM box_opening_entries e JOIN box_openings o ON o.id = e.opening_id WHERE o.opened_by = 'Sari'`)).toBe(2);
    const reused = await gql(as(app, 'CLERK'), OPEN_BOX, { input: { ...input, entries: [buildComplaintBoxEntry()] } });
    expect(reused.errors?.[0].extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('the guest book lists visitors by office day in WIB, with or without a case', async () => {
    await gqlOk(as(app, 'CLERK'), RECORD_VISIT, { input: { name: 'Awal Hari', purpose: 'Bertanya', visitedAt: '2026-03-09T17:00:00Z' } }); // 00:00 WIB on the 10th
    await gqlOk(as(app, 'CLERK'), RECORD_VISIT, { input: { name: 'Akhir Hari', purpose: 'Bertanya', visitedAt: '2026-03-09T16:59:59Z' } }); // 23:59:59 WIB on the 9th
    const { logWalkIn: c } = await gqlOk(as(app, 'CLERK'), LOG_WALK_IN, { input: buildWalkIn() });
    const { recordVisit: v } = await gqlOk(as(app, 'CLERK'), RECORD_VISIT, { input: { name: 'Dewi', institution: 'Dinas Sosial', purpose: 'Minta data', caseId: c.id } });
    expect(v).toMatchObject({ caseId: c.id, caseReference: c.reference, visitedAt: '2026-03-10T03:00:00.000Z' });
    const day10 = (await gqlOk(as(app, 'SUPERVISOR'), GUEST_BOOK, { date: '2026-03-10' })).guestBook.map((x: any) => x.name);
    const day9 = (await gqlOk(as(app, 'CLERK'), GUEST_BOOK, { date: '2026-03-09' })).guestBook.map((x: any) => x.name);
    expect(day10).toEqual(['Awal Hari', 'Dewi']);
    expect(day9).toEqual(['Akhir Hari']);
    const bad = await gql(as(app, 'CLERK'), RECORD_VISIT, { input: { name: 'X', purpose: 'Y', caseId: '00000000-0000-4000-8000-000000000000' } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'caseId' });
    expect((await gql(as(app, 'HANDLER'), GUEST_BOOK, { date: '2026-03-10' })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('requirements ticked with scan ids attach the files; an unknown file id is refused', async () => {
    const letter = await scan('surat tugas');
    const { logWalkIn: c } = await gqlOk(as(app, 'CLERK'), LOG_WALK_IN, {
      input: buildWalkIn({ requirements: { assignmentLetterFileId: letter } }),
    });
    expect(c.requirements.missing).toEqual(['requestLetter', 'identityDocument']);
    const bad = await gql(as(app, 'CLERK'), UPDATE_REQ, { id: c.id, r: { requestLetterFileId: 'a'.repeat(64) } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'requirements.requestLetterFileId' });
    const [req, ktp] = [await scan('surat permintaan'), await scan('ktp')];
    const { updateRequirements: u } = await gqlOk(as(app, 'CLERK'), UPDATE_REQ, { id: c.id, r: { requestLetterFileId: req, identityDocumentFileId: ktp } });
    expect(u.status).toBe('RECEIVED');
    const rows = (await app.db.dataSource.query(`SELECT file_id, filename FROM case_attachments WHERE case_id = $1::uuid ORDER BY filename`, [c.id])) as any[];
    expect(rows).toEqual([
      { file_id: req, filename: 'surat-permintaan' },
      { file_id: letter, filename: 'surat-tugas' },
      { file_id: ktp, filename: 'tanda-pengenal' },
    ]);
  });

  it('prints a receipt PDF in Bahasa Indonesia; no token is 401, a handler of another team gets 404', async () => {
    const { logWalkIn: c } = await gqlOk(as(app, 'CLERK'), LOG_WALK_IN, { input: buildWalkIn({ requirements: { assignmentLetter: true } }) });
    const res = await receipt(c.id, as(app, 'CLERK').token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
    const text = (await parser.getText()).text.replace(/\s+/g, ' ');
    await parser.destroy();
    expect(text).toContain('Tanda Terima');
    expect(text).toContain(c.reference);
    expect(text).toContain('Surat permintaan data, laporan, informasi');
    expect(text).toContain('Tanda pengenal/identitas');
    expect(text).toContain('dihitung setelah persyaratan lengkap');
    expect(text).toContain('tidak dipungut biaya');
    expect(text).toContain('085828735503');
    expect(text).toContain('Siti Aminah');

    const complete = (await gqlOk(as(app, 'CLERK'), LOG_WALK_IN, { input: buildWalkIn() })).logWalkIn;
    const p2 = new PDFParse({ data: new Uint8Array(await (await receipt(complete.id, as(app, 'CLERK').token)).arrayBuffer()) });
    const t2 = (await p2.getText()).text.replace(/\s+/g, ' ');
    await p2.destroy();
    expect(t2).toMatch(/Batas waktu penyelesaian: \w+, \d+ \w+ 2026 pukul \d\d\.\d\d WIB/);

    const none = await receipt(c.id, null);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect((await receipt(c.id, 'lkt_not-a-token')).status).toBe(401);
    const handler = await receipt(c.id, as(app, 'HANDLER').token);
    expect(handler.status).toBe(404);
    await gqlOk(as(app, 'COMPLAINT_OFFICER'), `mutation($id: ID!) { assignCase(caseId: $id, team: "${HANDLER_TEAM}") { id } }`, { id: c.id });
    expect((await receipt(c.id, as(app, 'HANDLER').token)).status).toBe(200);
    expect((await receipt('not-a-uuid', as(app, 'CLERK').token)).status).toBe(404);
    expect(anonymous(app).token).toBeNull();
  });
});
