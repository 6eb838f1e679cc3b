import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Desk records: complaint-box openings (one batch of cases, idempotent by the clerk's key)
 * and the walk-in guest book (every visitor, whether or not a case comes of it).
 */
export class DeskRecords1764288700000 implements MigrationInterface {
  name = 'DeskRecords1764288700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE box_openings (
        id uuid PRIMARY KEY,
        idempotency_key text UNIQUE,
        fingerprint text NOT NULL,
        opened_at timestamptz NOT NULL,
        opened_by text NOT NULL,
        witnesses text[] NOT NULL DEFAULT '{}',
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX box_openings_opened_at ON box_openings (opened_at)`);
    await q.query(`
      CREATE TABLE box_opening_entries (
        opening_id uuid NOT NULL REFERENCES box_openings (id),
        position integer NOT NULL,
        case_id uuid NOT NULL UNIQUE REFERENCES cases (id),
        PRIMARY KEY (opening_id, position)
      )`);
    await q.query(`
      CREATE TABLE visits (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        institution text,
        purpose text NOT NULL,
        visited_at timestamptz NOT NULL,
        case_id uuid REFERENCES cases (id),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX visits_visited_at ON visits (visited_at)`);
    await q.query(`CREATE INDEX visits_case ON visits (case_id) WHERE case_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE visits`);
    await q.query(`DROP TABLE box_opening_entries`);
    await q.query(`DROP TABLE box_openings`);
  }
}
