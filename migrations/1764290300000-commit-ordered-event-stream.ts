import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets the event stream find a safe horizon: every timeline event id is drawn while holding a
 * shared transaction-level advisory lock (key 1280262981/1, 'LOKE'), kept until the writing
 * transaction ends. The lock is taken before the id, so a reader that reads the sequence
 * first and then the lock holders knows every transaction that may still commit an id up to
 * what it read (see OutboxEventBus). Shared locks never wait for each other: writers are not
 * slowed down.
 */
export class CommitOrderedEventStream1764290300000 implements MigrationInterface {
  name = 'CommitOrderedEventStream1764290300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION case_event_next_id() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(1280262981, 1);
        RETURN nextval('case_events_id_seq');
      END $$`);
    await q.query(`ALTER TABLE case_events ALTER COLUMN id SET DEFAULT case_event_next_id()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_events ALTER COLUMN id SET DEFAULT nextval('case_events_id_seq')`);
    await q.query(`DROP FUNCTION case_event_next_id`);
  }
}
