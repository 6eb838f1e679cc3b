import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calendar changes move open deadlines. `calendar_settings.version` goes up with every change,
 * in the change's transaction: every instance compares it before a deadline computation, so
 * none computes with a calendar it cached before another instance changed it. Updating that
 * row is also the lock that serializes calendar changes across instances.
 *
 * `calendar_changes` records each change with who made it. A row with `cases_moved` NULL is a
 * change whose open-case recompute is still due (one shipped by a migration); the start-up
 * step does it once and fills `cases_moved` and `recomputed_at`, the only update allowed.
 */
export class CalendarChanges1764289400000 implements MigrationInterface {
  name = 'CalendarChanges1764289400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calendar_settings ADD COLUMN version bigint NOT NULL DEFAULT 1`);
    await q.query(`
      CREATE TABLE calendar_changes (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id text NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('USER', 'SYSTEM')),
        actor_role text,
        change jsonb NOT NULL,
        calendar_version bigint NOT NULL,
        cases_moved integer,
        recomputed_at timestamptz
      )`);
    await q.query(`CREATE INDEX calendar_changes_pending ON calendar_changes (id) WHERE cases_moved IS NULL`);
    await q.query(`
      CREATE FUNCTION calendar_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.cases_moved IS NULL AND NEW.cases_moved IS NOT NULL AND NEW.recomputed_at IS NOT NULL
           AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_id = OLD.actor_id AND NEW.actor_kind = OLD.actor_kind
           AND NEW.actor_role IS NOT DISTINCT FROM OLD.actor_role AND NEW.change = OLD.change
           AND NEW.calendar_version = OLD.calendar_version THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'calendar_changes is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER calendar_changes_no_change BEFORE UPDATE OR DELETE ON calendar_changes
      FOR EACH ROW EXECUTE FUNCTION calendar_changes_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_changes`);
    await q.query(`DROP FUNCTION calendar_changes_append_only`);
    await q.query(`ALTER TABLE calendar_settings DROP COLUMN version`);
  }
}
