/** Size and speed of one token bucket: a burst of `capacity`, refilled by `refillPerSecond`. */
export interface TokenBucket {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** Outcome of taking tokens from a bucket. */
export interface TakeResult {
  readonly allowed: boolean;
  /** 0 when allowed; otherwise whole seconds until the tokens are back (at least 1). */
  readonly retryAfterSeconds: number;
}

/**
 * Token buckets every instance shares (kept in the database), so that a budget holds however
 * many instances serve the clients. A refused take takes nothing.
 */
export interface SharedRateLimitStore {
  /** Takes `cost` tokens (cost <= capacity) from `key`'s bucket if it has them. */
  take(key: string, bucket: TokenBucket, cost: number): Promise<TakeResult>;
  /** Whether the bucket holds at least `cost` tokens now, without taking any. */
  check(key: string, bucket: TokenBucket, cost: number): Promise<TakeResult>;
}
