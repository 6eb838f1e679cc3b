import http from 'node:http';
import { LoketApp } from '../../../src/app';
import { IntakeItem } from '../../../src/domain/intake/intake-item';
import { createTestDatabase } from '../../support/database';
import { queryDb } from '../../support/live';
import { anonymous, as, gql, gqlOk, ManualClock, startTestApp, Target } from '../../support/test-app';

/** WIB wall time (UTC+7) as an instant. */
const wib = (local: string): Date => new Date(`${local}:00+07:00`);

const ANSWER = `mutation($id: ID!) { answerCase(caseId: $id, answer: { text: "Jawaban", deliveredVia: PHONE }) { status } }`;
const ASSIGN = `mutation($id: ID!, $team: String!) { assignCase(caseId: $id, team: $team) { id } }`;
const PAUSE = `mutation($id: ID!) { pauseCase(caseId: $id, reason: WAITING_FOR_REQUESTER) { status } }`;
const RESUME = `mutation($id: ID!) { resumeCase(caseId: $id) { status pausedWorkingMinutes } }`;
const CLOSE = `mutation($id: ID!) { closeCase(caseId: $id) { status } }`;
const REJECT = `mutation($id: ID!) { rejectCase(caseId: $id, reason: SPAM) { status } }`;
const GROUP = `key { channel kind complaintClass status team month } received answered answeredOnTime openNow overdueNow medianHandlingHours p90HandlingHours pausedHours`;
const STATS = `query($from: DateTime!, $to: DateTime!, $groupBy: [ReportDimension!], $filter: CaseReportFilter) {
  caseStatistics(from: $from, to: $to, groupBy: $groupBy, filter: $filter) { from to generatedAt groupBy groups { ${GROUP} } total { ${GROUP} } } }`;

const FROM = wib('2026-10-01T00:00').toISOString();
const TO = wib('2026-12-01T00:00').toISOString();
const NOW = wib('2026-12-01T10:00');

const REQUESTER = { name: 'Siti Rahayu Pelapor', nik: '6171014506900001', phone: '0812-3456-7890', email: 'siti.pelapor@example.org', address: 'Jl. Merdeka Rahasia 12' };
/** Intake folds a newline to a space; imported or older data may hold one, so it is stored by SQL below. */
const TRICKY_SUBJECT = '=HYPERLINK("http://x"), kata "kutip"\nbaris dua';

type Key = Record<'channel' | 'kind' | 'complaintClass' | 'status' | 'team' | 'month', string | null>;
const noKey: Key = { channel: null, kind: null, complaintClass: null, status: null, team: null, month: null };
const group = (key: Partial<Key>, figures: Record<string, number | null>) => ({ key: { ...noKey, ...key }, ...figures });

/** RFC 4180 records (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** GET with the target's token; the body read as it comes, waiting `delayMs` after each chunk (a slow client). */
function download(target: Target, path: string, delayMs = 0): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; chunks: number }> {
  const url = new URL(path, target.url);
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: target.token ? { authorization: `Bearer ${target.token}` } : {} }, async (res) => {
      const parts: Buffer[] = [];
      try {
        for await (const chunk of res) {
          parts.push(chunk as Buffer);
          if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), chunks: parts.length });
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

/**
 * caseStatistics and GET /reports/cases.csv against a hand-counted fixture on real PostgreSQL.
 * Office hours: Mon-Thu 07:30-16:00, Fri 07:30-16:30 WIB; no holidays in October-November 2026.
 * Report range [1 Oct, 1 Dec 2026) WIB, "now" 1 Dec 2026 10:00 WIB.
 *
 *  case  kind/class      channel   team  received (WIB)     what happens                               handling (working h)
 *  C1    COMPLAINT LIGHT PHONE     t1    Mon 05 Oct 09:00   answered 10:30 (due 12:00): on time         1.5
 *  C2    COMPLAINT LIGHT PHONE     t1    Mon 05 Oct 14:00   answered Tue 10:30 (due Tue 08:30): late    2 (Mon) + 3 (Tue) = 5
 *  C3    COMPLAINT NORM. EMAIL     t2    Wed 07 Oct 08:00   answered Thu 12:00 (due 14 Oct): on time    8 + 4.5 = 12.5
 *  C4    COMPLAINT LIGHT WALK_IN   -     Fri 09 Oct 15:00   paused Fri 15:30, resumed Mon 12 Oct 09:30 (paused 1 + 2 = 3 h = 180 min),
 *                                                           due then 09:30 + 2.5 h left = 12:00; answered 11:00: on time
 *                                                           Fri 15:00-16:30 1.5 + Mon 07:30-11:00 3.5 = 5, less 3 paused = 2
 *  C13   COMPLAINT LIGHT FAX       -     Sun 01 Nov 06:00   (31 Oct 23:00 UTC: month 2026-11 in WIB) answered Mon 08:30 (due 10:30): on time   1 (Mon 07:30-08:30)
 *  C5    INFO REQUEST    EMAIL     t2    Tue 03 Nov 08:00   answered 12:30: on time                     4.5
 *  C6    COMPLAINT LIGHT PHONE     t1    Wed 04 Nov 09:00   answered 15:00 (due 12:00): late, then CLOSED   6
 *  C7    COMPLAINT NORM. WHATSAPP  t3    Mon 09 Nov 10:00   open, due 16 Nov: overdue now
 *  C8    COMPLAINT SUPV. PHONE     -     Mon 16 Nov 09:00   open, due 2027: not overdue
 *  C9    COMPLAINT LIGHT EMAIL     -     Mon 23 Nov 09:00   rejected (SPAM); tricky subject
 *  C10   COMPLAINT LIGHT PHONE     -     Mon 30 Nov 09:00   paused 10:00, still WAITING: open, no running deadline, pause not ended (0 min)
 *  out:  C11 received Wed 30 Sep 23:00 (before from), C12 received Tue 1 Dec 00:00 (= to, excluded).
 *
 * Totals: received 11; answered 7 (C1 C2 C3 C4 C13 C5 C6); on time 5 (not C2, C6); open 3 (C7 C8 C10); overdue 1 (C7);
 * paused 180 min = 3 h. Handling sorted: 1, 1.5, 2, 4.5, 5, 6, 12.5: median (rank 3) 4.5; p90 rank 0.9 * 6 = 5.4:
 * 6 + 0.4 * (12.5 - 6) = 8.6.
 */
describe('reports: caseStatistics and GET /reports/cases.csv (real PostgreSQL, hand-counted fixture)', () => {
  const clock = new ManualClock(wib('2026-09-30T23:00'));
  let app: LoketApp;
  let url: string;
  let drop: () => Promise<void>;
  const ids: Record<string, string> = {};
  const refs: Record<string, string> = {};

  const intake = async (name: string, at: string, item: Partial<IntakeItem>, team?: string): Promise<void> => {
    clock.set(wib(at));
    const r = await app.services.intake.intake(
      { kind: 'COMPLAINT', channel: 'PHONE', subject: `Perihal ${name}`, receivedAt: wib(at), requester: REQUESTER, ...item },
      { id: 'report-test', kind: 'SYSTEM' },
    );
    ids[name] = r.case.id;
    refs[name] = r.case.reference;
    if (team) await gqlOk(app.url, ASSIGN, { id: r.case.id, team });
  };
  const act = async (mutation: string, name: string, at: string): Promise<void> => {
    clock.set(wib(at));
    await gqlOk(app.url, mutation, { id: ids[name] });
  };

  beforeAll(async () => {
    const db = await createTestDatabase('reports');
    url = db.url;
    drop = db.drop;
    app = await startTestApp(db.url, clock);
    const t1 = 'tim-pengaduan-1';
    const t2 = 'tim-pengaduan-2';
    const t3 = 'tim-pengaduan-3';
    await intake('C11', '2026-09-30T23:00', { complaintClass: 'LIGHT' });
    await act(ANSWER, 'C11', '2026-10-01T08:00');
    await intake('C1', '2026-10-05T09:00', { complaintClass: 'LIGHT' }, t1);
    await act(ANSWER, 'C1', '2026-10-05T10:30');
    await intake('C2', '2026-10-05T14:00', { complaintClass: 'LIGHT' }, t1);
    await act(ANSWER, 'C2', '2026-10-06T10:30');
    await intake('C3', '2026-10-07T08:00', { channel: 'EMAIL', complaintClass: 'NORMATIVE' }, t2);
    await act(ANSWER, 'C3', '2026-10-08T12:00');
    await intake('C4', '2026-10-09T15:00', { channel: 'WALK_IN', complaintClass: 'LIGHT' });
    await act(PAUSE, 'C4', '2026-10-09T15:30');
    clock.set(wib('2026-10-12T09:30'));
    expect((await gqlOk(app.url, RESUME, { id: ids.C4 })).resumeCase.pausedWorkingMinutes).toBe(180);
    await act(ANSWER, 'C4', '2026-10-12T11:00');
    await intake('C13', '2026-11-01T06:00', { channel: 'FAX', complaintClass: 'LIGHT' });
    await act(ANSWER, 'C13', '2026-11-02T08:30');
    await intake(
      'C5',
      '2026-11-03T08:00',
      { kind: 'INFORMATION_REQUEST', channel: 'EMAIL', requirements: { assignmentLetter: true, requestLetter: true, identityDocument: true } },
      t2,
    );
    await act(ANSWER, 'C5', '2026-11-03T12:30');
    await intake('C6', '2026-11-04T09:00', { complaintClass: 'LIGHT' }, t1);
    await act(ANSWER, 'C6', '2026-11-04T15:00');
    await act(CLOSE, 'C6', '2026-11-04T15:10');
    await intake('C7', '2026-11-09T10:00', { channel: 'WHATSAPP', complaintClass: 'NORMATIVE' }, t3);
    await intake('C8', '2026-11-16T09:00', { complaintClass: 'SUPERVISORY' });
    await intake('C9', '2026-11-23T09:00', { channel: 'EMAIL', complaintClass: 'LIGHT', subject: TRICKY_SUBJECT });
    await act(REJECT, 'C9', '2026-11-23T09:30');
    await queryDb(url, `UPDATE cases SET subject = $2 WHERE id = $1`, [ids.C9, TRICKY_SUBJECT]);
    await intake('C10', '2026-11-30T09:00', { complaintClass: 'LIGHT' });
    await act(PAUSE, 'C10', '2026-11-30T10:00');
    await intake('C12', '2026-12-01T00:00', { complaintClass: 'LIGHT' });
    clock.set(NOW);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  const stats = async (groupBy: string[], filter?: Record<string, unknown>) =>
    (await gqlOk(as(app, 'SUPERVISOR'), STATS, { from: FROM, to: TO, groupBy, filter })).caseStatistics;

  it('the fixture is what the hand count assumes (deadlines as computed by the calendar)', async () => {
    const rows = await queryDb(url, `SELECT reference, status, due_at, paused_working_minutes FROM cases`);
    const by = new Map(rows.map((r) => [r.reference as string, r]));
    const due = (n: string) => (by.get(refs[n])?.due_at as Date | null)?.toISOString() ?? null;
    expect(due('C2')).toBe(wib('2026-10-06T08:30').toISOString());
    expect(due('C3')).toBe(wib('2026-10-14T16:00').toISOString());
    expect(due('C4')).toBe(wib('2026-10-12T12:00').toISOString());
    expect(due('C13')).toBe(wib('2026-11-02T10:30').toISOString());
    expect(new Date(due('C7')!).getTime()).toBeLessThan(NOW.getTime());
    expect(new Date(due('C8')!).getTime()).toBeGreaterThan(wib('2027-01-01T00:00').getTime());
    expect(due('C10')).toBeNull();
    expect(by.get(refs.C5)?.status).toBe('ANSWERED');
    expect(by.get(refs.C6)?.status).toBe('CLOSED');
  });

  it('groupBy []: every figure of the total, and one group equal to it', async () => {
    const s = await stats([]);
    const total = group({}, { received: 11, answered: 7, answeredOnTime: 5, openNow: 3, overdueNow: 1, medianHandlingHours: 4.5, p90HandlingHours: 8.6, pausedHours: 3 });
    expect(s).toEqual({ from: FROM, to: TO, generatedAt: NOW.toISOString(), groupBy: [], groups: [total], total });
  });

  it('groupBy [CHANNEL]: each channel counted by hand', async () => {
    const s = await stats(['CHANNEL']);
    expect(s.groups).toEqual([
      // C3, C5 answered on time (12.5 h, 4.5 h), C9 rejected: median 8.5, p90 4.5 + 0.9 * 8 = 11.7
      group({ channel: 'EMAIL' }, { received: 3, answered: 2, answeredOnTime: 2, openNow: 0, overdueNow: 0, medianHandlingHours: 8.5, p90HandlingHours: 11.7, pausedHours: 0 }),
      group({ channel: 'FAX' }, { received: 1, answered: 1, answeredOnTime: 1, openNow: 0, overdueNow: 0, medianHandlingHours: 1, p90HandlingHours: 1, pausedHours: 0 }),
      // C1 1.5 (on time), C2 5, C6 6 (late), C8 and C10 open: median 5, p90 rank 1.8: 5 + 0.8 * 1 = 5.8
      group({ channel: 'PHONE' }, { received: 5, answered: 3, answeredOnTime: 1, openNow: 2, overdueNow: 0, medianHandlingHours: 5, p90HandlingHours: 5.8, pausedHours: 0 }),
      group({ channel: 'WALK_IN' }, { received: 1, answered: 1, answeredOnTime: 1, openNow: 0, overdueNow: 0, medianHandlingHours: 2, p90HandlingHours: 2, pausedHours: 3 }),
      group({ channel: 'WHATSAPP' }, { received: 1, answered: 0, answeredOnTime: 0, openNow: 1, overdueNow: 1, medianHandlingHours: null, p90HandlingHours: null, pausedHours: 0 }),
    ]);
    expect(s.total).toMatchObject({ received: 11, medianHandlingHours: 4.5, p90HandlingHours: 8.6 });
  });

  it('groupBy [MONTH, KIND]: months in WIB (C13, received 31 Oct 23:00 UTC, is November)', async () => {
    const s = await stats(['MONTH', 'KIND']);
    expect(s.groupBy).toEqual(['MONTH', 'KIND']);
    expect(s.groups).toEqual([
      // C1 1.5, C2 5, C3 12.5, C4 2: sorted 1.5, 2, 5, 12.5: median 3.5, p90 rank 2.7: 5 + 0.7 * 7.5 = 10.25
      group({ month: '2026-10', kind: 'COMPLAINT' }, { received: 4, answered: 4, answeredOnTime: 3, openNow: 0, overdueNow: 0, medianHandlingHours: 3.5, p90HandlingHours: 10.25, pausedHours: 3 }),
      // C13 1, C6 6; C7 C8 C10 open, C7 overdue; C9 rejected: median 3.5, p90 1 + 0.9 * 5 = 5.5
      group({ month: '2026-11', kind: 'COMPLAINT' }, { received: 6, answered: 2, answeredOnTime: 1, openNow: 3, overdueNow: 1, medianHandlingHours: 3.5, p90HandlingHours: 5.5, pausedHours: 0 }),
      group({ month: '2026-11', kind: 'INFORMATION_REQUEST' }, { received: 1, answered: 1, answeredOnTime: 1, openNow: 0, overdueNow: 0, medianHandlingHours: 4.5, p90HandlingHours: 4.5, pausedHours: 0 }),
    ]);
  });

  it('groupBy [TEAM] with unassigned cases as team null (last), and a filter narrowing the cases', async () => {
    const s = await stats(['TEAM']);
    expect(s.groups.map((g: { key: { team: string | null }; received: number }) => [g.key.team, g.received])).toEqual([
      ['tim-pengaduan-1', 3], ['tim-pengaduan-2', 2], ['tim-pengaduan-3', 1], [null, 5],
    ]);
    const phone = await stats(['STATUS'], { channel: ['PHONE'], complaintClass: ['LIGHT'] });
    expect(phone.groups.map((g: { key: { status: string }; received: number }) => [g.key.status, g.received])).toEqual([['ANSWERED', 2], ['CLOSED', 1], ['WAITING', 1]]);
    expect(phone.total).toMatchObject({ received: 4, answered: 3, medianHandlingHours: 5 });
  });

  it('only supervisors and admins; a bad range is BAD_USER_INPUT naming the field', async () => {
    expect((await gqlOk(as(app, 'ADMIN'), STATS, { from: FROM, to: TO })).caseStatistics.total.received).toBe(11);
    for (const role of ['CLERK', 'HANDLER', 'COMPLAINT_OFFICER', 'INTEGRATION'] as const) {
      const r = await gql(as(app, role), STATS, { from: FROM, to: TO });
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const reversed = await gql(as(app, 'SUPERVISOR'), STATS, { from: TO, to: FROM });
    expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const tooLong = await gql(as(app, 'SUPERVISOR'), STATS, { from: '2020-01-01T00:00:00Z', to: TO });
    expect(tooLong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  describe('GET /reports/cases.csv', () => {
    const path = `/reports/cases.csv?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

    it('UTF-8 with a BOM, Indonesian headers, one row per case in order of receipt, values in WIB', async () => {
      const r = await download(as(app, 'SUPERVISOR'), path);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(r.headers['content-disposition']).toBe('attachment; filename="laporan-kasus-2026-10-01-sd-2026-11-30.csv"');
      expect([...r.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(r.body.toString('utf8').slice(1));
      expect(rows[0]).toEqual([
        'Nomor Referensi', 'Jenis', 'Kanal', 'Klasifikasi', 'Status', 'Tim', 'Perihal', 'Diterima', 'Mulai Dihitung', 'Batas Waktu', 'Dijawab',
        'Tepat Waktu', 'Jam Kerja Penanganan', 'Jam Jeda',
      ]);
      const data = rows.slice(1);
      expect(data.map((row) => row[0])).toEqual(['C1', 'C2', 'C3', 'C4', 'C13', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10'].map((n) => refs[n]));
      const row = (n: string) => data.find((x) => x[0] === refs[n]);
      expect(row('C4')).toEqual([
        refs.C4, 'COMPLAINT', 'WALK_IN', 'LIGHT', 'ANSWERED', '(belum ditugaskan)', 'Perihal C4', '2026-10-09 15:00', '2026-10-09 15:00', '2026-10-12 12:00',
        '2026-10-12 11:00', 'Ya', '2.00', '3.00',
      ]);
      expect(row('C2')?.slice(5)).toEqual(['tim-pengaduan-1', 'Perihal C2', '2026-10-05 14:00', '2026-10-05 14:00', '2026-10-06 08:30', '2026-10-06 10:30', 'Tidak', '5.00', '0.00']);
      expect(row('C5')?.slice(1, 4)).toEqual(['INFORMATION_REQUEST', 'EMAIL', '']);
      expect(row('C10')?.slice(4)).toEqual(['WAITING', '(belum ditugaskan)', 'Perihal C10', '2026-11-30 09:00', '2026-11-30 09:00', '', '', '', '', '0.00']);
    });

    it('escapes commas, quotes and newlines, and neutralises a leading "=" (formula injection)', async () => {
      const r = await download(as(app, 'ADMIN'), path);
      const text = r.body.toString('utf8');
      expect(text).toContain(`"'=HYPERLINK(""http://x""), kata ""kutip""\nbaris dua"`);
      const rows = parseCsv(text.slice(1));
      expect(rows).toHaveLength(12);
      expect(rows.find((x) => x[0] === refs.C9)?.[6]).toBe(`'${TRICKY_SUBJECT}`);
    });

    it('carries no personal data (name, NIK, phone, email, address) for anyone allowed to download it', async () => {
      for (const role of ['SUPERVISOR', 'ADMIN'] as const) {
        const text = (await download(as(app, role), path)).body.toString('utf8');
        for (const secret of ['Siti', 'Rahayu', '6171014506900001', '81234567890', 'siti.pelapor', 'Merdeka Rahasia']) expect(text).not.toContain(secret);
      }
    });

    it('the same filters as caseStatistics (repeated or comma-separated)', async () => {
      const count = async (q: string) => parseCsv((await download(as(app, 'SUPERVISOR'), `${path}&${q}`)).body.toString('utf8').slice(1)).length - 1;
      expect(await count('kind=INFORMATION_REQUEST')).toBe(1);
      expect(await count('channel=PHONE,EMAIL')).toBe(8);
      expect(await count('channel=PHONE&channel=EMAIL&status=ANSWERED')).toBe(4); // C1 C2 C3 C5 (C6 is CLOSED)
      expect(await count('team=tim-pengaduan-1')).toBe(3);
      expect(await count('complaintClass=NORMATIVE')).toBe(2);
    });

    it('refusals as JSON with stable codes: 401 without a credential, 403 for other roles, 400 naming the field', async () => {
      const code = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8')).errors[0].extensions;
      const none = await download(anonymous(app), path);
      expect([none.status, code(none).code]).toEqual([401, 'UNAUTHENTICATED']);
      for (const role of ['CLERK', 'HANDLER', 'COMPLAINT_OFFICER', 'INTEGRATION'] as const) {
        const r = await download(as(app, role), path);
        expect([r.status, code(r).code]).toEqual([403, 'FORBIDDEN']);
      }
      const bad = async (q: string) => {
        const r = await download(as(app, 'SUPERVISOR'), `/reports/cases.csv?${q}`);
        expect(r.status).toBe(400);
        return code(r);
      };
      expect(await bad(`to=${encodeURIComponent(TO)}`)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
      expect(await bad(`from=2026-10-01&to=${encodeURIComponent(TO)}`)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
      expect(await bad(`from=${encodeURIComponent(TO)}&to=${encodeURIComponent(FROM)}`)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
      expect(await bad(`from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}&kind=SURAT`)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'kind' });
    });

    it('streams 5,000 cases (2,500 received at the same instant, across page boundaries) to a slow client: each exactly once, in order', async () => {
      // Copies of C1 received in 2025, the first half all at one instant: the keyset must break ties by id.
      const columns = (await queryDb(url, `SELECT column_name FROM information_schema.columns WHERE table_name = 'cases' AND is_generated = 'NEVER' ORDER BY ordinal_position`)).map(
        (r) => r.column_name as string,
      );
      const expr: Record<string, string> = {
        id: 'gen_random_uuid()',
        reference: `'BULK-' || lpad(g::text, 5, '0')`,
        access_code: `translate(lpad(g::text, 8, '0'), '0123456789', '23456789AB')`,
        received_at: `CASE WHEN g <= 2500 THEN '2025-03-03T02:00:00Z'::timestamptz ELSE '2025-03-03T02:00:00Z'::timestamptz + g * interval '1 minute' END`,
      };
      await queryDb(
        url,
        `INSERT INTO cases (${columns.join(', ')}) SELECT ${columns.map((c) => expr[c] ?? c).join(', ')} FROM cases, generate_series(1, 5000) g WHERE id = $1`,
        [ids.C1],
      );
      const r = await download(as(app, 'SUPERVISOR'), `/reports/cases.csv?from=2025-01-01T00:00:00%2B07:00&to=2026-01-01T00:00:00%2B07:00`, 2);
      expect(r.status).toBe(200);
      const rows = parseCsv(r.body.toString('utf8').slice(1)).slice(1);
      expect(rows).toHaveLength(5000);
      expect(new Set(rows.map((x) => x[0])).size).toBe(5000);
      // Ties in (received_at) come in id order, the rest in order of receipt.
      expect(rows.slice(2500).map((x) => x[0])).toEqual(Array.from({ length: 2500 }, (_, i) => `BULK-${String(i + 2501).padStart(5, '0')}`));
      expect(r.chunks).toBeGreaterThan(1);
      const s = (await gqlOk(as(app, 'SUPERVISOR'), STATS, { from: '2025-01-01T00:00:00+07:00', to: '2026-01-01T00:00:00+07:00' })).caseStatistics;
      // Every copy is C1: answered, 1.5 working hours... from its original clock, answered at its original time.
      expect(s.total).toMatchObject({ received: 5000, answered: 5000, medianHandlingHours: 1.5, p90HandlingHours: 1.5 });
    });
  });
});
