import { DataSource } from 'typeorm';
import { EmailLedger, EmailOutcome, EmailRecord } from '../../domain/intake/email-ledger.port';

type Row = { id: string; dedupe_key: string; message_id: string | null; raw_file_id: string; outcome: string; reason: string | null; case_id: string | null; received_at: Date | string; processed_at: Date | string };
const toRecord = (r: Row): EmailRecord => ({
  id: r.id, dedupeKey: r.dedupe_key, messageId: r.message_id, rawFileId: r.raw_file_id, outcome: r.outcome as EmailOutcome,
  reason: r.reason, caseId: r.case_id, receivedAt: new Date(r.received_at), processedAt: new Date(r.processed_at),
});
const COLUMNS = `id::text AS id, dedupe_key, message_id, raw_file_id, outcome, reason, case_id::text AS case_id, received_at, processed_at`;

/** The inbound-mail ledger and the message-id index used for threading. */
export class TypeormEmailLedger implements EmailLedger {
  constructor(private readonly ds: DataSource) {}

  async record(e: EmailRecord): Promise<void> {
    await this.ds.query(
      `INSERT INTO email_messages (id, dedupe_key, message_id, raw_file_id, outcome, reason, case_id, received_at, processed_at)
       VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::uuid, $8::timestamptz, $9::timestamptz)
       ON CONFLICT (dedupe_key) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, case_id = EXCLUDED.case_id,
         processed_at = EXCLUDED.processed_at, message_id = COALESCE(EXCLUDED.message_id, email_messages.message_id)`,
      [e.id, e.dedupeKey, e.messageId, e.rawFileId, e.outcome, e.reason, e.caseId, e.receivedAt.toISOString(), e.processedAt.toISOString()],
    );
  }

  async findByDedupeKey(key: string): Promise<EmailRecord | null> {
    const [r] = (await this.ds.query(`SELECT ${COLUMNS} FROM email_messages WHERE dedupe_key = $1`, [key])) as Row[];
    return r ? toRecord(r) : null;
  }

  async findById(id: string): Promise<EmailRecord | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [r] = (await this.ds.query(`SELECT ${COLUMNS} FROM email_messages WHERE id = $1::uuid`, [id])) as Row[];
    return r ? toRecord(r) : null;
  }

  async caseOfMessageIds(messageIds: string[]): Promise<string | null> {
    const ids = [...new Set(messageIds.map((m) => m.trim()).filter(Boolean))];
    if (ids.length === 0) return null;
    // Message-IDs are compared case-insensitively; both bracketed forms are tried.
    const forms = [...new Set(ids.flatMap((i) => [i, i.startsWith('<') ? i : `<${i}>`]).map((i) => i.toLowerCase()))];
    const [r] = (await this.ds.query(
      `SELECT case_id::text AS case_id FROM (
         SELECT case_id, 1 AS rank FROM outgoing_mails WHERE lower(message_id) = ANY($1::text[])
         UNION ALL
         SELECT case_id, 2 AS rank FROM email_messages WHERE case_id IS NOT NULL AND lower(message_id) = ANY($1::text[])
       ) m ORDER BY rank LIMIT 1`,
      [forms],
    )) as { case_id: string }[];
    return r?.case_id ?? null;
  }

  async quarantined(first: number, afterId: string | null): Promise<EmailRecord[]> {
    const rows = (await this.ds.query(
      `SELECT ${COLUMNS} FROM email_messages WHERE outcome = 'QUARANTINED' ${afterId ? 'AND id > $2::uuid' : ''} ORDER BY email_messages.id LIMIT $1`,
      afterId ? [first, afterId] : [first],
    )) as Row[];
    return rows.map(toRecord);
  }

  async linkAttachments(caseId: string, files: { fileId: string; filename: string }[], source: string): Promise<void> {
    for (const f of files) {
      await this.ds.query(
        `INSERT INTO case_attachments (case_id, file_id, filename, source) VALUES ($1::uuid, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [caseId, f.fileId, f.filename.slice(0, 255), source],
      );
    }
  }
}
