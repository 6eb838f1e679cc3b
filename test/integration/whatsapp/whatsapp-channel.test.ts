import { createHmac } from 'node:crypto';
import { LoketApp } from '../../../src/app';
import { configureChannels } from '../../../src/modules/channels';
import { createTestDatabase } from '../../support/database';
import { as, gqlOk, ManualClock, startTestApp } from '../../support/test-app';
import { FakeGraphApi } from '../../support/whatsapp/fake-graph-api';
import { delivery, everyType, PNID, statusDelivery, wamid } from '../../fixtures/whatsapp/webhook-payloads';
import { webhookBody } from '../../support/whatsapp/graph-api-contract';

const SECRET = 'app-secret-for-tests';
const sign = (raw: string): string => `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;

describe('WhatsApp channel (real PostgreSQL, fake Graph API)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  const fake = new FakeGraphApi();
  // Tue 2026-12-01 10:00 WIB.
  const clock = new ManualClock(new Date('2026-12-01T03:00:00Z'));
  let base = '';
  let n = 0;
  const newNumber = (): string => `62812${String(Date.now()).slice(-5)}${String(++n).padStart(2, '0')}`;

  beforeAll(async () => {
    const db = await createTestDatabase('whatsapp');
    drop = db.drop;
    await fake.start();
    app = await startTestApp(db.url, clock, {
      channels: configureChannels({
        LOKET_WHATSAPP_PHONE_NUMBER_ID: PNID, LOKET_WHATSAPP_ACCESS_TOKEN: 'test-token', LOKET_WHATSAPP_APP_SECRET: SECRET,
        LOKET_WHATSAPP_VERIFY_TOKEN: 'verify-me', LOKET_WHATSAPP_ANSWER_TEMPLATE: 'jawaban_tersedia', LOKET_WHATSAPP_GRAPH_URL: fake.graphUrl,
        LOKET_WHATSAPP_POLL_SECONDS: '3600', LOKET_WHATSAPP_MAX_BODY_BYTES: '65536',
      }),
    });
    base = app.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
    await drop?.();
  });

  const q = (sql: string, params: unknown[] = []): Promise<any[]> => app.db.dataSource.query(sql, params);
  const settle = async (): Promise<void> => {
    await (app.services.whatsapp.idle as () => Promise<void>)();
  };
  const post = async (body: unknown, signature?: string | null): Promise<Response> => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const sig = signature === undefined ? sign(raw) : signature;
    if (sig) headers['x-hub-signature-256'] = sig;
    return fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers, body: raw });
  };
  const deliver = async (body: unknown): Promise<void> => {
    expect((await post(body)).status).toBe(200);
    await settle();
  };
  const caseOf = async (id: unknown): Promise<any> => (await q(`SELECT * FROM whatsapp_messages WHERE wamid = $1`, [id]))[0];
  const events = (caseId: string): Promise<any[]> => q(`SELECT type, text, after FROM case_events WHERE case_id = $1 ORDER BY id`, [caseId]);
  const text = (body: string, at = clock.now()): Record<string, unknown> => ({ id: wamid(), timestamp: String(Math.floor(at.getTime() / 1000)), type: 'text', text: { body } });

  it('answers the verification handshake only with the verify token', async () => {
    const ok = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403);
  });

  it('refuses a missing or wrong signature with 401 and stores nothing; a body over the limit is 413', async () => {
    const before = (await q(`SELECT count(*)::int AS n FROM whatsapp_deliveries`))[0].n;
    const body = delivery(newNumber(), 'Budi', [text('halo')]);
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, sign('something else'))).status).toBe(401);
    expect((await post(body, 'sha256=zz')).status).toBe(401);
    expect((await q(`SELECT count(*)::int AS n FROM whatsapp_deliveries`))[0].n).toBe(before);
    expect((await post('x'.repeat(70_000))).status).toBe(413);
  });

  it('makes one confidential WHATSAPP complaint of a message delivered twice, acknowledged once with reference and access code', async () => {
    const from = newNumber();
    const m = text('Bantuan PKH saya belum cair sejak Agustus');
    const body = delivery(from, 'Siti Aminah', [m]);
    await deliver(body);
    await deliver(body); // Meta's retry: the same body
    await deliver(delivery(from, 'Siti Aminah', [m])); // built again: the same bytes, deduped by the body's hash
    // The same message in a delivery of other bytes (here a status callback with it): deduped by wamid.
    await deliver(webhookBody({ ...(delivery(from, 'Siti Aminah', [m]) as any).entry[0].changes[0].value, statuses: [{ id: 'wamid.unknown-send', status: 'sent', timestamp: m.timestamp, recipient_id: from }] }));
    const rows = await q(`SELECT id, reference, access_code, channel, confidential, requester FROM cases WHERE channel_details->>'whatsappMessageId' = $1`, [m.id]);
    expect(rows).toHaveLength(1);
    const c = rows[0];
    expect(c.channel).toBe('WHATSAPP');
    expect(c.confidential).toBe(true);
    // Not joined to its own case as a second message either.
    expect((await events(c.id)).filter((e) => e.type === 'INCOMING_MESSAGE')).toHaveLength(0);
    const sends = fake.sends().filter((s) => s.body.to === from);
    expect(sends).toHaveLength(1);
    expect(sends[0].authorization).toBe('Bearer test-token');
    expect(sends[0].body.text.body).toContain(c.reference);
    expect(sends[0].body.text.body).toContain(`${c.access_code.slice(0, 4)}-${c.access_code.slice(4)}`);
    expect(sends[0].body.text.body).toMatch(/paling lambat .* WIB/);
    const view = await gqlOk(as(app, 'COMPLAINT_OFFICER'), `query($id: ID!) { case(id: $id) { requester { name phone } } }`, { id: c.id });
    expect(view.case.requester).toEqual({ name: 'Siti Aminah', phone: `+${from}` });
  });

  it('puts a text then three photos (two deliveries) on one case in order, files following the case', async () => {
    const from = newNumber();
    const photos = [1, 2, 3].map((i) => {
      const id = `media-photo-${from}-${i}`;
      fake.addMedia(id, Buffer.from(`jpeg bytes ${i}`), 'image/jpeg');
      return { id: wamid(), timestamp: String(Math.floor(clock.now().getTime() / 1000) + i), type: 'image', image: { mime_type: 'image/jpeg', id } };
    });
    fake.failNext('media', 'serverError'); // the first download fails; the case exists anyway
    await deliver(delivery(from, 'Andi', [text('Jalan rusak di depan rumah')]));
    await deliver(delivery(from, 'Andi', photos));
    const first = await caseOf(photos[0].id);
    for (const p of photos) expect((await caseOf(p.id)).case_id).toBe(first.case_id);
    const ev = (await events(first.case_id)).filter((e) => e.type === 'INCOMING_MESSAGE');
    expect(ev.map((e) => e.after.messageId)).toEqual(photos.map((p) => p.id));
    let files = await q(`SELECT filename FROM case_attachments WHERE case_id = $1`, [first.case_id]);
    expect(files.length).toBe(2); // one download failed, retried later
    clock.advance(60_000);
    await settle();
    files = await q(`SELECT filename FROM case_attachments WHERE case_id = $1`, [first.case_id]);
    expect(files.length).toBe(3);
  });

  it('notes a media id that expired on the case instead of losing the message', async () => {
    const from = newNumber();
    const m = { id: wamid(), timestamp: String(Math.floor(clock.now().getTime() / 1000)), type: 'document', document: { filename: 'ktp.pdf', mime_type: 'application/pdf', id: 'media-gone' } };
    await deliver(delivery(from, 'Rina', [m]));
    const row = await caseOf(m.id);
    expect(row.outcome).toBe('CREATED');
    const notes = (await events(row.case_id)).filter((e) => e.type === 'NOTE_ADDED');
    expect(notes.some((e) => /kedaluwarsa/.test(e.text))).toBe(true);
    expect((await q(`SELECT status FROM whatsapp_media WHERE wamid = $1`, [m.id]))[0].status).toBe('EXPIRED');
  });

  it('turns every message type into a case, a join, a note or an ignored message without blocking the channel', async () => {
    const all = everyType(clock.now());
    // A fresh number each: every type from a stranger.
    for (const [name, m] of Object.entries(all)) {
      await deliver(delivery(newNumber(), `Tipe ${name}`, [m]));
      const row = await caseOf(m.id as string);
      expect({ name, outcome: row?.outcome }).toEqual({ name, outcome: ['sticker', 'reaction', 'order', 'system'].includes(name) ? 'IGNORED' : 'CREATED' });
    }
    // The same types from one number with a case: joins and notes.
    const from = newNumber();
    await deliver(delivery(from, 'Satu Nomor', [text('Pengaduan pertama')]));
    const again = everyType(clock.now());
    await deliver(delivery(from, 'Satu Nomor', Object.values(again)));
    const outcomes = await Promise.all(Object.values(again).map(async (m) => (await caseOf(m.id as string)).outcome));
    expect(new Set(outcomes)).toEqual(new Set(['JOINED', 'NOTED']));
    expect((await q(`SELECT count(*)::int AS n FROM whatsapp_deliveries WHERE status <> 'DONE'`))[0].n).toBe(0);
  });

  it('joins the case whose reference is in the text', async () => {
    const first = text('Pengaduan awal');
    await deliver(delivery(newNumber(), 'A', [first]));
    const ref = (await q(`SELECT reference FROM cases WHERE id = $1`, [(await caseOf(first.id)).case_id]))[0].reference;
    const other = text(`Menanyakan perkembangan ${ref} mohon info`);
    await deliver(delivery(newNumber(), 'B', [other]));
    expect((await caseOf(other.id)).case_id).toBe((await caseOf(first.id)).case_id);
  });

  const ANSWER = `mutation($id: ID!, $a: AnswerInput!) { answerCase(caseId: $id, answer: $a) { status } }`;

  it('answers by free text inside the 24-hour window and by the template outside it, the full answer after the reply', async () => {
    const inside = newNumber();
    const m1 = text('Mohon info jadwal bantuan');
    await deliver(delivery(inside, 'Dalam', [m1]));
    const c1 = (await caseOf(m1.id)).case_id;
    await gqlOk(app.url, ANSWER, { id: c1, a: { text: 'Jadwal bantuan bulan Januari.', deliveredVia: 'WHATSAPP' } });
    await settle();
    const s1 = fake.sends().filter((s) => s.body.to === inside);
    expect(s1.map((s) => s.body.type)).toEqual(['text', 'text']);
    expect(s1[1].body.text.body).toContain('Jadwal bantuan bulan Januari.');

    const outside = newNumber();
    const m2 = text('Pengaduan lama');
    await deliver(delivery(outside, 'Luar', [m2]));
    const c2 = (await caseOf(m2.id)).case_id;
    clock.advance(25 * 3600_000);
    await gqlOk(app.url, ANSWER, { id: c2, a: { text: 'Sudah kami tindak lanjuti.', deliveredVia: 'WHATSAPP' } });
    await settle();
    let s2 = fake.sends().filter((s) => s.body.to === outside);
    expect(s2.map((s) => s.body.type)).toEqual(['text', 'template']);
    const ref = (await q(`SELECT reference FROM cases WHERE id = $1`, [c2]))[0].reference;
    expect(s2[1].body.template).toEqual({ name: 'jawaban_tersedia', language: { code: 'id' }, components: [{ type: 'body', parameters: [{ type: 'text', text: ref }] }] });
    await deliver(delivery(outside, 'Luar', [text('Baik, mohon jawabannya')]));
    s2 = fake.sends().filter((s) => s.body.to === outside);
    expect(s2.map((s) => s.body.type)).toEqual(['text', 'template', 'text']);
    expect(s2[2].body.text.body).toContain('Sudah kami tindak lanjuti.');
  });

  it('records status callbacks on the timeline; a permanent failure is DELIVERY_FAILED', async () => {
    const from = newNumber();
    const m = text('Status test');
    await deliver(delivery(from, 'S', [m]));
    const caseId = (await caseOf(m.id)).case_id;
    const sent = (await q(`SELECT wamid FROM whatsapp_outbox WHERE case_id = $1`, [caseId]))[0].wamid;
    const t = String(Math.floor(clock.now().getTime() / 1000));
    const st = (status: string, extra: Record<string, unknown> = {}) => ({ id: sent, status, timestamp: t, recipient_id: from, ...extra });
    await deliver(statusDelivery([st('sent'), st('delivered'), st('read')]));
    await deliver(statusDelivery([st('failed', { errors: [{ code: 131047, title: 'Re-engagement message' }] })]));
    await deliver(statusDelivery([st('delivered')])); // repeated
    const ev = await events(caseId);
    expect(ev.filter((e) => e.type === 'MESSAGE_STATUS').map((e) => e.after.status)).toEqual(['SENT', 'DELIVERED', 'READ']);
    const failed = ev.filter((e) => e.type === 'DELIVERY_FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0].after.reason).toContain('131047');
  });

  it('shows a revoked token as an error state and sends once it works again; throttling is retried', async () => {
    fake.failNext('send', 'tokenExpired');
    const m = text('Token test');
    const from = newNumber();
    await deliver(delivery(from, 'T', [m]));
    const status = (await gqlOk(as(app, 'SUPERVISOR'), `{ whatsappChannelStatus { configured state lastError pendingSends } }`)).whatsappChannelStatus;
    expect(status).toMatchObject({ configured: true, state: 'ERROR', pendingSends: 1 });
    const readyz = await fetch(`${base}/readyz`);
    // Shown in the detail; the instance stays ready, so Meta's webhooks are still taken and stored.
    expect(readyz.status).toBe(200);
    expect(((await readyz.json()) as { details?: Record<string, unknown> }).details?.whatsapp).toBe('ERROR');
    fake.failNext('send', 'throttled');
    clock.advance(10 * 60_000);
    await settle();
    expect(fake.sendAttempts().filter((s) => s.body.to === from).map((s) => s.status)).toEqual([401, 429]);
    expect(fake.sends().filter((s) => s.body.to === from)).toHaveLength(0);
    clock.advance(10 * 60_000);
    await settle();
    expect(fake.sends().filter((s) => s.body.to === from)).toHaveLength(1);
    expect((await gqlOk(as(app, 'ADMIN'), `{ whatsappChannelStatus { state } }`)).whatsappChannelStatus.state).toBe('OK');
  });

  it("erases what the channel keeps of a person with their identity; an old delivery retried creates nothing; a new message starts afresh", async () => {
    const from = newNumber();
    const name = 'Dewi Lestari Hapusdata';
    const m1 = text('Rahasia keluarga nomor RHS7731QZ mohon dibantu');
    const first = delivery(from, name, [m1]);
    await deliver(first);
    const caseId = (await caseOf(m1.id)).case_id;
    fake.failNext('media', 'serverError'); // the download waits for its retry when the erasure comes
    const doc = { id: wamid(), timestamp: String(Math.floor(clock.now().getTime() / 1000) + 1), type: 'document', document: { filename: 'KTP Dewi Lestari.pdf', mime_type: 'application/pdf', id: `media-doc-${from}` } };
    await deliver(delivery(from, name, [doc]));
    const ack = (await q(`SELECT wamid FROM whatsapp_outbox WHERE case_id = $1 AND kind = 'ACKNOWLEDGEMENT'`, [caseId]))[0].wamid as string;
    const t = String(Math.floor(clock.now().getTime() / 1000));
    const status = statusDelivery([{ id: ack, status: 'delivered', timestamp: t, recipient_id: from }]);
    await deliver(status);
    await gqlOk(app.url, ANSWER, { id: caseId, a: { text: 'Jawaban rahasia JWB5521QZ untuk ibu', deliveredVia: 'WHATSAPP' } });
    await settle();

    const tables = ['whatsapp_deliveries', 'whatsapp_messages', 'whatsapp_threads', 'whatsapp_media', 'whatsapp_outbox'];
    const traces = async (): Promise<string> => {
      const rows: string[] = [];
      for (const table of tables) {
        const cols = table === 'whatsapp_deliveries' ? `(to_jsonb(t) - 'body')::text || ' ' || convert_from(t.body, 'UTF8')` : 't::text';
        rows.push(...(await q(`SELECT ${cols} AS row FROM ${table} t`)).map((r) => r.row as string));
      }
      return rows.join('\n');
    };
    const secrets = [from, name, 'Dewi', 'RHS7731QZ', 'JWB5521QZ', m1.id as string, doc.id, ack];
    const before = await traces();
    for (const s of secrets) expect({ s, kept: before.includes(s) }).toEqual({ s, kept: true });

    const erased = await gqlOk(as(app, 'ADMIN'), `mutation($id: ID!) { eraseRequester(caseId: $id, reason: "Permintaan penghapusan data oleh pelapor") }`, { id: caseId });
    expect(erased.eraseRequester).toBe(1);
    const after = await traces();
    for (const s of secrets) expect({ s, kept: after.includes(s) }).toEqual({ s, kept: false });
    // The wamids also leave the case's timeline and intake keys; the download is cancelled.
    const core = (await q(`SELECT e::text AS row FROM case_events e WHERE case_id = $1 UNION ALL SELECT k::text FROM intake_keys k WHERE case_id = $1`, [caseId])).map((r) => r.row).join('\n');
    for (const s of [m1.id as string, doc.id, ack, from]) expect({ s, kept: core.includes(s) }).toEqual({ s, kept: false });
    expect((await q(`SELECT status FROM whatsapp_media WHERE case_id = $1`, [caseId])).map((r) => r.status)).toEqual(['FAILED']);

    // Meta retries old deliveries, as they were and re-wrapped: nothing new, nothing kept.
    const cases = (await q(`SELECT count(*)::int AS n FROM cases`))[0].n;
    const sent = fake.sendAttempts().length;
    for (const body of [first, JSON.stringify(first, null, 1), status, JSON.stringify(status, null, 1)]) await deliver(body);
    clock.advance(60_000);
    await settle();
    expect((await q(`SELECT count(*)::int AS n FROM cases`))[0].n).toBe(cases);
    expect(fake.sendAttempts().length).toBe(sent);
    const retried = await traces();
    for (const s of secrets) expect({ s, kept: retried.includes(s) }).toEqual({ s, kept: false });
    expect((await q(`SELECT count(*)::int AS n FROM whatsapp_deliveries WHERE status <> 'DONE'`))[0].n).toBe(0);

    // Later the same number writes again: a new case, with its own conversation.
    const m2 = text('Pengaduan baru dari nomor yang sama');
    await deliver(delivery(from, name, [m2]));
    const fresh = await caseOf(m2.id);
    expect(fresh.outcome).toBe('CREATED');
    expect(fresh.case_id).not.toBe(caseId);
    expect((await q(`SELECT case_id FROM whatsapp_threads WHERE wa_id = $1`, [from]))[0].case_id).toBe(fresh.case_id);
  });

  it('does not answer 200 when the delivery cannot be stored (Meta retries)', async () => {
    await q(`ALTER TABLE whatsapp_deliveries RENAME TO whatsapp_deliveries_away`);
    try {
      expect((await post(delivery(newNumber(), 'D', [text('saat database bermasalah')]))).status).toBe(503);
    } finally {
      await q(`ALTER TABLE whatsapp_deliveries_away RENAME TO whatsapp_deliveries`);
    }
  });
});
