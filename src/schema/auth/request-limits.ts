import { BucketConfig, RateLimitConfig, RateLimitDecision, RateLimiter } from '../../adapters/http/rate-limiter';
import { Principal } from '../../domain/access/roles';
import { RateLimitedError, UnauthenticatedError } from '../../domain/shared/domain-error';

/** Failed authentications per client address and minute when not configured. */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;

/**
 * Rate limits for mutations (per credential and per address), logins (per address and
 * username, and per address) and failed authentications (per address). Queries and
 * subscriptions are bounded by graphql-armor instead.
 */
export class RequestLimits {
  private readonly perCredential: RateLimiter;
  private readonly perIp: RateLimiter;
  private readonly loginPerUser: RateLimiter;
  private readonly loginPerIp: RateLimiter;
  private readonly authFailures: RateLimiter;

  constructor(
    private readonly config: RateLimitConfig,
    authFailuresPerMinute = DEFAULT_AUTH_FAILURES_PER_MINUTE,
  ) {
    this.authFailures = new RateLimiter({ capacity: authFailuresPerMinute, refillPerSecond: authFailuresPerMinute / 60 });
    this.perCredential = new RateLimiter(config.mutations.perToken);
    this.perIp = new RateLimiter(config.mutations.perIp);
    this.loginPerUser = new RateLimiter(config.logins.perIpAndUsername);
    this.loginPerIp = new RateLimiter(config.logins.perIp);
  }

  /**
   * Takes `count` mutations (one per top-level mutation field of the operation) from the budgets;
   * throws RATE_LIMITED when that is over one. An operation with more mutations than a whole
   * budget holds is refused outright (waiting would never let it through).
   */
  mutation(principal: Principal | null, ip: string, count = 1): void {
    if (count <= 0) return;
    const byIp = take(this.perIp, this.config.mutations.perIp, `ip:${ip}`, count);
    if (!byIp.allowed) throw new RateLimitedError(byIp.retryAfterSeconds);
    if (principal) {
      const byCredential = take(this.perCredential, this.config.mutations.perToken, `cred:${principal.credentialId}`, count);
      if (!byCredential.allowed) throw new RateLimitedError(byCredential.retryAfterSeconds);
    }
  }

  login(ip: string, username: string): void {
    const byIp = this.loginPerIp.take(`ip:${ip}`);
    if (!byIp.allowed) throw new RateLimitedError(byIp.retryAfterSeconds);
    const byUser = this.loginPerUser.take(`login:${ip}:${username}`);
    if (!byUser.allowed) throw new RateLimitedError(byUser.retryAfterSeconds);
  }

  /**
   * Authenticates through `attempt` unless this address used up its budget of failed
   * authentications: then RATE_LIMITED before the credential is even looked at, so guessing
   * stops whatever the guess. The budget is reserved before the attempt (parallel guesses cannot
   * all pass a check made before any of them failed) and given back unless the credential was
   * unknown (INVALID); expired and revoked ones are real credentials gone stale, not guesses.
   */
  async authenticate(ip: string, attempt: () => Promise<Principal | null>): Promise<Principal | null> {
    const key = `ip:${ip}`;
    const budget = this.authFailures.take(key);
    if (!budget.allowed) throw new RateLimitedError(budget.retryAfterSeconds);
    let guessed = false;
    try {
      return await attempt();
    } catch (err) {
      guessed = err instanceof UnauthenticatedError && err.reason === 'INVALID';
      throw err;
    } finally {
      if (!guessed) this.authFailures.refund(key);
    }
  }
}

/** RateLimiter.take, with a cost above the bucket's capacity refused (retry once the bucket is full again). */
function take(limiter: RateLimiter, bucket: BucketConfig, key: string, cost: number): RateLimitDecision {
  if (cost > bucket.capacity) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(bucket.capacity / bucket.refillPerSecond)), remaining: 0 };
  return limiter.take(key, cost);
}
