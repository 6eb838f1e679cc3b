import { DataSource, EntityManager } from 'typeorm';
import { InsertOutcome } from '../../domain/case/case-repository.port';
import { MailTraces } from '../../domain/access/mail-traces.port';
import { HIDDEN_ADDRESS } from '../../domain/access/timeline-privacy';
import { EmailCaseIntake, EmailLedger, EmailOutcome, EmailRecord } from '../../domain/intake/email-ledger.port';
import { TypeormCaseRepository } from './typeorm-case.repository';

type Row = { id: string; dedupe_key: string; message_id: string | null; raw_file_id: string; outcome: string; reason: string | null; case_id: string | null; received_at: Date | string; processed_at: Date | string };
const toRecord = (r: Row): EmailRecord => ({
  id: r.id, dedupeKey: r.dedupe_key, messageId: r.message_id, rawFileId: r.raw_file_id, outcome: r.outcome as EmailOutcome,
  reason: r.reason, caseId: r.case_id, receivedAt: new Date(r.received_at), processedAt: new Date(r.processed_at),
});
const COLUMNS = `id::text AS id, dedupe_key, message_id, raw_file_id, outcome, reason, case_id::text AS case_id, received_at, processed_at`;

const INSERT_ENTRIES = `INSERT INTO email_messages (id, dedupe_key, message_id, raw_file_id, outcome, reason, case_id, received_at, processed_at)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::timestamptz[], $9::timestamptz[])
  ON CONFLICT (dedupe_key) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, case_id = EXCLUDED.case_id,
    processed_at = EXCLUDED.processed_at, message_id = COALESCE(EXCLUDED.message_id, email_messages.message_id)`;

/** An email address inside server text (PostgreSQL regular expression). */
const ADDRESS_PATTERN = '[^][:space:]<>()"\',;:]+@[^][:space:]<>()"\',;:]+';

/** What an erased mail's text reads as (officers may look at the outbox). */
const ERASED_BODY = '[Isi email dihapus bersama data pribadi pemohon.]';

/** The inbound-mail ledger and the message-id index used for threading. */
export class TypeormEmailLedger implements EmailLedger, MailTraces {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: TypeormCaseRepository,
  ) {}

  async record(e: EmailRecord): Promise<void> {
    await this.insertEntries(this.ds.manager, [e]);
  }

  recordIntakes(newCases: EmailCaseIntake[], entries: EmailRecord[]): Promise<InsertOutcome[]> {
    return this.ds.transaction(async (m) => {
      // A batch from the inbox, written by one writer at a time: numbered first, stored once.
      const outcomes = newCases.length > 0 ? await this.cases.insertWithin(m, newCases.map((c) => c.prepared), { referencesFirst: true }) : [];
      const all = [...entries, ...newCases.map((c, i) => c.entryFor(outcomes[i])).filter((e): e is EmailRecord => e !== null)];
      await this.insertEntries(m, all);
      return outcomes;
    });
  }

  /**
   * One statement for any number of entries; a dedupe key may appear only once. In key order,
   * so that two batches writing the same keys at once wait for each other instead of deadlocking.
   */
  private async insertEntries(m: EntityManager, unordered: EmailRecord[]): Promise<void> {
    if (unordered.length === 0) return;
    const entries = [...unordered].sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0));
    const col = <T>(f: (e: EmailRecord) => T): T[] => entries.map(f);
    await m.query(INSERT_ENTRIES, [
      col((e) => e.id), col((e) => e.dedupeKey), col((e) => e.messageId), col((e) => e.rawFileId), col((e) => e.outcome), col((e) => e.reason),
      col((e) => e.caseId), col((e) => e.receivedAt.toISOString()), col((e) => e.processedAt.toISOString()),
    ]);
  }

  async forgetCase(caseId: string): Promise<string[]> {
    return this.ds.transaction(async (m) => {
      await m.query(
        `WITH u AS (
           UPDATE outgoing_mails SET recipient = NULL, body = $2,
             status = CASE WHEN status IN ('PENDING', 'SENDING', 'FAILED') THEN 'CANCELLED' ELSE status END,
             last_error = CASE WHEN status IN ('PENDING', 'SENDING', 'FAILED') THEN 'identity erased' ELSE last_error END
           WHERE case_id = $1::uuid RETURNING id)
         SELECT id FROM u`,
        [caseId, ERASED_BODY],
      );
      // The addresses on the timeline go too (the one edit the append-only timeline allows).
      await m.query(`SELECT set_config('loket.erasing', 'on', true)`);
      await m.query(
        `WITH u AS (
           UPDATE case_events SET after = CASE
               WHEN type = 'INCOMING_MESSAGE' THEN after || '{"from": null}'::jsonb
               WHEN type = 'MAIL_SENT' THEN after || '{"to": null}'::jsonb
               ELSE jsonb_set(after, '{reason}', to_jsonb(regexp_replace(after->>'reason', $2, $3, 'g')))
             END
           WHERE case_id = $1::uuid AND (
             (type = 'INCOMING_MESSAGE' AND after->>'from' IS NOT NULL) OR
             (type = 'MAIL_SENT' AND after->>'to' IS NOT NULL) OR
             (type = 'DELIVERY_FAILED' AND after->>'reason' ~ $2))
           RETURNING id)
         SELECT id FROM u`,
        [caseId, ADDRESS_PATTERN, HIDDEN_ADDRESS],
      );
      await m.query(`SELECT set_config('loket.erasing', 'off', true)`);
      const raws = (await m.query(`SELECT DISTINCT raw_file_id FROM email_messages WHERE case_id = $1::uuid`, [caseId])) as { raw_file_id: string }[];
      return raws.map((r) => r.raw_file_id);
    });
  }

  async findByDedupeKeys(keys: string[]): Promise<Map<string, EmailRecord>> {
    if (keys.length === 0) return new Map();
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM email_messages WHERE dedupe_key = ANY($1::text[])`, [keys])) as Row[];
    return new Map(rows.map((r) => [r.dedupe_key, toRecord(r)]));
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
}
