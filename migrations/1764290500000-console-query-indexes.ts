import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('INCOMPLETE', 'RECEIVED', 'IN_PROGRESS')`;

/**
 * Indexes that match the console's list filters together with their sort, so a page (and the
 * capped totalCount) reads only the rows it returns instead of scanning the table:
 * - status + channel, newest received first (keyset on received_at, id);
 * - open cases by nearest deadline (orderBy DUE_AT, deadlineState AT_RISK / BREACHED / ON_TRACK),
 *   keyset on (due_at, id) over the open cases only, with warn_at so that the count of a
 *   deadline state needs no heap visits.
 * Full-text search already has its GIN index (cases_search); newest-first without a filter has
 * cases_received_keyset; (status, received_at) stays for status-only filters.
 */
export class ConsoleQueryIndexes1764290500000 implements MigrationInterface {
  name = 'ConsoleQueryIndexes1764290500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX cases_status_channel_keyset ON cases (status, channel, received_at DESC, id DESC)`);
    // warn_at included: counting the cases at risk or breached reads the index only (no heap visit per case).
    await q.query(`CREATE INDEX cases_open_due_keyset ON cases (due_at, id) INCLUDE (warn_at) WHERE status IN ${OPEN}`);
    // Same predicate and leading column: the new index serves every use of the old one.
    await q.query(`DROP INDEX cases_open_due`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX cases_open_due ON cases (due_at) WHERE status IN ${OPEN}`);
    await q.query(`DROP INDEX cases_open_due_keyset`);
    await q.query(`DROP INDEX cases_status_channel_keyset`);
  }
}
