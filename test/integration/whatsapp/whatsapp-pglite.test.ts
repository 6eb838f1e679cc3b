import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { LoketApp, startLoket } from '../../../src/app';
import { configureChannels } from '../../../src/modules/channels';
import { as, gqlOk, issueRoleTokens, testConfig } from '../../support/test-app';
import { FakeGraphApi } from '../../support/whatsapp/fake-graph-api';
import { delivery, PNID, statusDelivery, wamid } from '../../fixtures/whatsapp/webhook-payloads';

const SECRET = 'app-secret-for-pglite';

describe('WhatsApp channel on embedded PGlite', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loket-pglite-wa-'));
  const fake = new FakeGraphApi();
  let app: LoketApp | undefined;

  afterAll(async () => {
    await app?.stop();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('takes a signed message into a case, acknowledges it, records its status and erases it with the identity', async () => {
    await fake.start();
    app = await startLoket(
      testConfig({ kind: 'pglite', dataDir }, {
        channels: configureChannels({
          LOKET_WHATSAPP_PHONE_NUMBER_ID: PNID, LOKET_WHATSAPP_ACCESS_TOKEN: 'test-token', LOKET_WHATSAPP_APP_SECRET: SECRET,
          LOKET_WHATSAPP_VERIFY_TOKEN: 'verify-me', LOKET_WHATSAPP_ANSWER_TEMPLATE: 'jawaban_tersedia', LOKET_WHATSAPP_GRAPH_URL: fake.graphUrl,
          LOKET_WHATSAPP_POLL_SECONDS: '3600',
        }),
      }),
      { log: pino({ level: 'silent' }) },
    );
    await issueRoleTokens(app);
    const base = app.url.replace(/\/graphql$/, '');
    const idle = app.services.whatsapp.idle as () => Promise<void>;
    const post = async (body: unknown): Promise<number> => {
      const raw = JSON.stringify(body);
      const signature = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
      const res = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw });
      await idle();
      return res.status;
    };
    const q = (sql: string, params: unknown[] = []): Promise<any[]> => app!.db.dataSource.query(sql, params);

    const from = '6281355500011';
    const m = { id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Pengaduan lewat PGlite' } };
    fake.addMedia('media-pglite-1', Buffer.from('jpeg bytes'), 'image/jpeg');
    const photo = { id: wamid(), timestamp: m.timestamp, type: 'image', image: { mime_type: 'image/jpeg', id: 'media-pglite-1' } };
    const body = delivery(from, 'Warga PGlite', [m, photo]);
    expect(await post(body)).toBe(200);
    const [c] = await q(`SELECT id, reference, channel FROM cases WHERE channel_details->>'whatsappMessageId' = $1`, [m.id]);
    expect(c.channel).toBe('WHATSAPP');
    expect((await q(`SELECT count(*)::int AS n FROM case_attachments WHERE case_id = $1`, [c.id]))[0].n).toBe(1);
    const acks = fake.sends().filter((s) => s.body.to === from);
    expect(acks).toHaveLength(1);
    expect(acks[0].body.text.body).toContain(c.reference);

    const [sent] = await q(`SELECT wamid FROM whatsapp_outbox WHERE case_id = $1`, [c.id]);
    expect(await post(statusDelivery([{ id: sent.wamid, status: 'delivered', timestamp: m.timestamp, recipient_id: from }]))).toBe(200);
    const statuses = await q(`SELECT after FROM case_events WHERE case_id = $1 AND type = 'MESSAGE_STATUS'`, [c.id]);
    expect(statuses.map((e) => e.after.status)).toEqual(['DELIVERED']);

    await gqlOk(as(app, 'ADMIN'), `mutation($id: ID!) { eraseRequester(caseId: $id, reason: "Permintaan penghapusan data oleh pelapor") }`, { id: c.id });
    const bodies = (await q(`SELECT convert_from(body, 'UTF8') AS b FROM whatsapp_deliveries`)).map((r) => r.b).join('');
    expect(bodies).not.toContain(from);
    expect((await q(`SELECT count(*)::int AS n FROM whatsapp_threads`))[0].n).toBe(0);
    expect(await post(body)).toBe(200); // Meta's retry of the erased delivery: nothing new
    expect((await q(`SELECT count(*)::int AS n FROM cases`))[0].n).toBe(1);
  }, 60_000);
});
