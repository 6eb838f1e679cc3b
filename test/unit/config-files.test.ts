import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config';

const base = { LOKET_DATA_KEY: randomBytes(32).toString('base64'), LOKET_DATA_DIR: '/tmp/loket-config-test' };

describe('LOKET_FILES_INLINE_MAX_BYTES', () => {
  it('defaults to 64 KiB; 0 keeps every file in LOKET_FILES_DIR', () => {
    expect(loadConfig(base).filesInlineMaxBytes).toBe(65_536);
    expect(loadConfig({ ...base, LOKET_FILES_INLINE_MAX_BYTES: '0' }).filesInlineMaxBytes).toBe(0);
    expect(loadConfig({ ...base, LOKET_FILES_INLINE_MAX_BYTES: '1048576' }).filesInlineMaxBytes).toBe(1_048_576);
  });

  it('refuses what is not a whole number from 0 to 1 MiB, naming the variable', () => {
    for (const bad of ['-1', '1.5', 'banyak', '1048577']) {
      expect(() => loadConfig({ ...base, LOKET_FILES_INLINE_MAX_BYTES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, LOKET_FILES_INLINE_MAX_BYTES: bad })).toThrow(/LOKET_FILES_INLINE_MAX_BYTES/);
    }
  });
});
