import { laporSettingsFromEnv } from '../../../src/adapters/lapor/lapor-settings';
import { followUpClock, autoCloseAt, normalizeTrackingId } from '../../../src/domain/lapor/lapor-clock';
import { retryDelayMs } from '../../../src/domain/lapor/lapor.service';
import { DeadlineService } from '../../../src/domain/sla/deadline.service';
import { defaultCalendar } from '../../../src/domain/sla/default-calendar';

const wibDate = (d: Date): string => d.toLocaleString('sv-SE', { timeZone: 'Asia/Pontianak' }).slice(0, 10);

describe('LAPOR! follow-up clock', () => {
  const time = new DeadlineService({ version: async () => 1, load: async () => defaultCalendar() } as never).forCalendar(defaultCalendar());

  it('is due at the close of the 5th working day after disposition, warning at 75 % before it', () => {
    // Tue 1 Dec 2026 -> Wed 2, Thu 3, Fri 4, Mon 7, Tue 8.
    const c = followUpClock(new Date('2026-12-01T03:00:00Z'), time);
    expect(wibDate(c.dueAt)).toBe('2026-12-08');
    expect(c.warnAt.getTime()).toBeLessThan(c.dueAt.getTime());
    expect(c.warnAt.getTime()).toBeGreaterThan(new Date('2026-12-01T03:00:00Z').getTime());
  });

  it('auto-closes 10 working days after the follow-up', () => {
    expect(wibDate(autoCloseAt(new Date('2026-12-01T03:00:00Z'), time))).toBe('2026-12-15');
  });

  it('normalizes tracking IDs and refuses what cannot be one', () => {
    expect(normalizeTrackingId(' lap-2026-0001 ')).toBe('LAP-2026-0001');
    expect(normalizeTrackingId('a b')).toBeNull();
    expect(normalizeTrackingId('')).toBeNull();
  });
});

describe('LAPOR! outbox backoff', () => {
  it('waits 30 s after the first failed attempt, doubling, at most an hour', () => {
    expect([1, 2, 3, 7, 8, 20].map((n) => retryDelayMs(n) / 1000)).toEqual([30, 60, 120, 1920, 3600, 3600]);
  });
});

describe('LOKET_LAPOR_* settings', () => {
  it('are off without URL and token (manual path only)', () => {
    expect(laporSettingsFromEnv({}).api).toBeNull();
  });
  it('name the missing variable and never repeat the token', () => {
    expect(() => laporSettingsFromEnv({ LOKET_LAPOR_TOKEN: 'secret-token-xyz' })).toThrow(/LOKET_LAPOR_URL/);
    expect(() => laporSettingsFromEnv({ LOKET_LAPOR_URL: 'https://lapor.example' })).toThrow(/LOKET_LAPOR_TOKEN/);
    let message = '';
    try {
      laporSettingsFromEnv({ LOKET_LAPOR_URL: 'https://lapor.example', LOKET_LAPOR_TOKEN: 'bad token' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/LOKET_LAPOR_TOKEN/);
    expect(message).not.toContain('bad token');
    expect(() => laporSettingsFromEnv({ LOKET_LAPOR_POLL_SECONDS: 'often' })).toThrow(/LOKET_LAPOR_POLL_SECONDS/);
    expect(() => laporSettingsFromEnv({ LOKET_LAPOR_TIMEOUT_SECONDS: '0' })).toThrow(/LOKET_LAPOR_TIMEOUT_SECONDS/);
    expect(() => laporSettingsFromEnv({ LOKET_LAPOR_TIMEOUT_SECONDS: 'soon' })).toThrow(/LOKET_LAPOR_TIMEOUT_SECONDS/);
  });
  it('read URL, token and poll period', () => {
    expect(laporSettingsFromEnv({ LOKET_LAPOR_URL: 'https://lapor.example/', LOKET_LAPOR_TOKEN: 'secret-token-xyz', LOKET_LAPOR_POLL_SECONDS: '600' })).toMatchObject({
      api: { url: 'https://lapor.example', token: 'secret-token-xyz', timeoutMs: 15_000 }, pollSeconds: 600,
    });
    expect(laporSettingsFromEnv({ LOKET_LAPOR_URL: 'https://lapor.example', LOKET_LAPOR_TOKEN: 'secret-token-xyz', LOKET_LAPOR_TIMEOUT_SECONDS: '5' }).api?.timeoutMs).toBe(5000);
  });
});
