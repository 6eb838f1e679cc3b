import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SP4N-LAPOR! channel's own tables: the case of each tracking ID (unique) with LAPOR!'s
 * follow-up clock, the outbox of follow-ups to post, reports that could not be mapped, and the
 * channel's cursors and last state.
 */
export class LaporChannel1764290000000 implements MigrationInterface {
  name = 'LaporChannel1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lapor_cases (
        case_id uuid PRIMARY KEY REFERENCES cases (id),
        tracking_id text NOT NULL UNIQUE,
        lapor_received_at timestamptz NOT NULL,
        dispositioned_at timestamptz NOT NULL,
        follow_up_due_at timestamptz NOT NULL,
        follow_up_warn_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('DISPOSITIONED', 'FOLLOWED_UP', 'REPLIED', 'CLOSED')),
        rahasia boolean NOT NULL,
        anonim boolean NOT NULL,
        followed_up_at timestamptz,
        auto_close_at timestamptz,
        warned_at timestamptz,
        breached_at timestamptz
      )`);
    await q.query(`CREATE INDEX lapor_cases_follow_up ON lapor_cases (follow_up_warn_at) WHERE status = 'DISPOSITIONED'`);
    await q.query(`CREATE INDEX lapor_cases_auto_close ON lapor_cases (auto_close_at) WHERE auto_close_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE lapor_outbox (
        id text PRIMARY KEY,
        source_event_id bigint NOT NULL UNIQUE,
        case_id uuid NOT NULL REFERENCES cases (id),
        tracking_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ANSWER', 'FOLLOW_UP')),
        text text NOT NULL,
        attachment_file_ids jsonb NOT NULL DEFAULT '[]',
        state text NOT NULL CHECK (state IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        last_error text,
        response text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX lapor_outbox_due ON lapor_outbox (next_attempt_at) WHERE state IN ('PENDING', 'SENDING')`);
    await q.query(`
      CREATE TABLE lapor_quarantine (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tracking_id text,
        reason text NOT NULL,
        payload text NOT NULL,
        quarantined_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE TABLE lapor_state (name text PRIMARY KEY, value jsonb NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lapor_state`);
    await q.query(`DROP TABLE lapor_quarantine`);
    await q.query(`DROP TABLE lapor_outbox`);
    await q.query(`DROP TABLE lapor_cases`);
  }
}
