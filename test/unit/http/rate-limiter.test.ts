import { authFailuresPerMinuteFromEnv, RateLimitConfigError, RateLimitedError, RateLimiter, rateLimitConfigFromEnv } from '../../../src/adapters/http/rate-limiter';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}

describe('RateLimiter', () => {
  it('allows up to capacity, then refuses with a sensible retryAfterSeconds', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ capacity: 10, refillPerSecond: 10 / 60, clock });
    for (let i = 0; i < 10; i++) {
      expect(limiter.take('token:a')).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 9 - i });
    }
    // One token comes back every 6 s.
    expect(limiter.take('token:a')).toEqual({ allowed: false, retryAfterSeconds: 6, remaining: 0 });
    clock.advance(2_500);
    expect(limiter.take('token:a')).toEqual({ allowed: false, retryAfterSeconds: 4, remaining: 0 });
  });

  it('refills over time, never above capacity', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 1, clock });
    for (let i = 0; i < 3; i++) limiter.take('k');
    expect(limiter.take('k').allowed).toBe(false);
    clock.advance(999);
    expect(limiter.take('k').allowed).toBe(false);
    clock.advance(1);
    expect(limiter.take('k')).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
    clock.advance(60_000);
    expect(limiter.take('k').remaining).toBe(2);
  });

  it('does not charge refused attempts', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, clock });
    limiter.take('k');
    for (let i = 0; i < 5; i++) expect(limiter.take('k').allowed).toBe(false);
    clock.advance(1_000);
    expect(limiter.take('k').allowed).toBe(true);
  });

  it('supports a cost per call', () => {
    const limiter = new RateLimiter({ capacity: 10, refillPerSecond: 1, clock: manualClock() });
    expect(limiter.take('k', 7)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 3 });
    expect(limiter.take('k', 5)).toEqual({ allowed: false, retryAfterSeconds: 2, remaining: 3 });
    expect(() => limiter.take('k', 11)).toThrow(RangeError);
    expect(() => limiter.take('k', 0)).toThrow(RangeError);
    expect(() => limiter.take('k', Number.NaN)).toThrow(RangeError);
  });

  it('keeps keys independent', () => {
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1, clock: manualClock() });
    limiter.take('ip:10.0.0.1');
    limiter.take('ip:10.0.0.1');
    expect(limiter.take('ip:10.0.0.1').allowed).toBe(false);
    expect(limiter.take('ip:10.0.0.2')).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 1 });
    expect(limiter.take('token:10.0.0.1').allowed).toBe(true);
  });

  it('is not fooled by a clock stepping backwards', () => {
    const clock = manualClock(100_000);
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1, clock });
    limiter.take('k');
    limiter.take('k');
    clock.set(50_000);
    expect(limiter.take('k').allowed).toBe(false);
    clock.set(100_000);
    expect(limiter.take('k').allowed).toBe(false);
    clock.set(101_000);
    expect(limiter.take('k').allowed).toBe(true);
  });

  it('caps the number of keys, evicting the least recently used', () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 0.001, maxKeys: 3, clock: manualClock() });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    limiter.take('a', 0.5); // refused, but a is now the most recently used
    limiter.take('d'); // evicts b
    expect(limiter.size).toBe(3);
    expect(limiter.take('a').allowed).toBe(false); // still remembered: empty
    expect(limiter.take('c').allowed).toBe(false); // still remembered
    expect(limiter.take('b').allowed).toBe(true); // forgotten, so full again (and evicts d)
    expect(limiter.size).toBe(3);
  });

  it('holds at most maxKeys under a flood of distinct keys', () => {
    const limiter = new RateLimiter({ capacity: 5, refillPerSecond: 1, maxKeys: 1_000, clock: manualClock() });
    for (let i = 0; i < 20_000; i++) limiter.take(`ip:${i}`);
    expect(limiter.size).toBe(1_000);
  });

  it('defaults to at most 50,000 keys', () => {
    const limiter = new RateLimiter({ capacity: 5, refillPerSecond: 1, clock: manualClock() });
    for (let i = 0; i < 50_010; i++) limiter.take(`ip:${i}`);
    expect(limiter.size).toBe(50_000);
  });

  it('forgets buckets once they have been idle long enough to be full again', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ capacity: 10, refillPerSecond: 1, clock });
    limiter.take('old', 10);
    clock.advance(5_000);
    limiter.take('recent');
    expect(limiter.size).toBe(2);
    clock.advance(5_000); // old idle 10 s = refill time of a full bucket; recent idle 5 s
    limiter.take('new');
    expect(limiter.size).toBe(2);
    expect(limiter.take('old').remaining).toBe(9); // indistinguishable from remembering it
  });

  it('reset forgets a key', () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 0.01, clock: manualClock() });
    limiter.take('login:10.0.0.1:ani');
    limiter.reset('login:10.0.0.1:ani');
    expect(limiter.take('login:10.0.0.1:ani').allowed).toBe(true);
  });

  it('rejects nonsense options', () => {
    expect(() => new RateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 0 })).toThrow(RangeError);
  });

  it('uses the wall clock by default', () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1 });
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe('RateLimitedError', () => {
  it('carries a stable code and the wait', () => {
    const err = new RateLimitedError(7);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.retryAfterSeconds).toBe(7);
    expect(err.name).toBe('RateLimitedError');
    expect(err.message).toBe('Too many requests; retry after 7 s');
    expect(new RateLimitedError(3, 'Terlalu banyak percobaan').message).toBe('Terlalu banyak percobaan');
  });
});

describe('rateLimitConfigFromEnv', () => {
  it('has the documented defaults', () => {
    expect(rateLimitConfigFromEnv({})).toEqual({
      mutations: { perToken: { capacity: 120, refillPerSecond: 2 }, perIp: { capacity: 300, refillPerSecond: 5 } },
      logins: { perIpAndUsername: { capacity: 10, refillPerSecond: 10 / 60 }, perIp: { capacity: 30, refillPerSecond: 0.5 } },
    });
  });

  it('reads "N,M" and "N"', () => {
    const config = rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: ' 60 , 600 ', LOKET_RATE_LIMIT_LOGINS_PER_MINUTE: '5' });
    expect(config.mutations.perToken.capacity).toBe(60);
    expect(config.mutations.perIp.capacity).toBe(600);
    expect(config.logins.perIpAndUsername.capacity).toBe(5);
    expect(config.logins.perIp.capacity).toBe(30);
  });

  it('never puts the per-IP budget below a raised per-client one when only N is given', () => {
    expect(rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: '1000' }).mutations.perIp.capacity).toBe(1000);
  });

  it('treats an empty value as unset', () => {
    expect(rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_LOGINS_PER_MINUTE: '' }).logins.perIpAndUsername.capacity).toBe(10);
  });

  it.each(['abc', '0', '-5', '1.5', '10,', ',10', '1,2,3', '1e3', '2000000', '10 20'])('refuses %p with a clear error', (value) => {
    expect(() => rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: value })).toThrow(RateLimitConfigError);
    expect(() => rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: value })).toThrow(
      `LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE must be "N" or "N,M" (requests per minute: N per token, M per IP), whole numbers 1..1000000; got "${value}"`,
    );
  });

  it('names the login variable in its errors', () => {
    expect(() => rateLimitConfigFromEnv({ LOKET_RATE_LIMIT_LOGINS_PER_MINUTE: 'ten' })).toThrow(/^LOKET_RATE_LIMIT_LOGINS_PER_MINUTE .*per IP\+username/);
  });
});

describe('RateLimiter.refund', () => {
  it('gives back taken tokens, never above capacity, and ignores unknown keys', () => {
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1, clock: manualClock() });
    limiter.take('k');
    limiter.take('k');
    expect(limiter.take('k').allowed).toBe(false);
    limiter.refund('k');
    expect(limiter.take('k')).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
    limiter.refund('k', 5);
    expect(limiter.take('k').remaining).toBe(1);
    limiter.refund('never-seen');
    expect(limiter.size).toBe(1);
  });
});

describe('authFailuresPerMinuteFromEnv', () => {
  it('defaults to 30, reads a whole number, refuses anything else by name', () => {
    expect(authFailuresPerMinuteFromEnv({})).toBe(30);
    expect(authFailuresPerMinuteFromEnv({ LOKET_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: ' 12 ' })).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'ten', '10,20']) {
      expect(() => authFailuresPerMinuteFromEnv({ LOKET_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: bad })).toThrow(/^LOKET_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE /);
    }
  });
});
