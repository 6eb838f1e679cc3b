import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timeline stays append-only, with one exception: while a person's identity is erased
 * (the transaction sets `loket.erasing`), the `after` values of an event may be rewritten, and
 * nothing else: that is how mail addresses leave the history without the history changing.
 */
export class TimelineErasure1764289000000 implements MigrationInterface {
  name = 'TimelineErasure1764289000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('loket.erasing', true) = 'on'
           AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.type = OLD.type
           AND NEW.actor_id = OLD.actor_id AND NEW.actor_kind = OLD.actor_kind AND NEW.at = OLD.at
           AND NEW.before IS NOT DISTINCT FROM OLD.before AND NEW.text IS NOT DISTINCT FROM OLD.text THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'case_events is append-only';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only';
      END $$`);
  }
}
