import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files dropped by the scanner and the fax server, waiting for a clerk. One row per kind and
 * content (file_id is the SHA-256): re-reading a folder, or a file left behind by a crash
 * between commit and move, never makes a second row.
 */
export class DropFolders1764288600000 implements MigrationInterface {
  name = 'DropFolders1764288600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE drop_items (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('SCAN', 'FAX')),
        file_id text NOT NULL REFERENCES stored_files (id),
        filename text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL,
        arrived_at timestamptz NOT NULL,
        sender_number text,
        fax_received_at timestamptz,
        status text NOT NULL DEFAULT 'UNREGISTERED' CHECK (status IN ('UNREGISTERED', 'REGISTERED', 'DISCARDED')),
        case_id uuid REFERENCES cases (id),
        discard_reason text,
        resolved_at timestamptz,
        resolved_by text,
        UNIQUE (kind, file_id),
        CHECK ((status = 'REGISTERED') = (case_id IS NOT NULL)),
        CHECK ((status = 'DISCARDED') = (discard_reason IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX drop_items_waiting ON drop_items (kind, arrived_at, id) WHERE status = 'UNREGISTERED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE drop_items`);
  }
}
