import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit budgets shared by every instance (mutations, logins, failed authentications,
 * status lookups): one token bucket per key, refilled in SQL from `updated_at`. UNLOGGED: the
 * rows are worth a minute at most, so they skip the WAL and are emptied after a crash, which
 * only hands out fresh budgets. Idle rows (full again) are pruned by the instances.
 */
export class RateLimitBuckets1764290400000 implements MigrationInterface {
  name = 'RateLimitBuckets1764290400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_buckets (
        key text PRIMARY KEY,
        tokens double precision NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX rate_limit_buckets_updated ON rate_limit_buckets (updated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_buckets`);
  }
}
