import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('INCOMPLETE', 'RECEIVED', 'IN_PROGRESS')`;

/**
 * SLA alerts and clock stops: the status WAITING (clock stopped), the precomputed warning
 * instant of each deadline, the pause in progress and the paused working time so far, and one
 * row per fired alert keyed by (case, type, deadline) so that a retried or concurrent run of
 * the alert job never fires twice, while a moved deadline can fire again.
 */
export class SlaAlertsAndClockStops1764289600000 implements MigrationInterface {
  name = 'SlaAlertsAndClockStops1764289600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP CONSTRAINT cases_status_check`);
    await q.query(`ALTER TABLE cases ADD CONSTRAINT cases_status_check
      CHECK (status IN ('INCOMPLETE', 'RECEIVED', 'IN_PROGRESS', 'ANSWERED', 'CLOSED', 'REJECTED', 'MERGED', 'WAITING'))`);
    await q.query(`ALTER TABLE cases
      ADD COLUMN warn_at timestamptz,
      ADD COLUMN pause jsonb,
      ADD COLUMN paused_working_minutes integer NOT NULL DEFAULT 0 CHECK (paused_working_minutes >= 0),
      ADD CONSTRAINT cases_pause_while_waiting CHECK ((status = 'WAITING') <= (pause IS NOT NULL))`);
    // The alert job asks: open cases whose warning instant has come (cases_open_due serves the deadlines).
    await q.query(`CREATE INDEX cases_open_warn ON cases (warn_at) WHERE status IN ${OPEN} AND warn_at IS NOT NULL`);
    // cases(orderBy: DUE_AT) walks (due_at, id), nearest deadline first.
    await q.query(`CREATE INDEX cases_due_keyset ON cases (due_at, id)`);
    await q.query(`
      CREATE TABLE sla_alerts (
        case_id uuid NOT NULL REFERENCES cases (id),
        type text NOT NULL CHECK (type IN ('SLA_WARNING', 'SLA_BREACHED')),
        due_at timestamptz NOT NULL,
        fired_at timestamptz NOT NULL,
        PRIMARY KEY (case_id, type, due_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sla_alerts`);
    await q.query(`DROP INDEX cases_due_keyset`);
    await q.query(`DROP INDEX cases_open_warn`);
    await q.query(`ALTER TABLE cases DROP CONSTRAINT cases_pause_while_waiting, DROP COLUMN paused_working_minutes, DROP COLUMN pause, DROP COLUMN warn_at`);
    await q.query(`ALTER TABLE cases DROP CONSTRAINT cases_status_check`);
    await q.query(`ALTER TABLE cases ADD CONSTRAINT cases_status_check
      CHECK (status IN ('INCOMPLETE', 'RECEIVED', 'IN_PROGRESS', 'ANSWERED', 'CLOSED', 'REJECTED', 'MERGED'))`);
  }
}
