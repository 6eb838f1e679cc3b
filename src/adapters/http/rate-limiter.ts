/** Milliseconds since an arbitrary epoch; injected so tests control time. */
export interface MillisecondClock {
  now(): number;
}

/** Size and speed of one token bucket. */
export interface BucketConfig {
  /** Largest burst: tokens a full bucket holds. */
  readonly capacity: number;
  /** Tokens added back per second, up to `capacity`. */
  readonly refillPerSecond: number;
}

/** Options of a {@link RateLimiter}. */
export interface RateLimiterOptions extends BucketConfig {
  /** Most keys kept; past it the least recently used key is forgotten. Default 50,000. */
  readonly maxKeys?: number;
  /** Default: `Date.now`. */
  readonly clock?: MillisecondClock;
}

/** Outcome of {@link RateLimiter.take}. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** 0 when allowed; otherwise whole seconds until `cost` tokens are back (at least 1). */
  readonly retryAfterSeconds: number;
  /** Whole tokens left after this call. */
  readonly remaining: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const DEFAULT_MAX_KEYS = 50_000;
const systemMilliseconds: MillisecondClock = { now: () => Date.now() };

/**
 * In-memory token buckets keyed by string (`token:<id>`, `ip:<addr>`, `login:<ip>:<username>`).
 * Memory is bounded: keys are kept in least-recently-used order, a key idle long enough for its
 * bucket to be full again is dropped (forgetting it changes nothing), and at `maxKeys` the least
 * recently used key is evicted. Per process: with several replicas each enforces its own budget.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly idleMs: number;
  private readonly maxKeys: number;
  private readonly clock: MillisecondClock;

  constructor(options: RateLimiterOptions) {
    const { capacity, refillPerSecond, maxKeys = DEFAULT_MAX_KEYS } = options;
    if (!Number.isFinite(capacity) || capacity <= 0) throw new RangeError(`capacity must be a positive number, got ${capacity}`);
    if (!Number.isFinite(refillPerSecond) || refillPerSecond <= 0) {
      throw new RangeError(`refillPerSecond must be a positive number, got ${refillPerSecond}`);
    }
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}`);
    this.capacity = capacity;
    this.refillPerMs = refillPerSecond / 1000;
    this.idleMs = capacity / this.refillPerMs;
    this.maxKeys = maxKeys;
    this.clock = options.clock ?? systemMilliseconds;
  }

  /** Number of keys currently remembered (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes `cost` tokens from `key`'s bucket if it has them; a refused call takes nothing.
   * @throws RangeError when `cost` is not in (0, capacity]: such a call could never be allowed.
   */
  take(key: string, cost = 1): RateLimitDecision {
    if (!Number.isFinite(cost) || cost <= 0 || cost > this.capacity) {
      throw new RangeError(`cost must be in (0, ${this.capacity}], got ${cost}`);
    }
    const now = this.clock.now();
    this.evictIdle(now);
    const bucket = this.touch(key, now);
    // A clock that steps backwards must not drain or overfill the bucket.
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.capacity, bucket.tokens + elapsed * this.refillPerMs);
    bucket.updatedAt = Math.max(bucket.updatedAt, now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
    }
    const waitMs = (cost - bucket.tokens) / this.refillPerMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), remaining: Math.floor(bucket.tokens) };
  }

  /**
   * Gives back `cost` tokens taken earlier (up to capacity): for budgets that reserve before an
   * outcome is known and charge only some outcomes (failed authentications).
   */
  refund(key: string, cost = 1): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.capacity, bucket.tokens + cost);
  }

  /** Forgets `key`, e.g. after a successful login resets the failed-attempt budget. */
  reset(key: string): void {
    this.buckets.delete(key);
  }

  /** Returns the key's bucket moved to the most recently used end, creating it (full) if needed. */
  private touch(key: string, now: number): Bucket {
    const existing = this.buckets.get(key);
    if (existing) {
      this.buckets.delete(key);
      this.buckets.set(key, existing);
      return existing;
    }
    while (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
    const bucket: Bucket = { tokens: this.capacity, updatedAt: now };
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Map order is last use, so idle buckets sit at the front: amortised O(1) per call. */
  private evictIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt < this.idleMs) return;
      this.buckets.delete(key);
    }
  }
}

/** Refusal to raise from a resolver or middleware; map `code` to `extensions.code` and a Retry-After header. */
export class RateLimitedError extends Error {
  readonly code = 'RATE_LIMITED' as const;

  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many requests; retry after ${retryAfterSeconds} s`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** Bucket sizes for the rate-limited operations, from {@link rateLimitConfigFromEnv}. */
export interface RateLimitConfig {
  readonly mutations: { readonly perToken: BucketConfig; readonly perIp: BucketConfig };
  readonly logins: { readonly perIpAndUsername: BucketConfig; readonly perIp: BucketConfig };
}

/** A rate-limit environment variable has a value that cannot be used. */
export class RateLimitConfigError extends Error {
  override readonly name = 'RateLimitConfigError';
}

const MAX_PER_MINUTE = 1_000_000;

/** A per-minute limit as a bucket: a burst of the whole minute's budget, refilled evenly. */
function perMinute(limit: number): BucketConfig {
  return { capacity: limit, refillPerSecond: limit / 60 };
}

function parsePair(name: string, raw: string | undefined, defaults: readonly [number, number], labels: readonly [string, string]): [number, number] {
  if (raw === undefined || raw.trim() === '') return [defaults[0], defaults[1]];
  const parts = raw.split(',').map((p) => p.trim());
  const usage = `${name} must be "N" or "N,M" (requests per minute: N ${labels[0]}, M ${labels[1]}), whole numbers 1..${MAX_PER_MINUTE}; got "${raw}"`;
  if (parts.length > 2 || !parts.every((p) => /^[0-9]+$/.test(p))) throw new RateLimitConfigError(usage);
  const numbers = parts.map(Number);
  if (!numbers.every((n) => n >= 1 && n <= MAX_PER_MINUTE)) throw new RateLimitConfigError(usage);
  const first = numbers[0] as number;
  // With only N given, the per-IP budget never drops below the per-client one (an office behind one NAT).
  return [first, numbers[1] ?? Math.max(defaults[1], first)];
}

/**
 * Reads `LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE` (default "120,300": 120 per token, 300 per IP) and
 * `LOKET_RATE_LIMIT_LOGINS_PER_MINUTE` (default "10,30": 10 per IP+username, 30 per IP). Each is "N"
 * (the first limit; the per-IP one stays at its default or N, whichever is larger) or "N,M".
 * @throws RateLimitConfigError naming the variable, the accepted format and the bad value.
 */
export function rateLimitConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): RateLimitConfig {
  const [mutationsPerToken, mutationsPerIp] = parsePair('LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE', env.LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE, [120, 300], [
    'per token',
    'per IP',
  ]);
  const [loginsPerUser, loginsPerIp] = parsePair('LOKET_RATE_LIMIT_LOGINS_PER_MINUTE', env.LOKET_RATE_LIMIT_LOGINS_PER_MINUTE, [10, 30], [
    'per IP+username',
    'per IP',
  ]);
  return {
    mutations: { perToken: perMinute(mutationsPerToken), perIp: perMinute(mutationsPerIp) },
    logins: { perIpAndUsername: perMinute(loginsPerUser), perIp: perMinute(loginsPerIp) },
  };
}

/**
 * Reads `LOKET_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE` (default 30): failed authentications (unknown
 * bearer credentials) one client address may make per minute before its requests are refused.
 * @throws RateLimitConfigError naming the variable and the bad value.
 */
export function authFailuresPerMinuteFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.LOKET_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE?.trim();
  if (!raw) return 30;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PER_MINUTE) {
    throw new RateLimitConfigError(`LOKET_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE must be a whole number 1..${MAX_PER_MINUTE} (per client address); got "${raw}"`);
  }
  return Number(raw);
}
