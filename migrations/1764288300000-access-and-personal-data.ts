import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff users, API tokens, sessions and the audit log; on cases: confidentiality, erasure,
 * and the NIK moved out of the requester JSON into an encrypted column with a blind index
 * (the application encrypts any plain NIK left in JSON at start).
 */
export class AccessAndPersonalData1764288300000 implements MigrationInterface {
  name = 'AccessAndPersonalData1764288300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN confidential boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE cases SET confidential = true WHERE kind = 'COMPLAINT'`);
    await q.query(`ALTER TABLE cases ADD COLUMN requester_erased_at timestamptz`);
    await q.query(`ALTER TABLE cases ADD COLUMN nik_ciphertext text`);
    await q.query(`ALTER TABLE cases ADD COLUMN nik_index text`);
    await q.query(`CREATE INDEX cases_nik_index ON cases (nik_index) WHERE nik_index IS NOT NULL`);
    await q.query(`CREATE INDEX cases_assignee ON cases (assignee, received_at DESC)`);
    await q.query(`
      CREATE TABLE staff_users (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN')),
        team text,
        password_hash text NOT NULL,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN', 'INTEGRATION')),
        scopes text[] NOT NULL DEFAULT '{}',
        team text,
        token_hash text NOT NULL UNIQUE,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES staff_users (id),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL,
        case_id uuid,
        reason text,
        details jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_case ON audit_log (case_id, id)`);
    await q.query(`
      CREATE FUNCTION append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION append_only_table()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION append_only_table`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE api_tokens`);
    await q.query(`DROP TABLE staff_users`);
    await q.query(`DROP INDEX cases_assignee`);
    await q.query(`DROP INDEX cases_nik_index`);
    await q.query(`ALTER TABLE cases DROP COLUMN nik_index, DROP COLUMN nik_ciphertext, DROP COLUMN requester_erased_at, DROP COLUMN confidential`);
  }
}
