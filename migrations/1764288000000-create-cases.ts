import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cases, their append-only timeline, reference counters, intake dedupe keys and the outbox. */
export class CreateCases1764288000000 implements MigrationInterface {
  name = 'CreateCases1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reference_counters (
        prefix text NOT NULL,
        year integer NOT NULL,
        last_value integer NOT NULL,
        PRIMARY KEY (prefix, year)
      )`);
    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY,
        reference text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('INFORMATION_REQUEST', 'COMPLAINT')),
        channel text NOT NULL CHECK (channel IN ('WALK_IN', 'COMPLAINT_BOX', 'WHATSAPP', 'PHONE', 'FAX', 'EMAIL', 'LAPOR')),
        status text NOT NULL CHECK (status IN ('INCOMPLETE', 'RECEIVED', 'IN_PROGRESS', 'ANSWERED', 'CLOSED', 'REJECTED', 'MERGED')),
        complaint_class text CHECK (complaint_class IN ('LIGHT', 'NORMATIVE', 'NON_SUPERVISORY', 'SUPERVISORY')),
        subject text NOT NULL,
        description text,
        received_at timestamptz NOT NULL,
        logged_at timestamptz NOT NULL,
        clock_started_at timestamptz,
        due_at timestamptz,
        deadline_warnings text[] NOT NULL DEFAULT '{}',
        requester jsonb,
        requirements jsonb,
        channel_details jsonb NOT NULL DEFAULT '{}',
        assignee text,
        answer jsonb,
        rejection jsonb,
        merged_into_id uuid REFERENCES cases (id),
        updated_at timestamptz NOT NULL,
        version integer NOT NULL,
        search_text text NOT NULL DEFAULT '',
        search_vector tsvector GENERATED ALWAYS AS (to_tsvector('indonesian', search_text)) STORED
      )`);
    // Keyset pagination walks (received_at, id) newest first.
    await q.query(`CREATE INDEX cases_received_keyset ON cases (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_search ON cases USING gin (search_vector)`);
    await q.query(`CREATE INDEX cases_open_due ON cases (due_at) WHERE status IN ('INCOMPLETE', 'RECEIVED', 'IN_PROGRESS')`);
    await q.query(`CREATE INDEX cases_status ON cases (status, received_at DESC)`);
    await q.query(`
      CREATE TABLE case_events (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        type text NOT NULL,
        actor_id text NOT NULL,
        actor_kind text NOT NULL,
        at timestamptz NOT NULL,
        before jsonb,
        after jsonb,
        text text
      )`);
    await q.query(`CREATE INDEX case_events_case ON case_events (case_id, id)`);
    // The timeline is append-only: the database refuses edits, not just the code.
    await q.query(`
      CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`);
    // The key is claimed before the case exists, so its reference is checked at commit.
    await q.query(`
      CREATE TABLE intake_keys (
        key text PRIMARY KEY,
        fingerprint text NOT NULL,
        case_id uuid NOT NULL REFERENCES cases (id) DEFERRABLE INITIALLY DEFERRED,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        case_id uuid,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outbox_created ON outbox (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE intake_keys`);
    await q.query(`DROP TABLE case_events`);
    await q.query(`DROP FUNCTION case_events_append_only`);
    await q.query(`DROP TABLE cases`);
    await q.query(`DROP TABLE reference_counters`);
  }
}
