import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Small stored files (most emails, small attachments) are kept in their index row instead of
 * a file of their own: creating a file costs more than writing its bytes, and they are then
 * backed up with the database. Larger files stay in the files directory.
 */
export class InlineSmallFiles1764288900000 implements MigrationInterface {
  name = 'InlineSmallFiles1764288900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stored_files ADD COLUMN content bytea`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stored_files DROP COLUMN content`);
  }
}
