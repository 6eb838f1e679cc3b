import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The WhatsApp channel's own tables: the durable inbox of webhook deliveries (raw body kept,
 * answered 200 only once stored), the ledger of handled messages (dedupe by wamid), the
 * conversation per number (threading and the 24-hour window), pending media downloads, the
 * outbox of sends (one send per row) and a lease so that one instance drains at a time.
 */
export class WhatsAppChannel1764289900000 implements MigrationInterface {
  name = 'WhatsAppChannel1764289900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE whatsapp_deliveries (
        id bigserial PRIMARY KEY,
        body_sha256 text NOT NULL UNIQUE,
        body bytea NOT NULL,
        received_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        processed_at timestamptz
      )`);
    await q.query(`CREATE INDEX whatsapp_deliveries_pending ON whatsapp_deliveries (id) WHERE status = 'PENDING'`);
    await q.query(`
      CREATE TABLE whatsapp_messages (
        wamid text PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES whatsapp_deliveries (id),
        type text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('CREATED', 'JOINED', 'NOTED', 'IGNORED')),
        case_id uuid REFERENCES cases (id),
        processed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE whatsapp_threads (
        wa_id text PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        last_inbound_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX whatsapp_threads_case ON whatsapp_threads (case_id)`);
    await q.query(`
      CREATE TABLE whatsapp_media (
        wamid text PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        media_id text NOT NULL,
        kind text NOT NULL,
        mime_type text,
        sha256 text,
        filename text,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'STORED', 'EXPIRED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        file_id text,
        last_error text
      )`);
    await q.query(`CREATE INDEX whatsapp_media_pending ON whatsapp_media (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`
      CREATE TABLE whatsapp_outbox (
        id uuid PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        case_id uuid NOT NULL REFERENCES cases (id),
        kind text NOT NULL CHECK (kind IN ('ACKNOWLEDGEMENT', 'ANSWER', 'ANSWER_TEMPLATE', 'ANSWER_FOLLOW_UP')),
        to_wa_id text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('HELD', 'PENDING', 'SENDING', 'SENT', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        wamid text UNIQUE,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX whatsapp_outbox_pending ON whatsapp_outbox (next_attempt_at) WHERE status IN ('PENDING', 'SENDING')`);
    await q.query(`CREATE INDEX whatsapp_outbox_held ON whatsapp_outbox (to_wa_id) WHERE status = 'HELD'`);
    await q.query(`
      CREATE TABLE whatsapp_leases (
        name text PRIMARY KEY,
        holder text NOT NULL,
        lease_until timestamptz NOT NULL
      )`);
    // Answers to send by WhatsApp are found from their ANSWERED events (written with the answer).
    await q.query(`CREATE INDEX case_events_whatsapp_answers ON case_events (id) WHERE type = 'ANSWERED' AND (after->>'deliveredVia') = 'WHATSAPP'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_events_whatsapp_answers`);
    for (const t of ['whatsapp_leases', 'whatsapp_outbox', 'whatsapp_media', 'whatsapp_threads', 'whatsapp_messages', 'whatsapp_deliveries']) await q.query(`DROP TABLE ${t}`);
  }
}
