import { LoketApp } from '../../../src/app';
import { configureChannels } from '../../../src/modules/channels';
import { createTestDatabase } from '../../support/database';
import { FakeLaporServer, wireReport } from '../../support/lapor/fake-lapor-server';
import { as, gql, gqlOk, ManualClock, startTestApp } from '../../support/test-app';

const LOG = `mutation($input: LogLaporReportInput!) { logLaporReport(input: $input) { id channel confidential anonymous status lapor { trackingId dispositionedAt followUpDueAt status } } }`;
const BY_TID = `query($t: String!) { cases(filter: { laporTrackingId: $t }) { totalCount edges { node { id status lapor { trackingId status followUpDueAt } timeline(first: 30) { edges { node { type text after } } } } } } }`;
const STATUS = `{ laporChannelStatus { apiConfigured state errorKind lastError } }`;

const wib = (d: string): string => new Date(d).toLocaleString('sv-SE', { timeZone: 'Asia/Pontianak' });

describe('SP4N-LAPOR! channel (real PostgreSQL, loopback fake LAPOR!)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  const fake = new FakeLaporServer();
  const clock = new ManualClock(new Date('2026-12-01T03:00:00Z'));

  beforeAll(async () => {
    await fake.start();
    const db = await createTestDatabase('lapor');
    drop = db.drop;
    app = await startTestApp(db.url, clock, { channels: configureChannels({ LOKET_LAPOR_URL: fake.url, LOKET_LAPOR_TOKEN: fake.token, LOKET_LAPOR_POLL_SECONDS: '3600' }) });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
    await fake.stop();
  });

  const byTid = async (t: string) => (await gqlOk(as(app, 'COMPLAINT_OFFICER'), BY_TID, { t })).cases;
  const manual = (overrides: Record<string, unknown> = {}) => ({
    trackingId: 'LAP-2026-0001', receivedAt: '2026-11-27T02:00:00Z', dispositionedAt: '2026-11-30T02:00:00Z',
    subject: 'Bantuan sosial belum diterima', description: 'Sudah tiga bulan.', rahasia: false, anonim: false, reporter: { name: 'Siti Aminah' }, ...overrides,
  });

  it('manual registration and the API pull of the same report give one case', async () => {
    const first = (await gqlOk(as(app, 'COMPLAINT_OFFICER'), LOG, { input: manual() })).logLaporReport;
    expect(first.channel).toBe('LAPOR');
    expect(first.lapor).toMatchObject({ trackingId: 'LAP-2026-0001', status: 'DISPOSITIONED' });
    const again = (await gqlOk(as(app, 'COMPLAINT_OFFICER'), LOG, { input: manual() })).logLaporReport;
    expect(again.id).toBe(first.id);
    fake.put(wireReport());
    await app.services.lapor.poll();
    await app.services.lapor.poll();
    const found = await byTid('lap-2026-0001');
    expect(found.totalCount).toBe(1);
    expect(found.edges[0].node.id).toBe(first.id);
  });

  it('anonim: no requester at all; rahasia: confidential', async () => {
    const c = (await gqlOk(as(app, 'COMPLAINT_OFFICER'), LOG, { input: manual({ trackingId: 'LAP-2026-0002', anonim: true, rahasia: true, reporter: { name: 'X' } }) })).logLaporReport;
    expect(c.anonymous).toBe(true);
    expect(c.confidential).toBe(true);
  });

  it('follow-up deadline: 5 working days from disposition, into January 2027 skipping 1 January and Isra Mikraj (5 January)', async () => {
    clock.set('2026-12-30T03:00:00Z');
    const c = (await gqlOk(as(app, 'COMPLAINT_OFFICER'), LOG, { input: manual({ trackingId: 'LAP-2026-0003', receivedAt: '2026-12-29T02:00:00Z', dispositionedAt: '2026-12-30T02:00:00Z' }) })).logLaporReport;
    expect(wib(c.lapor.followUpDueAt).slice(0, 10)).toBe('2027-01-08');
  });

  it('follow-up deadline across the Idulfitri block in March 2027', async () => {
    clock.set('2027-03-05T03:00:00Z');
    const c = (await gqlOk(as(app, 'COMPLAINT_OFFICER'), LOG, { input: manual({ trackingId: 'LAP-2027-0004', receivedAt: '2027-03-04T02:00:00Z', dispositionedAt: '2027-03-05T02:00:00Z' }) })).logLaporReport;
    expect(wib(c.lapor.followUpDueAt).slice(0, 10)).toBe('2027-03-22');
  });

  it('warning and breach of the follow-up clock once per case', async () => {
    clock.set('2027-06-01T03:00:00Z');
    await app.services.lapor.runClocks();
    await app.services.lapor.runClocks();
    const events = (await byTid('LAP-2026-0003')).edges[0].node.timeline.edges.map((e: any) => e.node.type);
    expect(events.filter((t: string) => t === 'LAPOR_FOLLOW_UP_WARNING')).toHaveLength(1);
    expect(events.filter((t: string) => t === 'LAPOR_FOLLOW_UP_BREACHED')).toHaveLength(1);
  });

  it('answer via LAPOR is queued and posted once; the reply joins the case; what LAPOR! answered is on the timeline', async () => {
    const c = (await byTid('LAP-2026-0001')).edges[0].node;
    await gqlOk(as(app, 'COMPLAINT_OFFICER'), `mutation($id: ID!) { classifyComplaint(caseId: $id, complaintClass: NORMATIVE) { id } }`, { id: c.id });
    await gqlOk(as(app, 'COMPLAINT_OFFICER'), `mutation($id: ID!) { answerCase(caseId: $id, answer: { text: "Bantuan dicairkan minggu depan.", deliveredVia: LAPOR }) { id status } }`, { id: c.id });
    // The worker also runs after every commit; drive it until the post is seen, then once more.
    for (let i = 0; i < 50 && fake.followUps.length === 0; i++) {
      await app.services.lapor.collectOutgoing();
      await app.services.lapor.sendOutgoing();
      await new Promise((r) => setTimeout(r, 20));
    }
    await app.services.lapor.collectOutgoing();
    await app.services.lapor.sendOutgoing();
    expect(fake.followUps).toHaveLength(1);
    expect(fake.followUps[0]!.body.isi).toBe('Bantuan dicairkan minggu depan.');
    fake.put(wireReport({ tanggapan: [{ id: 'R1', tanggal: '2026-12-02T02:00:00Z', isi: 'Terima kasih', lampiran: [] }] }));
    await app.services.lapor.poll();
    fake.put(wireReport({ tanggapan: [{ id: 'R1', tanggal: '2026-12-02T02:00:00Z', isi: 'Terima kasih', lampiran: [] }] })); // pulled again
    await app.services.lapor.poll();
    const after = (await byTid('LAP-2026-0001')).edges[0].node;
    const types = after.timeline.edges.map((e: any) => e.node.type);
    expect(types.filter((t: string) => t === 'LAPOR_FOLLOW_UP')).toHaveLength(1);
    expect(types.filter((t: string) => t === 'INCOMING_MESSAGE')).toHaveLength(1);
    expect(after.lapor.status).toBe('REPLIED');
  });

  it('a rejected token, a 5xx, malformed JSON and an unknown field put the channel in a visible error state', async () => {
    fake.put(wireReport({ tracking_id: 'LAP-2026-0011' }));
    for (const f of ['401', '500', 'malformed', 'unknown-field'] as const) {
      fake.failNext = [f, f, f];
      await expect(app.services.lapor.poll()).rejects.toThrow();
      const s = (await gqlOk(as(app, 'SUPERVISOR'), STATUS)).laporChannelStatus;
      expect(s.state).toBe('ERROR');
      expect(s.lastError).not.toContain(fake.token);
      // Shown in /readyz, but the instance stays ready: the outage is LAPOR!'s.
      const ready = await fetch(app.url.replace('/graphql', '/readyz'));
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { details?: Record<string, unknown> }).details?.laporChannel).toBe('ERROR');
    }
    fake.failNext = [];
    fake.put(wireReport({ tracking_id: 'LAP-2026-0010' }));
    await app.services.lapor.poll();
    expect((await gqlOk(as(app, 'SUPERVISOR'), STATUS)).laporChannelStatus.state).toBe('OK');
    expect((await gql(as(app, 'HANDLER'), STATUS)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a report that cannot be mapped is quarantined with the reason, not dropped', async () => {
    fake.put(wireReport({ tracking_id: 'LAP-2026-0009', tanggal_disposisi: 'kemarin' }));
    await app.services.lapor.poll();
    const q = (await gqlOk(as(app, 'COMPLAINT_OFFICER'), `{ quarantinedLaporReports { trackingId reason } }`)).quarantinedLaporReports;
    expect(q).toEqual(expect.arrayContaining([expect.objectContaining({ trackingId: 'LAP-2026-0009', reason: expect.stringContaining('tanggal_disposisi') })]));
  });
});
