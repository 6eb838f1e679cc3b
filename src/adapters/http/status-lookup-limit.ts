import { RateLimitedError } from '../../domain/shared/domain-error';
import { SharedRateLimitStore } from '../../domain/shared/rate-limit-store.port';
import { MillisecondClock, RateLimiter } from './rate-limiter';

/**
 * One budget per client address shared by every status lookup (the page and caseStatus): a
 * burst of `perMinute`, refilled evenly. A refused lookup throws RATE_LIMITED. With a shared
 * store the budget holds across all instances; without one it is this process's.
 */
export function statusLookupLimit(perMinute: number, options: { clock?: MillisecondClock; shared?: SharedRateLimitStore | null } = {}): (ip: string) => Promise<void> {
  const bucket = { capacity: perMinute, refillPerSecond: perMinute / 60 };
  const shared = options.shared ?? null;
  const limiter = shared ? null : new RateLimiter({ ...bucket, clock: options.clock });
  return async (ip) => {
    const d = shared ? await shared.take(`status:ip:${ip}`, bucket, 1) : limiter!.take(`status:${ip}`);
    if (!d.allowed) throw new RateLimitedError(d.retryAfterSeconds);
  };
}
