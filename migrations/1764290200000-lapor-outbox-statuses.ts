import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The LAPOR! outbox also carries the report statuses Loket posts (IN_PROGRESS when the case is
 * being worked, FINISHED when it is answered). One committed event may now give two rows (the
 * answer and the FINISHED status), so "once per event" becomes once per event and kind.
 */
export class LaporOutboxStatuses1764290200000 implements MigrationInterface {
  name = 'LaporOutboxStatuses1764290200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lapor_outbox DROP CONSTRAINT lapor_outbox_source_event_id_key`);
    await q.query(`ALTER TABLE lapor_outbox ADD CONSTRAINT lapor_outbox_source_event_kind_key UNIQUE (source_event_id, kind)`);
    await q.query(`ALTER TABLE lapor_outbox DROP CONSTRAINT lapor_outbox_kind_check`);
    await q.query(`ALTER TABLE lapor_outbox ADD CONSTRAINT lapor_outbox_kind_check CHECK (kind IN ('ANSWER', 'FOLLOW_UP', 'STATUS'))`);
    await q.query(`CREATE INDEX lapor_outbox_case ON lapor_outbox (case_id) WHERE state IN ('PENDING', 'SENDING')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX lapor_outbox_case`);
    await q.query(`DELETE FROM lapor_outbox WHERE kind = 'STATUS'`);
    await q.query(`ALTER TABLE lapor_outbox DROP CONSTRAINT lapor_outbox_kind_check`);
    await q.query(`ALTER TABLE lapor_outbox ADD CONSTRAINT lapor_outbox_kind_check CHECK (kind IN ('ANSWER', 'FOLLOW_UP'))`);
    await q.query(`ALTER TABLE lapor_outbox DROP CONSTRAINT lapor_outbox_source_event_kind_key`);
    await q.query(`ALTER TABLE lapor_outbox ADD CONSTRAINT lapor_outbox_source_event_id_key UNIQUE (source_event_id)`);
  }
}
