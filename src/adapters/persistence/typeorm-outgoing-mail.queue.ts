import { DataSource } from 'typeorm';
import { ClaimedMail, OutgoingMailQueue } from '../../domain/notifications/mail-dispatch.ports';
import { OutgoingMailKind } from '../../domain/notifications/outgoing-mail';

type Row = { id: string; case_id: string; kind: string; recipient: string; subject: string; body: string; in_reply_to: string | null; references: string[]; message_id: string | null; attempts: number };

/** The outgoing-mail outbox on PostgreSQL: leases with SKIP LOCKED, so instances never send the same mail at once. */
export class TypeormOutgoingMailQueue implements OutgoingMailQueue {
  constructor(private readonly ds: DataSource) {}

  async claimDue(limit: number, leaseSeconds: number, messageIdFor: (id: string) => string): Promise<ClaimedMail[]> {
    return this.ds.transaction(async (m) => {
      const rows = (await m.query(
        `WITH due AS (
           SELECT id FROM outgoing_mails
           WHERE (status = 'PENDING' AND next_attempt_at <= now()) OR (status = 'SENDING' AND lease_until < now())
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         , claimed AS (
           UPDATE outgoing_mails o SET status = 'SENDING', attempts = o.attempts + 1, lease_until = now() + make_interval(secs => $2)
           FROM due WHERE o.id = due.id RETURNING o.*)
         SELECT id::text AS id, case_id::text AS case_id, kind, recipient, subject, body, in_reply_to, "references", message_id, attempts FROM claimed`,
        [limit, leaseSeconds],
      )) as Row[];
      const mails: ClaimedMail[] = [];
      for (const r of rows) {
        // The Message-ID is fixed at the first claim and kept for every retry.
        const messageId = r.message_id ?? messageIdFor(r.id);
        if (!r.message_id) await m.query(`WITH u AS (UPDATE outgoing_mails SET message_id = $2 WHERE id = $1::uuid RETURNING id) SELECT id FROM u`, [r.id, messageId]);
        mails.push({
          id: r.id, caseId: r.case_id, kind: r.kind as OutgoingMailKind, to: r.recipient, subject: r.subject, text: r.body,
          inReplyTo: r.in_reply_to, references: r.references ?? [], messageId, attempts: Number(r.attempts),
        });
      }
      return mails;
    });
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.ds.query(
      `WITH u AS (UPDATE outgoing_mails SET status = 'SENT', sent_at = $2::timestamptz, lease_until = NULL, last_error = NULL WHERE id = $1::uuid RETURNING id) SELECT id FROM u`,
      [id, at.toISOString()],
    );
  }

  async retryLater(id: string, at: Date, error: string): Promise<void> {
    await this.ds.query(
      `WITH u AS (UPDATE outgoing_mails SET status = 'PENDING', next_attempt_at = $2::timestamptz, lease_until = NULL, last_error = $3 WHERE id = $1::uuid RETURNING id) SELECT id FROM u`,
      [id, at.toISOString(), error.slice(0, 500)],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.ds.query(
      `WITH u AS (UPDATE outgoing_mails SET status = 'FAILED', lease_until = NULL, last_error = $2 WHERE id = $1::uuid RETURNING id) SELECT id FROM u`,
      [id, error.slice(0, 500)],
    );
  }
}
