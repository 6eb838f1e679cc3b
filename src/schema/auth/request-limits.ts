import { createHash } from 'node:crypto';
import { BucketConfig, RateLimitConfig, RateLimitDecision, RateLimiter } from '../../adapters/http/rate-limiter';
import { Principal } from '../../domain/access/roles';
import { RateLimitedError, UnauthenticatedError } from '../../domain/shared/domain-error';
import { SharedRateLimitStore, TakeResult } from '../../domain/shared/rate-limit-store.port';

/** Failed authentications per client address and minute when not configured. */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;

/**
 * Rate limits for mutations (per credential and per address), logins (per address and
 * username, and per address) and failed authentications (per address). Queries and
 * subscriptions are bounded by graphql-armor instead.
 *
 * With a shared store (the database) every budget holds across all instances; without one
 * (tests of a single process) the budgets are this process's token buckets.
 */
export class RequestLimits {
  private readonly local = new Map<string, RateLimiter>();
  /** In-process reservations of the failed-authentication budget: parallel guesses on one instance cannot all pass the check. */
  private readonly authFailuresHere: RateLimiter;
  private readonly authFailures: BucketConfig;

  constructor(
    private readonly config: RateLimitConfig,
    authFailuresPerMinute = DEFAULT_AUTH_FAILURES_PER_MINUTE,
    private readonly shared: SharedRateLimitStore | null = null,
  ) {
    this.authFailures = { capacity: authFailuresPerMinute, refillPerSecond: authFailuresPerMinute / 60 };
    this.authFailuresHere = new RateLimiter(this.authFailures);
  }

  /**
   * Takes `count` mutations (one per top-level mutation field of the operation) from the budgets;
   * throws RATE_LIMITED when that is over one. An operation with more mutations than a whole
   * budget holds is refused outright (waiting would never let it through).
   */
  async mutation(principal: Principal | null, ip: string, count = 1): Promise<void> {
    if (count <= 0) return;
    await this.take('mutation-ip', this.config.mutations.perIp, `ip:${ip}`, count);
    if (principal) await this.take('mutation-cred', this.config.mutations.perToken, `cred:${principal.credentialId}`, count);
  }

  async login(ip: string, username: string): Promise<void> {
    await this.take('login-ip', this.config.logins.perIp, `ip:${ip}`, 1);
    // Usernames are kept only as hashes (a password typed into the username box stays unknown).
    await this.take('login-user', this.config.logins.perIpAndUsername, createHash('sha256').update(`${ip}\0${username}`).digest('hex'), 1);
  }

  /**
   * Authenticates through `attempt` unless this address used up its budget of failed
   * authentications: then RATE_LIMITED before the credential is even looked at, so guessing
   * stops whatever the guess. The budget is reserved before the attempt (parallel guesses cannot
   * all pass a check made before any of them failed) and given back unless the credential was
   * unknown (INVALID); expired and revoked ones are real credentials gone stale, not guesses.
   * With a shared store the failures of every instance count: a guess is charged there too.
   */
  async authenticate(ip: string, attempt: () => Promise<Principal | null>): Promise<Principal | null> {
    const key = `ip:${ip}`;
    const budget = this.authFailuresHere.take(key);
    if (!budget.allowed) throw new RateLimitedError(budget.retryAfterSeconds);
    let guessed = false;
    try {
      if (this.shared) {
        const everywhere = await this.shared.check(`auth-failures:${key}`, this.authFailures, 1);
        if (!everywhere.allowed) throw new RateLimitedError(everywhere.retryAfterSeconds);
      }
      return await attempt();
    } catch (err) {
      guessed = err instanceof UnauthenticatedError && err.reason === 'INVALID';
      throw err;
    } finally {
      if (!guessed) this.authFailuresHere.refund(key);
      else if (this.shared) await this.shared.take(`auth-failures:${key}`, this.authFailures, 1).catch(() => undefined);
    }
  }

  /** Takes from one budget (shared or in-process), refusing a cost above its capacity outright. */
  private async take(budget: string, bucket: BucketConfig, key: string, cost: number): Promise<void> {
    let d: TakeResult | RateLimitDecision;
    if (cost > bucket.capacity) d = { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(bucket.capacity / bucket.refillPerSecond)) };
    else if (this.shared) d = await this.shared.take(`${budget}:${key}`, bucket, cost);
    else d = this.limiter(budget, bucket).take(key, cost);
    if (!d.allowed) throw new RateLimitedError(d.retryAfterSeconds);
  }

  private limiter(budget: string, bucket: BucketConfig): RateLimiter {
    let l = this.local.get(budget);
    if (!l) this.local.set(budget, (l = new RateLimiter(bucket)));
    return l;
  }
}
