import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who uploaded which file (POST /files): an upload not yet attached to a case is readable and
 * attachable only by those who uploaded it. Files are stored once per content, so one file may
 * have several uploaders. The indexes serve the question "what refers to this file" that every
 * download and every attach asks.
 */
export class FileUploads1764289300000 implements MigrationInterface {
  name = 'FileUploads1764289300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE file_uploads (
        file_id text NOT NULL REFERENCES stored_files (id),
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL,
        PRIMARY KEY (file_id, uploaded_by)
      )`);
    await q.query(`CREATE INDEX case_attachments_file ON case_attachments (file_id)`);
    await q.query(`CREATE INDEX email_messages_raw_file ON email_messages (raw_file_id)`);
    await q.query(`CREATE INDEX drop_items_file ON drop_items (file_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX drop_items_file`);
    await q.query(`DROP INDEX email_messages_raw_file`);
    await q.query(`DROP INDEX case_attachments_file`);
    await q.query(`DROP TABLE file_uploads`);
  }
}
