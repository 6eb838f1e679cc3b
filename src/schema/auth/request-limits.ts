import { RateLimitConfig, RateLimiter } from '../../adapters/http/rate-limiter';
import { Principal } from '../../domain/access/roles';
import { RateLimitedError } from '../../domain/shared/domain-error';

/**
 * Rate limits for mutations (per credential and per address) and logins (per address and
 * username, and per address). Queries and subscriptions are bounded by graphql-armor instead.
 */
export class RequestLimits {
  private readonly perCredential: RateLimiter;
  private readonly perIp: RateLimiter;
  private readonly loginPerUser: RateLimiter;
  private readonly loginPerIp: RateLimiter;

  constructor(config: RateLimitConfig) {
    this.perCredential = new RateLimiter(config.mutations.perToken);
    this.perIp = new RateLimiter(config.mutations.perIp);
    this.loginPerUser = new RateLimiter(config.logins.perIpAndUsername);
    this.loginPerIp = new RateLimiter(config.logins.perIp);
  }

  /** Throws RATE_LIMITED when this mutation is over a budget. */
  mutation(principal: Principal | null, ip: string): void {
    const byIp = this.perIp.take(`ip:${ip}`);
    if (!byIp.allowed) throw new RateLimitedError(byIp.retryAfterSeconds);
    if (principal) {
      const byCredential = this.perCredential.take(`cred:${principal.credentialId}`);
      if (!byCredential.allowed) throw new RateLimitedError(byCredential.retryAfterSeconds);
    }
  }

  login(ip: string, username: string): void {
    const byIp = this.loginPerIp.take(`ip:${ip}`);
    if (!byIp.allowed) throw new RateLimitedError(byIp.retryAfterSeconds);
    const byUser = this.loginPerUser.take(`login:${ip}:${username}`);
    if (!byUser.allowed) throw new RateLimitedError(byUser.retryAfterSeconds);
  }
}
