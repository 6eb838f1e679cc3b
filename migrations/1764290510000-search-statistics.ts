import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finer planner statistics for full-text search. With the default statistics target, ANALYZE
 * keeps only the commonest lexemes of search_vector; a rarer word is then estimated at 0.5% of
 * the table, and a search for it walks the received_at index newest first, filtering tens of
 * thousands of cases to fill a page (92 ms at a million cases for a word in 0.1% of them)
 * instead of reading its few matches from the GIN index and sorting them (12 ms). A target of
 * 1,000 keeps ten times as many lexemes. ANALYZE samples (about 300,000 rows at most); it
 * neither blocks reads nor writes.
 */
export class SearchStatistics1764290510000 implements MigrationInterface {
  name = 'SearchStatistics1764290510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ALTER COLUMN search_vector SET STATISTICS 1000`);
    await q.query(`ANALYZE cases`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ALTER COLUMN search_vector SET STATISTICS -1`);
  }
}
