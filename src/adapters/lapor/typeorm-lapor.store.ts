import type { DataSource } from 'typeorm';
import { LaporFailureKind, LaporStatus } from '../../domain/lapor/lapor-gateway.port';
import {
  LaporAlertType, LaporCaseRecord, LaporChannelState, LaporOutboxItem, LaporOutboxKind, LaporQuarantineEntry, LaporStore,
} from '../../domain/lapor/lapor-store.port';

interface CaseRow {
  case_id: string;
  tracking_id: string;
  lapor_received_at: Date;
  dispositioned_at: Date;
  follow_up_due_at: Date;
  follow_up_warn_at: Date;
  status: LaporStatus;
  rahasia: boolean;
  anonim: boolean;
  followed_up_at: Date | null;
  auto_close_at: Date | null;
}

const COLUMNS = `case_id::text AS case_id, tracking_id, lapor_received_at, dispositioned_at, follow_up_due_at, follow_up_warn_at, status, rahasia, anonim, followed_up_at, auto_close_at`;

const toRecord = (r: CaseRow): LaporCaseRecord => ({
  caseId: r.case_id,
  trackingId: r.tracking_id,
  laporReceivedAt: new Date(r.lapor_received_at),
  dispositionedAt: new Date(r.dispositioned_at),
  followUpDueAt: new Date(r.follow_up_due_at),
  followUpWarnAt: new Date(r.follow_up_warn_at),
  status: r.status,
  rahasia: r.rahasia,
  anonim: r.anonim,
  followedUpAt: r.followed_up_at ? new Date(r.followed_up_at) : null,
  autoCloseAt: r.auto_close_at ? new Date(r.auto_close_at) : null,
});

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** The LAPOR! module's tables (migration 1764290000000). */
export class TypeormLaporStore implements LaporStore {
  constructor(private readonly ds: DataSource) {}

  async link(rec: LaporCaseRecord): Promise<LaporCaseRecord> {
    await this.ds.query(
      `INSERT INTO lapor_cases (case_id, tracking_id, lapor_received_at, dispositioned_at, follow_up_due_at, follow_up_warn_at, status, rahasia, anonim)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [rec.caseId, rec.trackingId, iso(rec.laporReceivedAt), iso(rec.dispositionedAt), iso(rec.followUpDueAt), iso(rec.followUpWarnAt), rec.status, rec.rahasia, rec.anonim],
    );
    return (await this.byTrackingId(rec.trackingId)) ?? rec;
  }

  async byTrackingId(trackingId: string): Promise<LaporCaseRecord | null> {
    const [r] = (await this.ds.query(`SELECT ${COLUMNS} FROM lapor_cases WHERE tracking_id = $1`, [trackingId])) as CaseRow[];
    return r ? toRecord(r) : null;
  }

  async byCaseId(caseId: string): Promise<LaporCaseRecord | null> {
    if (!/^[0-9a-f-]{36}$/i.test(caseId)) return null;
    const [r] = (await this.ds.query(`SELECT ${COLUMNS} FROM lapor_cases WHERE case_id = $1`, [caseId])) as CaseRow[];
    return r ? toRecord(r) : null;
  }

  async update(rec: LaporCaseRecord): Promise<void> {
    await this.ds.query(`UPDATE lapor_cases SET status = $2, followed_up_at = $3, auto_close_at = $4 WHERE case_id = $1`, [
      rec.caseId, rec.status, iso(rec.followedUpAt), iso(rec.autoCloseAt),
    ]);
  }

  async dueAlerts(now: Date, limit: number): Promise<{ caseId: string; type: LaporAlertType }[]> {
    const rows = (await this.ds.query(
      `SELECT case_id::text AS case_id, 'LAPOR_FOLLOW_UP_WARNING' AS type, follow_up_warn_at AS at FROM lapor_cases
         WHERE status = 'DISPOSITIONED' AND warned_at IS NULL AND follow_up_warn_at <= $1
       UNION ALL
       SELECT case_id::text, 'LAPOR_FOLLOW_UP_BREACHED', follow_up_due_at FROM lapor_cases
         WHERE status = 'DISPOSITIONED' AND breached_at IS NULL AND follow_up_due_at <= $1
       ORDER BY at LIMIT $2`,
      [now.toISOString(), limit],
    )) as { case_id: string; type: LaporAlertType }[];
    return rows.map((r) => ({ caseId: r.case_id, type: r.type }));
  }

  async markAlert(caseId: string, type: LaporAlertType, now: Date): Promise<boolean> {
    const column = type === 'LAPOR_FOLLOW_UP_WARNING' ? 'warned_at' : 'breached_at';
    const rows = (await this.ds.query(`UPDATE lapor_cases SET ${column} = $2 WHERE case_id = $1 AND ${column} IS NULL RETURNING case_id`, [caseId, now.toISOString()])) as unknown[];
    return rows.length > 0;
  }

  async dueAutoCloses(now: Date, limit: number): Promise<string[]> {
    const rows = (await this.ds.query(
      `SELECT case_id::text AS case_id FROM lapor_cases WHERE status = 'FOLLOWED_UP' AND auto_close_at <= $1 ORDER BY auto_close_at LIMIT $2`,
      [now.toISOString(), limit],
    )) as { case_id: string }[];
    return rows.map((r) => r.case_id);
  }

  async latestCaseEventId(): Promise<string | null> {
    const [r] = (await this.ds.query(`SELECT max(id)::text AS id FROM case_events`)) as { id: string | null }[];
    return r?.id ?? null;
  }

  async cursor(name: string): Promise<string | null> {
    const [r] = (await this.ds.query(`SELECT value FROM lapor_state WHERE name = $1`, [`cursor:${name}`])) as { value: { cursor: string } }[];
    return r?.value.cursor ?? null;
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.put(`cursor:${name}`, { cursor: value });
  }

  async enqueue(item: Omit<LaporOutboxItem, 'attempts'>, sourceEventId: string, now: Date): Promise<boolean> {
    // Both the id and (source_event_id, kind) are unique: an event read twice is queued once.
    const rows = (await this.ds.query(
      `INSERT INTO lapor_outbox (id, source_event_id, case_id, tracking_id, kind, text, attachment_file_ids, state, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', $8, $8) ON CONFLICT DO NOTHING RETURNING id`,
      [item.id, sourceEventId, item.caseId, item.trackingId, item.kind, item.text, JSON.stringify(item.attachmentFileIds), now.toISOString()],
    )) as unknown[];
    return rows.length > 0;
  }

  async claimNext(now: Date, leaseMs: number): Promise<LaporOutboxItem | null> {
    // One instance at a time: the row is leased; a lease that ran out (a crash mid-post) is taken again.
    const [rows] = (await this.ds.query(
      `UPDATE lapor_outbox SET state = 'SENDING', attempts = attempts + 1, lease_until = $2
       WHERE id = (SELECT o.id FROM lapor_outbox o
                   WHERE ((o.state = 'PENDING' AND o.next_attempt_at <= $1) OR (o.state = 'SENDING' AND o.lease_until < $1))
                     -- a status (e.g. FINISHED) is posted after the case's earlier answer or follow-up
                     AND NOT (o.kind = 'STATUS' AND EXISTS (
                       SELECT 1 FROM lapor_outbox f WHERE f.case_id = o.case_id AND f.kind <> 'STATUS'
                         AND f.state IN ('PENDING', 'SENDING') AND f.source_event_id <= o.source_event_id))
                   ORDER BY o.next_attempt_at, o.source_event_id, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED)
       RETURNING id, case_id::text AS case_id, tracking_id, kind, text, attachment_file_ids, attempts`,
      [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()],
    )) as [{ id: string; case_id: string; tracking_id: string; kind: LaporOutboxKind; text: string; attachment_file_ids: string[]; attempts: number }[], number];
    const r = rows?.[0];
    if (!r) return null;
    return { id: r.id, caseId: r.case_id, trackingId: r.tracking_id, kind: r.kind, text: r.text, attachmentFileIds: r.attachment_file_ids ?? [], attempts: r.attempts };
  }

  async markSent(id: string, response: string, now: Date): Promise<void> {
    await this.ds.query(`UPDATE lapor_outbox SET state = 'SENT', response = $2, sent_at = $3, lease_until = NULL, last_error = NULL WHERE id = $1`, [id, response, now.toISOString()]);
  }

  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.ds.query(
      `UPDATE lapor_outbox SET state = $2, last_error = $3, next_attempt_at = COALESCE($4, next_attempt_at), lease_until = NULL WHERE id = $1`,
      [id, retryAt ? 'PENDING' : 'FAILED', error, iso(retryAt)],
    );
  }

  async quarantine(entry: Omit<LaporQuarantineEntry, 'id'>): Promise<void> {
    await this.ds.query(`INSERT INTO lapor_quarantine (tracking_id, reason, payload, quarantined_at) VALUES ($1, $2, $3, $4)`, [
      entry.trackingId, entry.reason.slice(0, 1000), entry.payload.slice(0, 200_000), entry.quarantinedAt.toISOString(),
    ]);
  }

  async quarantined(first: number): Promise<LaporQuarantineEntry[]> {
    const rows = (await this.ds.query(
      `SELECT id::text AS id, tracking_id, reason, payload, quarantined_at FROM lapor_quarantine ORDER BY quarantined_at, id LIMIT $1`,
      [first],
    )) as { id: string; tracking_id: string | null; reason: string; payload: string; quarantined_at: Date }[];
    return rows.map((r) => ({ id: r.id, trackingId: r.tracking_id, reason: r.reason, payload: r.payload, quarantinedAt: new Date(r.quarantined_at) }));
  }

  async channelState(): Promise<LaporChannelState> {
    const [r] = (await this.ds.query(`SELECT value FROM lapor_state WHERE name = 'channel'`)) as { value: Record<string, string | null> }[];
    const v = r?.value ?? {};
    const date = (x: string | null | undefined): Date | null => (x ? new Date(x) : null);
    return { lastPullAt: date(v.lastPullAt), lastSuccessAt: date(v.lastSuccessAt), errorKind: (v.errorKind as LaporFailureKind | null) ?? null, lastError: v.lastError ?? null };
  }

  async setChannelState(s: LaporChannelState): Promise<void> {
    await this.put('channel', { lastPullAt: iso(s.lastPullAt), lastSuccessAt: iso(s.lastSuccessAt), errorKind: s.errorKind, lastError: s.lastError });
  }

  /** Outbox items not sent yet. */
  async pendingCount(): Promise<number> {
    const [r] = (await this.ds.query(`SELECT count(*)::int AS n FROM lapor_outbox WHERE state IN ('PENDING', 'SENDING')`)) as { n: number }[];
    return r?.n ?? 0;
  }

  private async put(name: string, value: unknown): Promise<void> {
    await this.ds.query(`INSERT INTO lapor_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`, [name, JSON.stringify(value)]);
  }
}
