import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PBX's call log (Asterisk Master.csv), imported so that calls to the complaint line that
 * no case refers to can be followed up. The dedupe key makes a re-import add nothing.
 */
export class CallRecords1764288500000 implements MigrationInterface {
  name = 'CallRecords1764288500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE call_records (
        id uuid PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        unique_id text,
        caller_number text,
        caller_name text,
        extension text NOT NULL,
        context text,
        started_at timestamptz NOT NULL,
        answered_at timestamptz,
        ended_at timestamptz,
        duration integer NOT NULL CHECK (duration >= 0),
        billsec integer NOT NULL CHECK (billsec >= 0),
        disposition text NOT NULL,
        case_id uuid REFERENCES cases (id),
        imported_at timestamptz NOT NULL
      )`);
    // The unlogged-calls window: one extension, a time range, only rows not yet linked.
    await q.query(`CREATE INDEX call_records_unlinked ON call_records (extension, started_at) WHERE case_id IS NULL`);
    await q.query(`CREATE INDEX call_records_unique_id ON call_records (unique_id) WHERE unique_id IS NOT NULL`);
    await q.query(`CREATE INDEX call_records_case ON call_records (case_id) WHERE case_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE call_records`);
  }
}
