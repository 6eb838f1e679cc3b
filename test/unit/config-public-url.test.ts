import { ConfigError, loadConfig } from '../../src/config';

const BASE = { LOKET_DATA_KEY: Buffer.alloc(32, 1).toString('base64'), LOKET_DATA_DIR: '/tmp/loket-config-test' };

describe('LOKET_PUBLIC_URL and the status lookup limit', () => {
  it('default to http://localhost:4000 and 10 lookups a minute', () => {
    const c = loadConfig(BASE);
    expect(c.publicUrl).toBe('http://localhost:4000');
    expect(c.statusLookupsPerMinute).toBe(10);
  });

  it('take an http(s) address, without a trailing slash', () => {
    expect(loadConfig({ ...BASE, LOKET_PUBLIC_URL: 'https://loket.kesra.kalbarprov.go.id/' }).publicUrl).toBe('https://loket.kesra.kalbarprov.go.id');
    expect(loadConfig({ ...BASE, LOKET_PUBLIC_URL: 'https://kalbarprov.go.id/loket/' }).publicUrl).toBe('https://kalbarprov.go.id/loket');
    expect(loadConfig({ ...BASE, LOKET_RATE_LIMIT_STATUS_LOOKUPS_PER_MINUTE: '30' }).statusLookupsPerMinute).toBe(30);
  });

  it.each(['loket.kesra.go.id', 'ftp://x', 'https://x/?a=1', 'https://user:pw@x'])('refuse %j by name', (value) => {
    expect(() => loadConfig({ ...BASE, LOKET_PUBLIC_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, LOKET_PUBLIC_URL: value })).toThrow(/LOKET_PUBLIC_URL/);
  });

  it('refuse a lookup limit that is not a positive number', () => {
    expect(() => loadConfig({ ...BASE, LOKET_RATE_LIMIT_STATUS_LOOKUPS_PER_MINUTE: '0' })).toThrow(/LOKET_RATE_LIMIT_STATUS_LOOKUPS_PER_MINUTE/);
  });
});
