import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { WaHandled, WhatsAppInboxStore } from '../../domain/whatsapp/whatsapp-inbox.port';
import { Clock } from '../../domain/shared/clock.port';
import { WaMedia } from '../../domain/whatsapp/whatsapp-message';
import { erasedWamid } from './whatsapp-eraser';
import { asBuffer } from './bytea';

export interface PendingDelivery { id: string; body: Buffer; attempts: number }
export interface PendingMedia { wamid: string; caseId: string; mediaId: string; kind: string; mimeType: string | null; sha256: string | null; filename: string | null; attempts: number }
export interface OutboxRow { id: string; caseId: string; kind: string; toWaId: string; payload: Record<string, unknown>; attempts: number }

type Q = Pick<DataSource, 'query'>;

/** The WhatsApp module's tables (see migration 1764289900000), in SQL of its own. */
export class WhatsAppStore implements WhatsAppInboxStore {
  constructor(
    private readonly ds: DataSource,
    /** Every due time is the app's clock (tests run on a manual one). */
    private readonly clock: Clock,
  ) {}

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** Keeps a delivery as received; a repeat of the same body is the same row. Answers its id. */
  async recordDelivery(body: Buffer, at: Date): Promise<string> {
    const sha = createHash('sha256').update(body).digest('hex');
    const rows = (await this.ds.query(
      `WITH ins AS (INSERT INTO whatsapp_deliveries (body_sha256, body, received_at) VALUES ($1, $2, $3) ON CONFLICT (body_sha256) DO NOTHING RETURNING id)
       SELECT id FROM ins UNION ALL SELECT id FROM whatsapp_deliveries WHERE body_sha256 = $1 LIMIT 1`,
      [sha, body, at.toISOString()],
    )) as { id: string }[];
    return String(rows[0].id);
  }

  async pendingDeliveries(limit: number): Promise<PendingDelivery[]> {
    const rows = (await this.ds.query(`SELECT id, body, attempts FROM whatsapp_deliveries WHERE status = 'PENDING' ORDER BY id LIMIT $1`, [limit])) as { id: string; body: Uint8Array; attempts: number }[];
    // pg gives a Buffer, PGlite a plain Uint8Array (whose toString is a list of numbers).
    return rows.map((r) => ({ id: String(r.id), body: asBuffer(r.body), attempts: r.attempts }));
  }

  async finishDelivery(id: string, at: Date): Promise<void> {
    await this.ds.query(`UPDATE whatsapp_deliveries SET status = 'DONE', processed_at = $2, last_error = NULL WHERE id = $1`, [id, at.toISOString()]);
  }

  /** A failed attempt; after `maxAttempts` the delivery is set aside (FAILED) and no longer blocks the inbox. */
  async failDelivery(id: string, error: string, maxAttempts: number): Promise<void> {
    await this.ds.query(
      `UPDATE whatsapp_deliveries SET attempts = attempts + 1, last_error = $2, status = CASE WHEN attempts + 1 >= $3 THEN 'FAILED' ELSE status END WHERE id = $1`,
      [id, error.slice(0, 500), maxAttempts],
    );
  }

  /** Handled before, also when the sender's identity was erased since (only the wamid's hash is kept then). */
  /**
   * Blanks the raw body of a handled delivery that only repeats what was erased (a late retry
   * or status callback of an erased person's messages): every message and status in it is
   * known only by its hash. The body hash stays, so the same body again is still this row.
   */
  async forgetIfErased(deliveryId: string, messageWamids: string[], statusWamids: string[]): Promise<void> {
    if (messageWamids.length + statusWamids.length === 0) return;
    await this.ds.query(
      `UPDATE whatsapp_deliveries SET body = ''::bytea WHERE id = $1
         AND (SELECT count(DISTINCT wamid) FROM whatsapp_messages WHERE wamid = ANY($2::text[])) = cardinality($2::text[])
         AND (SELECT count(DISTINCT wamid) FROM whatsapp_outbox WHERE wamid = ANY($3::text[])) = cardinality($3::text[])`,
      [deliveryId, [...new Set(messageWamids)].map(erasedWamid), [...new Set(statusWamids)].map(erasedWamid)],
    );
  }

  async isHandled(wamid: string): Promise<boolean> {
    return ((await this.ds.query(`SELECT 1 FROM whatsapp_messages WHERE wamid = ANY($1::text[])`, [[wamid, erasedWamid(wamid)]])) as unknown[]).length > 0;
  }

  async threadOf(waId: string): Promise<{ caseId: string; lastInboundAt: Date } | null> {
    const rows = (await this.ds.query(`SELECT case_id, last_inbound_at FROM whatsapp_threads WHERE wa_id = $1`, [waId])) as { case_id: string; last_inbound_at: Date }[];
    return rows[0] ? { caseId: rows[0].case_id, lastInboundAt: new Date(rows[0].last_inbound_at) } : null;
  }

  async recordHandled(h: WaHandled): Promise<void> {
    await this.ds.transaction(async (m) => {
      const inserted = (await m.query(
        `INSERT INTO whatsapp_messages (wamid, delivery_id, type, outcome, case_id, processed_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (wamid) DO NOTHING RETURNING wamid`,
        [h.wamid, h.deliveryId, h.type, h.outcome, h.caseId, this.nowIso()],
      )) as unknown[];
      if (inserted.length === 0) return;
      if (h.thread) {
        await m.query(
          `INSERT INTO whatsapp_threads (wa_id, case_id, last_inbound_at) VALUES ($1, $2, $3)
           ON CONFLICT (wa_id) DO UPDATE SET case_id = EXCLUDED.case_id, last_inbound_at = GREATEST(whatsapp_threads.last_inbound_at, EXCLUDED.last_inbound_at)`,
          [h.thread.waId, h.thread.caseId, h.thread.at.toISOString()],
        );
        // Answers held until the citizen writes again (outside the 24-hour window) go now.
        await m.query(`UPDATE whatsapp_outbox SET status = 'PENDING', next_attempt_at = $2 WHERE status = 'HELD' AND to_wa_id = $1`, [h.thread.waId, this.nowIso()]);
      }
      if (h.media && h.caseId) await this.insertMedia(m, h.wamid, h.caseId, h.media, this.nowIso());
      if (h.acknowledgement) {
        await enqueue(m, `ack:${h.acknowledgement.caseId}`, h.acknowledgement.caseId, 'ACKNOWLEDGEMENT', h.acknowledgement.toWaId, { type: 'text', text: h.acknowledgement.text }, 'PENDING', this.nowIso());
      }
    });
  }

  private async insertMedia(m: Q, wamid: string, caseId: string, media: WaMedia, now: string): Promise<void> {
    await m.query(
      `INSERT INTO whatsapp_media (wamid, case_id, media_id, kind, mime_type, sha256, filename, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [wamid, caseId, media.mediaId, media.kind, media.mimeType, media.sha256, media.filename, now],
    );
  }

  async caseOfSentMessage(wamid: string): Promise<string | null> {
    const rows = (await this.ds.query(`SELECT case_id FROM whatsapp_outbox WHERE wamid = $1`, [wamid])) as { case_id: string }[];
    return rows[0]?.case_id ?? null;
  }

  async pendingMedia(now: Date, limit: number): Promise<PendingMedia[]> {
    const rows = (await this.ds.query(
      `SELECT wamid, case_id, media_id, kind, mime_type, sha256, filename, attempts FROM whatsapp_media WHERE status = 'PENDING' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
      [now.toISOString(), limit],
    )) as { wamid: string; case_id: string; media_id: string; kind: string; mime_type: string | null; sha256: string | null; filename: string | null; attempts: number }[];
    return rows.map((r) => ({ wamid: r.wamid, caseId: r.case_id, mediaId: r.media_id, kind: r.kind, mimeType: r.mime_type, sha256: r.sha256, filename: r.filename, attempts: r.attempts }));
  }

  async mediaDone(wamid: string, status: 'STORED' | 'EXPIRED' | 'FAILED', fileId: string | null, error: string | null): Promise<void> {
    await this.ds.query(`UPDATE whatsapp_media SET status = $2, file_id = $3, last_error = $4 WHERE wamid = $1`, [wamid, status, fileId, error]);
  }

  async mediaRetry(wamid: string, next: Date, error: string): Promise<void> {
    await this.ds.query(`UPDATE whatsapp_media SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE wamid = $1`, [wamid, next.toISOString(), error.slice(0, 500)]);
  }

  /** Answers recorded with deliveredVia WHATSAPP that have no outbox rows yet, oldest first. */
  async unsentAnswers(limit: number): Promise<{ eventId: string; caseId: string; text: string }[]> {
    const rows = (await this.ds.query(
      `SELECT e.id, e.case_id, e.text FROM case_events e
        WHERE e.type = 'ANSWERED' AND (e.after->>'deliveredVia') = 'WHATSAPP'
          AND NOT EXISTS (SELECT 1 FROM whatsapp_outbox o WHERE o.dedupe_key = 'answer:' || e.id::text)
        ORDER BY e.id LIMIT $1`,
      [limit],
    )) as { id: string; case_id: string; text: string | null }[];
    return rows.map((r) => ({ eventId: String(r.id), caseId: r.case_id, text: r.text ?? '' }));
  }

  /**
   * The outbox rows of one answer, in one transaction: the text, or the template plus the
   * full text held until the citizen replies. The first row's key marks the answer as queued.
   */
  async enqueueAnswer(eventId: string, caseId: string, toWaId: string, rows: { kind: string; payload: Record<string, unknown>; held: boolean }[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      for (const [i, r] of rows.entries()) {
        await enqueue(m, i === 0 ? `answer:${eventId}` : `answer:${eventId}:${i}`, caseId, r.kind, toWaId, r.payload, r.held ? 'HELD' : 'PENDING', this.nowIso());
      }
    });
  }

  /** Claims due outbox rows (SENDING with a lease), so that another instance does not send them too. */
  async claimSends(now: Date, limit: number, leaseMs: number): Promise<OutboxRow[]> {
    const rows = (await this.ds.query(
      `UPDATE whatsapp_outbox SET status = 'SENDING', next_attempt_at = $2 WHERE id IN (
         SELECT id FROM whatsapp_outbox WHERE status IN ('PENDING', 'SENDING') AND next_attempt_at <= $1 ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, case_id, kind, to_wa_id, payload, attempts, created_at`,
      [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), limit],
    )) as [{ id: string; case_id: string; kind: string; to_wa_id: string; payload: Record<string, unknown>; attempts: number; created_at: Date }[], number] | { id: string }[];
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as { id: string; case_id: string; kind: string; to_wa_id: string; payload: Record<string, unknown>; attempts: number; created_at: Date }[];
    return list
      .sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime())
      .map((r) => ({ id: r.id, caseId: r.case_id, kind: r.kind, toWaId: r.to_wa_id, payload: r.payload, attempts: r.attempts }));
  }

  async markSent(id: string, wamid: string, at: Date): Promise<void> {
    // Only a claimed row: a send cancelled meanwhile (identity erased) keeps no wamid of the person.
    await this.ds.query(`UPDATE whatsapp_outbox SET status = 'SENT', wamid = $2, sent_at = $3, last_error = NULL WHERE id = $1 AND status = 'SENDING'`, [id, wamid, at.toISOString()]);
  }

  async markRetry(id: string, next: Date, error: string): Promise<void> {
    await this.ds.query(`UPDATE whatsapp_outbox SET status = 'PENDING', attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1`, [id, next.toISOString(), error.slice(0, 500)]);
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.ds.query(`UPDATE whatsapp_outbox SET status = 'FAILED', attempts = attempts + 1, last_error = $2 WHERE id = $1`, [id, error.slice(0, 500)]);
  }

  async counts(): Promise<{ deliveries: number; sends: number; media: number }> {
    const [r] = (await this.ds.query(
      `SELECT (SELECT count(*) FROM whatsapp_deliveries WHERE status = 'PENDING')::int AS d,
              (SELECT count(*) FROM whatsapp_outbox WHERE status IN ('PENDING', 'SENDING'))::int AS s,
              (SELECT count(*) FROM whatsapp_media WHERE status = 'PENDING')::int AS m`,
    )) as { d: number; s: number; m: number }[];
    return { deliveries: r.d, sends: r.s, media: r.m };
  }

  /** Takes or renews the named lease for `holder`; false while another holder has it. */
  async lease(name: string, holder: string, ms: number): Promise<boolean> {
    const rows = (await this.ds.query(
      `INSERT INTO whatsapp_leases (name, holder, lease_until) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until
         WHERE whatsapp_leases.holder = EXCLUDED.holder OR whatsapp_leases.lease_until < now()
       RETURNING name`,
      [name, holder, ms],
    )) as unknown[];
    return rows.length > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.ds.query(`DELETE FROM whatsapp_leases WHERE name = $1 AND holder = $2`, [name, holder]);
  }
}

async function enqueue(m: Q, key: string, caseId: string, kind: string, toWaId: string, payload: Record<string, unknown>, status: 'PENDING' | 'HELD', now: string): Promise<void> {
  await m.query(
    `INSERT INTO whatsapp_outbox (id, dedupe_key, case_id, kind, to_wa_id, payload, status, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [randomUUID(), key, caseId, kind, toWaId, JSON.stringify(payload), status, now],
  );
}
