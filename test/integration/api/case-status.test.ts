import { PDFParse } from 'pdf-parse';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { anonymous, as, gql, gqlOk, gqlResponse, HANDLER_TEAM, ManualClock, startTestApp } from '../../support/test-app';
import { buildPhoneCall, buildRequester, buildWalkIn } from '../../support/builders';

const LOG_WALK_IN = `mutation($input: LogWalkInInput!) { logWalkIn(input: $input) { id reference accessCode } }`;
const LOG_CALL = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id reference accessCode } }`;
const ACCESS_CODE = `query($id: ID) { case(id: $id) { accessCode } }`;
const STATUS = `query($r: String!, $c: String!) { caseStatus(reference: $r, accessCode: $c) {
  reference kind kindText status statusText receivedAt dueAt answered answeredAt mergedIntoReference } }`;
const CODE = /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;

/** Strings that must never reach the citizen's view: the requester, notes, the assignee, the matter's own text. */
const PRIVATE = ['Siti', 'Aminah', '6171014505900002', '34567890', '3456-7890', 'siti@example.id', 'Ahmad Yani No. 1', 'Kubu Raya', 'CATATAN-RAHASIA', HANDLER_TEAM, 'Pelapor menelepon'];
const expectNoPrivate = (text: string, subject: string): void => {
  for (const s of [...PRIVATE, subject]) expect({ leaked: s, found: text.includes(s) }).toEqual({ leaked: s, found: false });
};
/** A wrong code that is still a well-formed one. */
const otherCode = (code: string): string => `${code.slice(0, 8)}${code[8] === 'Z' ? 'Y' : 'Z'}`;

describe('status lookup: access codes, caseStatus, GET /status, receipt (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let base = '';
  // Mon 2026-11-30 10:00 WIB.
  const clock = new ManualClock(new Date('2026-11-30T03:00:00Z'));
  let walkIn: { id: string; reference: string; accessCode: string; subject: string };
  let call: { id: string; reference: string; accessCode: string; subject: string };

  const postStatus = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${base}/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });

  beforeAll(async () => {
    const db = await createTestDatabase('case_status');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
    base = app.url.replace('/graphql', '');
    const w = buildWalkIn({ requester: buildRequester({ organization: 'Dinas Sosial Kabupaten Kubu Raya' }) });
    walkIn = { ...(await gqlOk(as(app, 'CLERK'), LOG_WALK_IN, { input: w })).logWalkIn, subject: w.subject };
    const p = buildPhoneCall({ requester: buildRequester() });
    call = { ...(await gqlOk(as(app, 'CLERK'), LOG_CALL, { input: p })).logPhoneCall, subject: p.subject };
    await gqlOk(as(app, 'COMPLAINT_OFFICER'), `mutation($id: ID!) { assignCase(caseId: $id, team: "${HANDLER_TEAM}") { id } }`, { id: call.id });
    await gqlOk(as(app, 'COMPLAINT_OFFICER'), `mutation($id: ID!) { addNote(caseId: $id, text: "CATATAN-RAHASIA tentang pelapor") { id } }`, { id: call.id });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('every new case has an access code; the desk, officers, supervisors and admins read it, handlers and tools without PERSONAL_DATA_READ do not', async () => {
    expect(walkIn.accessCode).toMatch(CODE);
    expect(call.accessCode).toMatch(CODE);
    expect(walkIn.accessCode).not.toBe(call.accessCode);
    for (const role of ['CLERK', 'COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] as const) {
      expect((await gqlOk(as(app, role), ACCESS_CODE, { id: call.id })).case.accessCode).toBe(call.accessCode);
    }
    // The handler's team has the case, so the case itself is visible; the code is not.
    const handler = await gqlOk(as(app, 'HANDLER'), `query($id: ID) { case(id: $id) { reference accessCode } }`, { id: call.id });
    expect(handler.case).toEqual({ reference: call.reference, accessCode: null });
    expect((await gqlOk(as(app, 'INTEGRATION'), ACCESS_CODE, { id: call.id })).case.accessCode).toBeNull();
    const tool = await app.services.access.createToken(null, { name: 'notifier', role: 'INTEGRATION', scopes: ['CASES_READ', 'PERSONAL_DATA_READ'] });
    expect((await gqlOk({ url: app.url, token: tool.token }, ACCESS_CODE, { id: call.id })).case.accessCode).toBe(call.accessCode);
    const [row] = (await app.db.dataSource.query(`SELECT access_code FROM cases WHERE id = $1::uuid`, [call.id])) as { access_code: string }[];
    expect(row.access_code).toBe(call.accessCode.replace('-', ''));
  });

  it('caseStatus without a credential shows the progress with the right code (typed loosely), and no personal data', async () => {
    const r = await gqlResponse(anonymous(app), STATUS, { r: call.reference.toLowerCase(), c: ` ${call.accessCode.toLowerCase().replace('-', ' ')} ` });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    const s = r.body.data!.caseStatus;
    const [c] = (await app.db.dataSource.query(`SELECT received_at, due_at FROM cases WHERE id = $1::uuid`, [call.id])) as { received_at: Date; due_at: Date }[];
    expect(s).toEqual({
      reference: call.reference,
      kind: 'COMPLAINT',
      kindText: 'Pengaduan',
      status: 'IN_PROGRESS',
      statusText: 'Sedang diproses',
      receivedAt: new Date(c.received_at).toISOString(),
      dueAt: new Date(c.due_at).toISOString(),
      answered: false,
      answeredAt: null,
      mergedIntoReference: null,
    });
    expectNoPrivate(JSON.stringify(r.body), call.subject);
    // A staff token may call it too (it is public), and gets the same view.
    expect((await gqlOk(as(app, 'HANDLER'), STATUS, { r: call.reference, c: call.accessCode })).caseStatus).toEqual(s);
  });

  it('an answered request says so; a wrong code and an unknown reference get the identical response', async () => {
    await gqlOk(as(app, 'CLERK'), `mutation($id: ID!) { answerCase(caseId: $id, answer: { text: "Data terlampir", deliveredVia: IN_PERSON }) { id } }`, { id: walkIn.id });
    const ok = (await gqlOk(anonymous(app), STATUS, { r: walkIn.reference, c: walkIn.accessCode })).caseStatus;
    expect(ok).toMatchObject({ status: 'ANSWERED', statusText: 'Selesai dijawab', answered: true, answeredAt: clock.now().toISOString(), kindText: 'Permintaan Data, Laporan, dan Informasi' });

    const wrong = await gqlResponse(anonymous(app), STATUS, { r: walkIn.reference, c: otherCode(walkIn.accessCode) });
    const unknown = await gqlResponse(anonymous(app), STATUS, { r: 'PDI-2026-999999', c: walkIn.accessCode });
    const otherCasesCode = await gqlResponse(anonymous(app), STATUS, { r: walkIn.reference, c: call.accessCode });
    expect(wrong.body).toEqual({
      errors: [{ message: 'Nomor referensi atau kode akses tidak cocok', path: ['caseStatus'], locations: expect.any(Array), extensions: { code: 'CASE_STATUS_NOT_FOUND' } }],
      data: { caseStatus: null },
    });
    for (const other of [unknown, otherCasesCode]) {
      expect(other.status).toBe(wrong.status);
      expect(other.body).toEqual(wrong.body);
    }
  });

  it('GET /status is a form in Bahasa Indonesia with labels, no script and nothing from elsewhere', async () => {
    const res = await fetch(`${base}/status?ref=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/form-action 'self'/);
    const html = await res.text();
    expect(html).toContain('<html lang="id">');
    expect(html).toMatch(/<label for="reference">Nomor referensi<\/label>\s*<input id="reference" name="reference"/);
    expect(html).toMatch(/<label for="accessCode">Kode akses<\/label>\s*<input id="accessCode" name="accessCode"/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('POST /status shows the answer page without personal data; a wrong code and an unknown reference get the identical page', async () => {
    const res = await postStatus({ reference: call.reference, accessCode: call.accessCode });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain(call.reference);
    expect(html).toContain('Sedang diproses');
    expect(html).toContain('Pengaduan');
    expect(html).toContain('Senin, 30 November 2026 pukul 10.00 WIB');
    expect(html).toMatch(/Batas waktu penyelesaian<\/dt><dd>\w+, \d{1,2} \w+ 2026 pukul \d\d\.\d\d WIB/);
    expect(html).toContain('<dt>Dijawab</dt><dd>Belum</dd>');
    expectNoPrivate(html, call.subject);

    const wrong = await postStatus({ reference: call.reference, accessCode: otherCode(call.accessCode) });
    const unknown = await postStatus({ reference: 'ADU-2026-999999', accessCode: call.accessCode });
    const garbage = await postStatus({ reference: '<b>x</b>', accessCode: '' });
    const wrongHtml = await wrong.text();
    expect(wrong.status).toBe(404);
    expect(wrongHtml).toContain('Nomor referensi atau kode akses tidak cocok');
    expect(wrongHtml).not.toContain(call.reference);
    for (const other of [unknown, garbage]) {
      expect(other.status).toBe(404);
      expect(await other.text()).toBe(wrongHtml);
    }
  });

  it('the receipt prints the access code, the lookup address and the office address and hours', async () => {
    const res = await fetch(`${base}/cases/${call.id}/receipt.pdf`, { headers: { authorization: `Bearer ${as(app, 'CLERK').token}` } });
    expect(res.status).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
    const text = (await parser.getText()).text.replace(/\s+/g, ' ');
    await parser.destroy();
    expect(text).toContain(`Kode akses: ${call.accessCode}`);
    expect(text).toContain('http://localhost:4000/status');
    expect(text).toContain('Jl. Jenderal Ahmad Yani, Bangka Belitung Laut, Kec. Pontianak Tenggara, Kota Pontianak, Kalimantan Barat 78124');
    expect(text).toContain('Jam layanan: - Senin s.d. Kamis pukul 07.30–16.00 WIB - Jumat pukul 07.30–16.30 WIB');

    // A handler may print the receipt of their team's case, without the code.
    const h = await fetch(`${base}/cases/${call.id}/receipt.pdf`, { headers: { authorization: `Bearer ${as(app, 'HANDLER').token}` } });
    expect(h.status).toBe(200);
    const p2 = new PDFParse({ data: new Uint8Array(await h.arrayBuffer()) });
    const t2 = (await p2.getText()).text.replace(/\s+/g, ' ');
    await p2.destroy();
    expect(t2).toContain(call.reference);
    expect(t2).not.toContain(call.accessCode);
    expect(t2).not.toContain('Kode akses');
  });
});

describe('status lookups are rate-limited per client address, the page and caseStatus together', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let base = '';
  let reference = '';
  let code = '';

  beforeAll(async () => {
    const db = await createTestDatabase('case_status_limit');
    drop = db.drop;
    app = await startTestApp(db.url, undefined, { statusLookupsPerMinute: 3, trustProxy: true });
    base = app.url.replace('/graphql', '');
    ({ reference, accessCode: code } = (await gqlOk(as(app, 'CLERK'), LOG_CALL, { input: buildPhoneCall() })).logPhoneCall);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  const lookup = (forwardedFor: string) =>
    fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: STATUS, variables: { r: reference, c: code } }),
    });

  it('the 4th lookup from one address within the minute is RATE_LIMITED with Retry-After; another address goes on', async () => {
    expect((await lookup('198.51.100.7')).status).toBe(200);
    expect((await lookup('198.51.100.7')).status).toBe(200);
    // The page takes from the same budget.
    const page = await fetch(`${base}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.7' },
      body: new URLSearchParams({ reference, accessCode: code }).toString(),
    });
    expect(page.status).toBe(200);

    const fourth = await lookup('198.51.100.7');
    expect(fourth.status).toBe(429);
    const body = (await fourth.json()) as { data?: unknown; errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(body.errors[0].extensions.retryAfterSeconds);
    expect(retryAfter).toBeGreaterThan(0);
    expect(fourth.headers.get('retry-after')).toBe(String(retryAfter));

    const pageLimited = await fetch(`${base}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.7' },
      body: new URLSearchParams({ reference, accessCode: code }).toString(),
    });
    expect(pageLimited.status).toBe(429);
    expect(pageLimited.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(await pageLimited.text()).toContain('Terlalu banyak permintaan');

    const other = await lookup('203.0.113.9');
    expect(other.status).toBe(200);
    expect(((await other.json()) as { data: { caseStatus: { reference: string } } }).data.caseStatus.reference).toBe(reference);
    // The form itself (GET) is not a lookup.
    expect((await fetch(`${base}/status`, { headers: { 'x-forwarded-for': '198.51.100.7' } })).status).toBe(200);
    expect((await gql(anonymous(app), '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });
});
