import { DataSource } from 'typeorm';
import { SharedRateLimitStore, TakeResult, TokenBucket } from '../../domain/shared/rate-limit-store.port';

/** A bucket is full again after at most a minute for every budget Loket has; older rows say nothing. */
const PRUNE_IDLE = `10 minutes`;
const PRUNE_EVERY_MS = 60_000;

/**
 * Refill then take, atomically, in one statement: a new key starts full; an existing row is
 * refilled by the time since `updated_at` (database time, the same for every instance) and
 * updated only when the refilled level covers the cost. No row back means refused: the row is
 * untouched (a refused call takes nothing).
 */
const TAKE_SQL = `
  INSERT INTO rate_limit_buckets AS b (key, tokens, updated_at) VALUES ($1, $2::float8 - $4::float8, clock_timestamp())
  ON CONFLICT (key) DO UPDATE
    SET tokens = least($2::float8, b.tokens + greatest(0, extract(epoch FROM clock_timestamp() - b.updated_at)) * $3::float8) - $4::float8,
        updated_at = greatest(b.updated_at, clock_timestamp())
    WHERE least($2::float8, b.tokens + greatest(0, extract(epoch FROM clock_timestamp() - b.updated_at)) * $3::float8) >= $4::float8
  RETURNING tokens`;

const LEVEL_SQL = `
  SELECT least($2::float8, tokens + greatest(0, extract(epoch FROM clock_timestamp() - updated_at)) * $3::float8) AS tokens
  FROM rate_limit_buckets WHERE key = $1`;

/** Token buckets in the UNLOGGED table rate_limit_buckets, shared by every instance on the database (PGlite: the one process). */
export class PostgresRateLimitStore implements SharedRateLimitStore {
  private lastPrune = 0;

  constructor(private readonly ds: DataSource) {}

  async take(key: string, bucket: TokenBucket, cost: number): Promise<TakeResult> {
    this.maybePrune();
    const taken = (await this.ds.query(TAKE_SQL, [key, bucket.capacity, bucket.refillPerSecond, cost])) as unknown[];
    if (taken.length > 0) return { allowed: true, retryAfterSeconds: 0 };
    return this.refusal(key, bucket, cost);
  }

  async check(key: string, bucket: TokenBucket, cost: number): Promise<TakeResult> {
    const [row] = (await this.ds.query(LEVEL_SQL, [key, bucket.capacity, bucket.refillPerSecond])) as { tokens: number }[];
    if (!row || Number(row.tokens) >= cost) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: wait(Number(row.tokens), bucket, cost) };
  }

  private async refusal(key: string, bucket: TokenBucket, cost: number): Promise<TakeResult> {
    const [row] = (await this.ds.query(LEVEL_SQL, [key, bucket.capacity, bucket.refillPerSecond])) as { tokens: number }[];
    return { allowed: false, retryAfterSeconds: wait(row ? Number(row.tokens) : 0, bucket, cost) };
  }

  /** Now and then, one instance drops rows idle long enough to be full again (forgetting them changes nothing). */
  private maybePrune(): void {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    void this.ds.query(`DELETE FROM rate_limit_buckets WHERE updated_at < now() - interval '${PRUNE_IDLE}'`).catch(() => undefined);
  }
}

function wait(tokens: number, bucket: TokenBucket, cost: number): number {
  return Math.max(1, Math.ceil((cost - tokens) / bucket.refillPerSecond));
}
