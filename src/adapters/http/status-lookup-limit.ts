import { RateLimitedError } from '../../domain/shared/domain-error';
import { MillisecondClock, RateLimiter } from './rate-limiter';

/**
 * One budget per client address shared by every status lookup (the page and caseStatus): a
 * burst of `perMinute`, refilled evenly. A refused lookup throws RATE_LIMITED.
 */
export function statusLookupLimit(perMinute: number, clock?: MillisecondClock): (ip: string) => void {
  const limiter = new RateLimiter({ capacity: perMinute, refillPerSecond: perMinute / 60, clock });
  return (ip) => {
    const d = limiter.take(`status:${ip}`);
    if (!d.allowed) throw new RateLimitedError(d.retryAfterSeconds);
  };
}
