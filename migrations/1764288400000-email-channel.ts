import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The email channel: outgoing mail (an outbox of its own, written with the case change),
 * stored files (content-addressed) and their link to cases, and the ledger of every inbound
 * message with its outcome (case, joined, suppressed, quarantined).
 */
export class EmailChannel1764288400000 implements MigrationInterface {
  name = 'EmailChannel1764288400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outgoing_mails (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        kind text NOT NULL CHECK (kind IN ('ACKNOWLEDGEMENT', 'ANSWER')),
        recipient text,
        subject text NOT NULL,
        body text NOT NULL,
        in_reply_to text,
        "references" text[] NOT NULL DEFAULT '{}',
        message_id text UNIQUE,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outgoing_mails_due ON outgoing_mails (next_attempt_at) WHERE status IN ('PENDING', 'SENDING')`);
    await q.query(`CREATE INDEX outgoing_mails_case ON outgoing_mails (case_id)`);
    await q.query(`
      CREATE TABLE stored_files (
        id text PRIMARY KEY,
        size bigint NOT NULL,
        content_type text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE case_attachments (
        case_id uuid NOT NULL REFERENCES cases (id),
        file_id text NOT NULL REFERENCES stored_files (id),
        filename text NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, file_id, filename)
      )`);
    await q.query(`
      CREATE TABLE email_messages (
        id uuid PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        message_id text,
        raw_file_id text NOT NULL REFERENCES stored_files (id),
        outcome text NOT NULL CHECK (outcome IN ('CREATED', 'JOINED', 'SUPPRESSED', 'DELIVERY_FAILURE', 'QUARANTINED', 'DISCARDED')),
        reason text,
        case_id uuid REFERENCES cases (id),
        received_at timestamptz NOT NULL,
        processed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX email_messages_message_id ON email_messages (message_id) WHERE message_id IS NOT NULL`);
    await q.query(`CREATE INDEX email_messages_quarantine ON email_messages (processed_at) WHERE outcome = 'QUARANTINED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_messages`);
    await q.query(`DROP TABLE case_attachments`);
    await q.query(`DROP TABLE stored_files`);
    await q.query(`DROP TABLE outgoing_mails`);
  }
}
