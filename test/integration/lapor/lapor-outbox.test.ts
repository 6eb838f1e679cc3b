import { LoketApp } from '../../../src/app';
import { CaseRepository } from '../../../src/domain/case/case-repository.port';
import { ConcurrentModificationError } from '../../../src/domain/shared/domain-error';
import { LaporStore } from '../../../src/domain/lapor/lapor-store.port';
import { LaporService } from '../../../src/domain/lapor/lapor.service';
import { configureChannels } from '../../../src/modules/channels';
import { createTestDatabase } from '../../support/database';
import { FakeLaporServer, wireReport } from '../../support/lapor/fake-lapor-server';
import pino from 'pino';
import { startLoket } from '../../../src/app';
import { anonymous, as, gql, gqlOk, issueRoleTokens, ManualClock, startTestApp, testConfig } from '../../support/test-app';

/**
 * The LAPOR! outbox (follow-ups, answers, statuses), the auto-close, the status lookup by
 * tracking ID, the gateway's timeout and a report changed between pulls, against the fake.
 * The module's own after-commit worker runs too; assertions wait for the outbox to settle.
 */
const BY_TID = `query($t: String!) { cases(first: 2, filter: { laporTrackingId: $t }) { totalCount edges { node { id status accessCode lapor { trackingId status followedUpAt autoCloseAt } timeline(first: 50) { edges { node { type text after } } } } } } }`;
const STATUS = `{ laporChannelStatus { state errorKind lastError pendingFollowUps } }`;
const ASSIGN = `mutation($id: ID!) { assignCase(caseId: $id, team: "tim-pengaduan-1") { id status } }`;
const CLASSIFY = `mutation($id: ID!) { classifyComplaint(caseId: $id, complaintClass: NORMATIVE) { id } }`;
const ANSWER = `mutation($id: ID!, $via: DeliveryMethod!) { answerCase(caseId: $id, answer: { text: "Bantuan dicairkan minggu depan.", deliveredVia: $via }) { id status } }`;
const POST_FOLLOW_UP = `mutation($t: String!) { postLaporFollowUp(input: { trackingId: $t, text: "Sedang kami periksa ke dinas terkait." }) { id } }`;
const CASE_STATUS = `query($r: String!, $c: String!) { caseStatus(reference: $r, accessCode: $c) { reference status statusText } }`;

/**
 * Makes the outbox store's `method` fail once for the row of `trackingId`, as if the database
 * went away at that moment. (The store is the service's private collaborator; reaching into it
 * is the crash.)
 */
function crashOnce(store: LaporStore, method: 'markSent' | 'markFailed', trackingId: string) {
  let crashed = false;
  const original = store[method].bind(store) as (...args: unknown[]) => Promise<void>;
  const spy = jest.spyOn(store, method).mockImplementation(async (...args: unknown[]) => {
    const [row] = await (store as unknown as { ds: { query: (q: string, p: unknown[]) => Promise<{ tracking_id: string }[]> } }).ds.query(
      `SELECT tracking_id FROM lapor_outbox WHERE id = $1`, [args[0]]);
    if (!crashed && row?.tracking_id === trackingId) {
      crashed = true;
      throw new Error('connection lost');
    }
    return original(...args);
  });
  return { crashed: () => crashed, restore: () => spy.mockRestore() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SP4N-LAPOR! outbox and clocks (real PostgreSQL, loopback fake LAPOR!)', () => {
  let app: LoketApp;
  let lapor: LaporService;
  let drop: () => Promise<void>;
  const fake = new FakeLaporServer();
  const clock = new ManualClock(new Date('2026-12-02T03:00:00Z'));
  const logLines: string[] = [];

  beforeAll(async () => {
    await fake.start();
    const db = await createTestDatabase('lapor_outbox');
    drop = db.drop;
    // Before the API is switched on: a report registered and answered by hand on LAPOR!.
    const manualOnly = await startTestApp(db.url, clock, { channels: configureChannels({}) });
    const c = (await gqlOk(as(manualOnly, 'COMPLAINT_OFFICER'), `mutation($input: LogLaporReportInput!) { logLaporReport(input: $input) { id } }`, {
      input: { trackingId: 'LAP-2026-0200', receivedAt: '2026-11-30T02:00:00Z', dispositionedAt: '2026-12-01T02:00:00Z', subject: 'Sebelum API', rahasia: false, anonim: true },
    })).logLaporReport;
    await gqlOk(as(manualOnly, 'COMPLAINT_OFFICER'), ASSIGN, { id: c.id });
    await gqlOk(as(manualOnly, 'COMPLAINT_OFFICER'), CLASSIFY, { id: c.id });
    await gqlOk(as(manualOnly, 'COMPLAINT_OFFICER'), ANSWER, { id: c.id, via: 'LAPOR' });
    await manualOnly.stop();
    fake.put(wireReport({ tracking_id: 'LAP-2026-0200' }));
    const channels = configureChannels({ LOKET_LAPOR_URL: fake.url, LOKET_LAPOR_TOKEN: fake.token, LOKET_LAPOR_POLL_SECONDS: '3600', LOKET_LAPOR_TIMEOUT_SECONDS: '1' });
    app = await startLoket(testConfig({ kind: 'postgres', url: db.url, poolSize: 10 }, { channels, logLevel: 'debug' }), {
      clock,
      log: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
    });
    await issueRoleTokens(app);
    lapor = app.services.lapor!;
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
    await fake.stop();
  });

  const officer = () => as(app, 'COMPLAINT_OFFICER');
  const byTid = async (t: string) => (await gqlOk(officer(), BY_TID, { t })).cases.edges[0].node;
  const types = async (t: string): Promise<string[]> => (await byTid(t)).timeline.edges.map((e: any) => e.node.type);
  const events = async (t: string, type: string) => (await byTid(t)).timeline.edges.map((e: any) => e.node).filter((n: any) => n.type === type);
  const outbox = async (t: string): Promise<{ kind: string; text: string; state: string; attempts: number }[]> =>
    app.db.dataSource.query(`SELECT kind, text, state, attempts FROM lapor_outbox WHERE tracking_id = $1 ORDER BY source_event_id, kind`, [t]);
  /** Waits until no outbox row is being sent (the module's own worker may be mid-post). */
  const settled = async (): Promise<void> => {
    for (let i = 0; i < 250; i++) {
      const [r] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM lapor_outbox WHERE state = 'SENDING' AND lease_until > $1`, [clock.now().toISOString()]);
      if (r.n === 0) return;
      await sleep(20);
    }
    throw new Error('outbox did not settle');
  };
  /** Runs the outbox as the jobs do, then lets the after-commit worker finish. */
  const drive = async (): Promise<void> => {
    await settled();
    await lapor.collectOutgoing();
    await lapor.sendOutgoing().catch(() => undefined);
    await settled();
  };
  const pull = async (tid: string, overrides: Parameters<typeof wireReport>[0] = {}) => {
    fake.put(wireReport({ tracking_id: tid, ...overrides }));
    await lapor.poll();
    return byTid(tid);
  };

  it('what was answered before the API was switched on is not posted (the officer posted it by hand)', async () => {
    await drive();
    expect(fake.followUpPosts.filter((p) => p.trackingId === 'LAP-2026-0200')).toEqual([]);
    expect(fake.statusPosts.filter((p) => p.trackingId === 'LAP-2026-0200')).toEqual([]);
    expect(await outbox('LAP-2026-0200')).toEqual([]);
  });

  it('posts IN_PROGRESS when the case is first worked and FINISHED after the answer, once per event; pendingFollowUps counts what is unsent', async () => {
    const tid = 'LAP-2026-0201';
    const c = await pull(tid);
    fake.failFollowUps = '500'; // hold the answer back to see the order and the count
    await gqlOk(officer(), ASSIGN, { id: c.id });
    await gqlOk(officer(), CLASSIFY, { id: c.id });
    await gqlOk(officer(), ANSWER, { id: c.id, via: 'LAPOR' });
    await drive();
    // IN_PROGRESS went out; the answer failed once; FINISHED waits for the answer.
    expect(fake.statusPosts.filter((s) => s.trackingId === tid).map((s) => s.status)).toEqual(['Diproses']);
    expect((await outbox(tid)).map((r) => [r.kind, r.state])).toEqual([['STATUS', 'SENT'], ['ANSWER', 'PENDING'], ['STATUS', 'PENDING']]);
    expect((await gqlOk(officer(), STATUS)).laporChannelStatus.pendingFollowUps).toBe(2);
    fake.failFollowUps = null;
    clock.advance(60_000);
    await drive();
    await drive();
    expect(fake.statusPosts.filter((s) => s.trackingId === tid).map((s) => s.status)).toEqual(['Diproses', 'Selesai']);
    expect(fake.followUpPosts.filter((p) => p.trackingId === tid)).toHaveLength(2); // the failed attempt and the retry
    expect(fake.followUps.filter((f) => f.trackingId === tid)).toHaveLength(1);
    expect((await gqlOk(officer(), STATUS)).laporChannelStatus.pendingFollowUps).toBe(0);
    const t = await types(tid);
    expect(t.filter((x) => x === 'LAPOR_STATUS_POSTED')).toHaveLength(2);
    expect(t.filter((x) => x === 'LAPOR_FOLLOW_UP')).toHaveLength(1);
    // Read again from the start (as after a lost cursor): nothing is queued or posted twice.
    await app.db.dataSource.query(`DELETE FROM lapor_state WHERE name = 'cursor:events'`);
    expect(await lapor.collectOutgoing()).toBe(0);
    await drive();
    expect(fake.statusPosts.filter((s) => s.trackingId === tid)).toHaveLength(2);
    expect(fake.followUpPosts.filter((p) => p.trackingId === tid)).toHaveLength(2);
  });

  it('an event that commits behind the cursor is still queued', async () => {
    const tid = 'LAP-2026-0202';
    const c = await pull(tid);
    await gqlOk(officer(), POST_FOLLOW_UP, { t: tid });
    const [ev] = await app.db.dataSource.query(`SELECT id::text AS id FROM case_events WHERE case_id = $1 AND type = 'LAPOR_FOLLOW_UP_QUEUED'`, [c.id]);
    // As if the cursor had read past this event's id before its transaction committed.
    await settled();
    await app.db.dataSource.query(`DELETE FROM lapor_outbox WHERE tracking_id = $1`, [tid]);
    await app.db.dataSource.query(`UPDATE lapor_state SET value = $1 WHERE name = 'cursor:events'`, [JSON.stringify({ cursor: String(Number(ev.id) + 5) })]);
    await drive();
    expect((await outbox(tid)).map((r) => [r.kind, r.state])).toEqual([['FOLLOW_UP', 'SENT']]);
  });

  it('backs off between attempts and gives up after 8: LAPOR_FOLLOW_UP_FAILED is on the case for officers', async () => {
    const tid = 'LAP-2026-0203';
    await pull(tid);
    fake.failFollowUps = '500';
    await gqlOk(officer(), POST_FOLLOW_UP, { t: tid });
    const posts = () => fake.followUpPosts.filter((p) => p.trackingId === tid).length;
    try {
      // The first attempt: the after-commit worker may be taking it at the same moment (bounded retries, the clock stands still).
      for (let i = 0; i < 20 && posts() === 0; i++) {
        await drive();
        if (posts() === 0) await sleep(50);
      }
      expect(posts()).toBe(1);
      await backoffAndGiveUp(tid, posts);
    } finally {
      // Whatever happened, the next tests get a LAPOR! that answers.
      fake.failFollowUps = null;
    }
  });

  async function backoffAndGiveUp(tid: string, posts: () => number): Promise<void> {
    // 30 s after the first failure, doubling: never earlier.
    const waits = [30, 60, 120, 240, 480, 960, 1920];
    for (const [i, seconds] of waits.entries()) {
      clock.advance(seconds * 1000 - 1000);
      await drive();
      expect(posts()).toBe(i + 1);
      clock.advance(1000);
      await drive();
      expect(posts()).toBe(i + 2);
    }
    const [row] = await outbox(tid);
    expect(row).toMatchObject({ kind: 'FOLLOW_UP', state: 'FAILED', attempts: 8 });
    clock.advance(86_400_000);
    await drive();
    expect(posts()).toBe(8);
    const failed = await events(tid, 'LAPOR_FOLLOW_UP_FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0].after).toMatchObject({ trackingId: tid, kind: 'FOLLOW_UP', attempts: 8 });
    expect(failed[0].after.error).not.toContain(fake.token);
    expect(await types(tid)).not.toContain('LAPOR_FOLLOW_UP');
  }

  it('a crash between the post and marking it sent: the retry sends the same ref, Loket records one LAPOR_FOLLOW_UP', async () => {
    const tid = 'LAP-2026-0204';
    await pull(tid);
    // The database goes away right after LAPOR! took the post: neither "sent" nor "failed" is written.
    const store = (lapor as unknown as { store: LaporStore }).store;
    const sent = crashOnce(store, 'markSent', tid);
    const failed = crashOnce(store, 'markFailed', tid);
    try {
      await gqlOk(officer(), POST_FOLLOW_UP, { t: tid });
      for (let i = 0; i < 100 && !failed.crashed(); i++) {
        await lapor.collectOutgoing();
        await lapor.sendOutgoing().catch(() => undefined);
        await sleep(20);
      }
      expect(sent.crashed()).toBe(true);
      expect(failed.crashed()).toBe(true);
    } finally {
      sent.restore();
      failed.restore();
    }
    expect((await outbox(tid))[0]).toMatchObject({ state: 'SENDING', attempts: 1 });
    // The lease (5 minutes) runs out; another run takes the row again.
    clock.advance(6 * 60_000);
    await drive();
    const refs = fake.followUpPosts.filter((p) => p.trackingId === tid).map((p) => p.ref);
    expect(refs).toHaveLength(2);
    expect(refs[1]).toBe(refs[0]);
    expect(fake.followUps.filter((f) => f.trackingId === tid)).toHaveLength(1);
    expect((await outbox(tid))[0]).toMatchObject({ state: 'SENT', attempts: 2 });
    expect((await types(tid)).filter((x) => x === 'LAPOR_FOLLOW_UP')).toHaveLength(1);
    expect((await byTid(tid)).lapor.status).toBe('FOLLOWED_UP');
  });

  it('a crash after the post while recording it on the case: the row is not marked sent, the retry records it once', async () => {
    const tid = 'LAP-2026-0209';
    await pull(tid);
    const repo = (lapor as unknown as { cases: CaseRepository }).cases;
    const store = (lapor as unknown as { store: LaporStore }).store;
    const { caseId } = (await store.byTrackingId(tid))!;
    let crashed = false;
    const original = repo.saveClaiming.bind(repo);
    const save = jest.spyOn(repo, 'saveClaiming').mockImplementation(async (c, claim) => {
      if (!crashed && c.snapshot().id === caseId && claim.key.startsWith('lapor-out:')) {
        crashed = true;
        throw new Error('connection lost');
      }
      return original(c, claim);
    });
    const failed = crashOnce(store, 'markFailed', tid);
    try {
      await gqlOk(officer(), POST_FOLLOW_UP, { t: tid });
      for (let i = 0; i < 100 && !crashed; i++) {
        await lapor.collectOutgoing();
        await lapor.sendOutgoing().catch(() => undefined);
        await sleep(20);
      }
      expect(crashed).toBe(true);
      for (let i = 0; i < 100 && !failed.crashed(); i++) await sleep(20);
      expect(failed.crashed()).toBe(true);
    } finally {
      save.mockRestore();
      failed.restore();
    }
    expect((await outbox(tid))[0]).toMatchObject({ state: 'SENDING' });
    clock.advance(6 * 60_000);
    await drive();
    const refs = fake.followUpPosts.filter((p) => p.trackingId === tid).map((p) => p.ref);
    expect(refs).toEqual([refs[0], refs[0]]);
    expect((await types(tid)).filter((x) => x === 'LAPOR_FOLLOW_UP')).toHaveLength(1);
    expect((await byTid(tid)).lapor.status).toBe('FOLLOWED_UP');
  });

  it('closes a followed-up report after 10 working days without a reply; a reply within them prevents it', async () => {
    clock.set('2026-12-02T03:00:00Z'); // Wednesday
    const quiet = 'LAP-2026-0205';
    const replied = 'LAP-2026-0206';
    for (const tid of [quiet, replied]) {
      const c = await pull(tid);
      await gqlOk(officer(), CLASSIFY, { id: c.id });
      await gqlOk(officer(), ANSWER, { id: c.id, via: 'LAPOR' });
      await drive();
      expect((await byTid(tid)).lapor.status).toBe('FOLLOWED_UP');
    }
    // Thu 3 .. Wed 16 December 2026 are the 10 working days.
    clock.set('2026-12-09T03:00:00Z');
    await pull(replied, { tanggapan: [{ id: 'R-0206', tanggal: '2026-12-09T02:00:00Z', isi: 'Belum ada kabar.', lampiran: [] }] });
    expect((await byTid(replied)).lapor.status).toBe('REPLIED');
    clock.set('2026-12-16T03:00:00Z');
    await lapor.runClocks();
    expect((await byTid(quiet)).status).toBe('ANSWERED');
    clock.set('2026-12-17T03:00:00Z');
    await lapor.runClocks();
    await lapor.runClocks();
    const closed = await byTid(quiet);
    expect(closed.status).toBe('CLOSED');
    expect(closed.lapor.status).toBe('CLOSED');
    expect((await types(quiet)).filter((x) => x === 'LAPOR_CLOSED')).toHaveLength(1);
    const open = await byTid(replied);
    expect(open.status).toBe('ANSWERED');
    expect(open.lapor.status).toBe('REPLIED');
    expect(await types(replied)).not.toContain('LAPOR_CLOSED');
  });

  it('a reply pulled while an officer changes the case is taken on the fresh case, not a failed pull', async () => {
    const tid = 'LAP-2026-0211';
    await pull(tid);
    const repo = (lapor as unknown as { cases: CaseRepository }).cases;
    const original = repo.saveClaiming.bind(repo);
    let conflicted = false;
    const save = jest.spyOn(repo, 'saveClaiming').mockImplementation(async (c, claim) => {
      if (!conflicted && claim.key.startsWith(`lapor-reply:${tid}:`)) {
        conflicted = true;
        throw new ConcurrentModificationError(c.snapshot().id);
      }
      return original(c, claim);
    });
    try {
      await pull(tid, { tanggapan: [{ id: 'R-0211', tanggal: '2026-12-17T02:00:00Z', isi: 'Mohon segera.', lampiran: [] }] });
    } finally {
      save.mockRestore();
    }
    expect(conflicted).toBe(true);
    expect((await events(tid, 'INCOMING_MESSAGE')).map((e: any) => e.text)).toEqual(['Mohon segera.']);
    expect((await gqlOk(officer(), STATUS)).laporChannelStatus.state).toBe('OK');
  });

  it('caseStatus takes the tracking ID with the access code; a wrong code answers as an unknown one', async () => {
    const tid = 'LAP-2026-0207';
    const c = await pull(tid);
    const ok = (await gqlOk(anonymous(app), CASE_STATUS, { r: tid.toLowerCase(), c: c.accessCode })).caseStatus;
    expect(ok.status).toBe('RECEIVED');
    expect(ok.reference).not.toBe(tid); // the case's own reference
    const wrong = await gql(anonymous(app), CASE_STATUS, { r: tid, c: 'AAAA-AAAA' });
    const unknown = await gql(anonymous(app), CASE_STATUS, { r: 'LAP-2026-9999', c: c.accessCode });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('CASE_STATUS_NOT_FOUND');
    expect(wrong.errors?.[0]).toEqual(unknown.errors?.[0]);
    expect(wrong.data).toEqual(unknown.data);
  });

  it('a LAPOR! that does not answer: the gateway gives up within its timeout and the channel shows the error', async () => {
    fake.failNext = ['timeout'];
    await expect(lapor.poll()).rejects.toThrow(/did not answer within 1000 ms/);
    const s = (await gqlOk(officer(), STATUS)).laporChannelStatus;
    expect(s).toMatchObject({ state: 'ERROR', errorKind: 'UNREACHABLE' });
    expect(s.lastError).not.toContain(fake.token);
    await lapor.poll();
    expect((await gqlOk(officer(), STATUS)).laporChannelStatus.state).toBe('OK');
  });

  it('two registrations of one tracking ID at once give one case', async () => {
    const LOG = `mutation($input: LogLaporReportInput!) { logLaporReport(input: $input) { id } }`;
    // Its dates must be in the past whatever the tests before it did with the clock.
    if (clock.now() < new Date('2026-12-17T03:00:00Z')) clock.set('2026-12-17T03:00:00Z');
    const input = { trackingId: 'LAP-2026-0210', receivedAt: '2026-12-15T02:00:00Z', dispositionedAt: '2026-12-16T02:00:00Z', subject: 'Jalan rusak', rahasia: false, anonim: true };
    const [a, b] = await Promise.all([gqlOk(officer(), LOG, { input }), gqlOk(officer(), LOG, { input: { ...input, trackingId: ' lap-2026-0210 ' } })]);
    expect(a.logLaporReport.id).toBe(b.logLaporReport.id);
    const [n] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM cases WHERE channel = 'LAPOR' AND subject = 'Jalan rusak'`);
    expect(n.n).toBe(1);
  });

  it('a report changed on LAPOR! between pulls: a LAPOR_REPORT_CHANGED note once per change, never a second case', async () => {
    const tid = 'LAP-2026-0208';
    const first = await pull(tid);
    await pull(tid); // unchanged
    await pull(tid, { judul: 'Bantuan sosial tahap 2 belum diterima', isi: 'Sudah empat bulan.' });
    await pull(tid, { judul: 'Bantuan sosial tahap 2 belum diterima', isi: 'Sudah empat bulan.' }); // same change again
    await pull(tid); // and back
    const found = (await gqlOk(officer(), BY_TID, { t: tid })).cases;
    expect(found.totalCount).toBe(1);
    expect(found.edges[0].node.id).toBe(first.id);
    const changes = await events(tid, 'LAPOR_REPORT_CHANGED');
    expect(changes.map((e: any) => [e.after.subject, e.text])).toEqual([
      ['Bantuan sosial tahap 2 belum diterima', 'Sudah empat bulan.'],
      ['Bantuan sosial belum diterima', 'Sudah tiga bulan bantuan tidak cair.'],
    ]);
    // The case keeps the text it was received with.
    const [row] = await app.db.dataSource.query(`SELECT subject FROM cases WHERE id = $1`, [first.id]);
    expect(row.subject).toBe('Bantuan sosial belum diterima');
  });

  it('neither the token nor the reporter\'s data is in the logs, the stored errors or a quarantined payload', async () => {
    for (const f of ['401', '500', 'malformed', 'unknown-field'] as const) {
      fake.failNext = [f];
      await lapor.poll().catch(() => undefined);
    }
    fake.put(wireReport({ tracking_id: 'LAP-2026-0299', tanggal_laporan: 'kemarin' })); // quarantined, with a reporter
    await lapor.poll();
    const stored = JSON.stringify([
      await app.db.dataSource.query(`SELECT last_error, response FROM lapor_outbox`),
      await app.db.dataSource.query(`SELECT value FROM lapor_state`),
      await app.db.dataSource.query(`SELECT reason, payload FROM lapor_quarantine`),
      await app.db.dataSource.query(`SELECT after FROM case_events WHERE type::text LIKE 'LAPOR_%'`),
    ]);
    expect(stored).toContain('LAP-2026-0299');
    const logs = logLines.join('');
    expect(logs).toContain('SP4N-LAPOR! channel in error state');
    for (const secret of [fake.token, 'Siti Aminah', 'siti@example.id', '081234567890']) {
      expect(logs).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
  });
});
