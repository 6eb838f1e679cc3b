import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATA_KEY_FILE, loadCipherConfig } from '../../../src/adapters/crypto/cipher-config';
import { CipherConfigError } from '../../../src/adapters/crypto/cipher-errors';
import { PersonalDataCipher } from '../../../src/adapters/crypto/personal-data-cipher';

const DEV = { production: false, dataDir: null };
const PROD = { production: true, dataDir: null };
const KEY = randomBytes(32);
const OLD1 = randomBytes(32);
const OLD2 = randomBytes(32);
const INDEX = randomBytes(32);

/** Runs `fn`, expecting a CipherConfigError, and returns it. */
function configError(fn: () => unknown): CipherConfigError {
  try {
    fn();
  }
  catch (err) {
    expect(err).toBeInstanceOf(CipherConfigError);
    return err as CipherConfigError;
  }
  throw new Error('expected a CipherConfigError');
}

describe('loadCipherConfig', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'loket-cipher-'));
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  describe('keys from the environment', () => {
    it.each([
      ['base64', KEY.toString('base64')],
      ['base64 without padding', KEY.toString('base64').replace(/=+$/, '')],
      ['base64url', KEY.toString('base64url')],
      ['hex', KEY.toString('hex')],
      ['upper-case hex', KEY.toString('hex').toUpperCase()],
      ['hex with surrounding whitespace', `  ${KEY.toString('hex')}\n`],
    ])('reads LOKET_DATA_KEY as %s', (_name, text) => {
      const config = loadCipherConfig({ LOKET_DATA_KEY: text }, PROD);
      expect(config.current.equals(KEY)).toBe(true);
      expect(config).toMatchObject({ source: 'env', generated: false, ephemeral: false, previous: [], indexKey: null, keyFile: null });
    });

    it('reads previous keys (mixed formats, blank entries ignored) and the index key', () => {
      const config = loadCipherConfig(
        {
          LOKET_DATA_KEY: KEY.toString('base64'),
          LOKET_DATA_KEYS_PREVIOUS: ` ${OLD1.toString('hex')} ,, ${OLD2.toString('base64')},`,
          LOKET_INDEX_KEY: INDEX.toString('hex'),
        },
        PROD,
      );
      expect(config.previous.map((k) => k.toString('hex'))).toEqual([OLD1.toString('hex'), OLD2.toString('hex')]);
      expect(config.indexKey?.equals(INDEX)).toBe(true);
    });

    it('yields a config a PersonalDataCipher accepts as is', () => {
      const config = loadCipherConfig({ LOKET_DATA_KEY: KEY.toString('hex'), LOKET_INDEX_KEY: INDEX.toString('hex') }, PROD);
      const cipher = new PersonalDataCipher(config);
      expect(cipher.decrypt(cipher.encrypt('6171015203900001'))).toBe('6171015203900001');
      expect(cipher.indexKeySource).toBe('explicit');
    });

    it.each([
      ['16 bytes of base64', randomBytes(16).toString('base64'), /decodes to 16 bytes/],
      ['33 bytes of base64', randomBytes(33).toString('base64'), /decodes to 33 bytes/],
      ['62 hex characters', randomBytes(31).toString('hex'), /decodes to/],
      ['not base64 at all', 'this is not a key!', /neither 64 hex characters nor base64/],
    ])('rejects LOKET_DATA_KEY given as %s', (_name, text, message) => {
      const err = configError(() => loadCipherConfig({ LOKET_DATA_KEY: text }, DEV));
      expect(err.code).toBe('KEY_INVALID');
      expect(err.message).toMatch(/^LOKET_DATA_KEY /);
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain(text.trim());
    });

    it('names the bad previous entry and the bad index key without echoing them', () => {
      const bad = randomBytes(20).toString('base64');
      const prev = configError(() =>
        loadCipherConfig({ LOKET_DATA_KEY: KEY.toString('hex'), LOKET_DATA_KEYS_PREVIOUS: `${OLD1.toString('hex')},${bad}` }, DEV),
      );
      expect(prev.message).toMatch(/LOKET_DATA_KEYS_PREVIOUS entry 2/);
      expect(prev.message).not.toContain(bad);
      expect(prev.message).not.toContain(OLD1.toString('hex'));
      const index = configError(() => loadCipherConfig({ LOKET_DATA_KEY: KEY.toString('hex'), LOKET_INDEX_KEY: bad }, DEV));
      expect(index.message).toMatch(/^LOKET_INDEX_KEY /);
      expect(index.message).not.toContain(bad);
    });

    it('refuses an index key equal to a data key', () => {
      const err = configError(() =>
        loadCipherConfig({ LOKET_DATA_KEY: KEY.toString('hex'), LOKET_INDEX_KEY: KEY.toString('base64') }, PROD),
      );
      expect(err.code).toBe('KEY_INVALID');
      expect(err.message).not.toContain(KEY.toString('hex'));
      expect(err.message).not.toContain(KEY.toString('base64'));
    });
  });

  describe('without LOKET_DATA_KEY', () => {
    it('throws in production, even with a data directory, and writes no file', () => {
      for (const env of [{}, { LOKET_DATA_KEY: '   ' }]) {
        const err = configError(() => loadCipherConfig(env, { production: true, dataDir: tmp }));
        expect(err.code).toBe('KEY_MISSING');
        expect(err.message).toMatch(/LOKET_DATA_KEY is required in production/);
      }
      expect(() => statSync(path.join(tmp, DATA_KEY_FILE))).toThrow();
    });

    it('creates the key file once (mode 0600, directory created) and reuses it', () => {
      const dataDir = path.join(tmp, 'nested', 'data');
      const first = loadCipherConfig({}, { production: false, dataDir });
      const file = path.join(dataDir, DATA_KEY_FILE);
      expect(first).toMatchObject({ source: 'file', generated: true, ephemeral: false, keyFile: file });
      expect(first.current).toHaveLength(32);
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first.current)).toBe(true);

      const second = loadCipherConfig({}, { production: false, dataDir });
      expect(second).toMatchObject({ source: 'file', generated: false, keyFile: file });
      expect(second.current.equals(first.current)).toBe(true);
      // Only the key file remains: no temp files left behind.
      expect(readdirSync(dataDir)).toEqual([DATA_KEY_FILE]);
    });

    it('still reads previous and index keys from the environment with a key file', () => {
      const config = loadCipherConfig({ LOKET_INDEX_KEY: INDEX.toString('hex') }, { production: false, dataDir: tmp });
      expect(config.indexKey?.equals(INDEX)).toBe(true);
    });

    it('rejects a corrupt key file without echoing its content', () => {
      const file = path.join(tmp, DATA_KEY_FILE);
      const junk = randomBytes(12).toString('base64');
      writeFileSync(file, junk, { mode: 0o600 });
      const err = configError(() => loadCipherConfig({}, { production: false, dataDir: tmp }));
      expect(err.code).toBe('KEY_INVALID');
      expect(err.message).toContain(file);
      expect(err.message).not.toContain(junk);
    });

    it('reports an unwritable data directory as KEY_FILE_FAILED', () => {
      if (process.platform === 'win32' || process.getuid?.() === 0) return; // root ignores permissions
      chmodSync(tmp, 0o500);
      try {
        const err = configError(() => loadCipherConfig({}, { production: false, dataDir: tmp }));
        expect(err.code).toBe('KEY_FILE_FAILED');
      }
      finally {
        chmodSync(tmp, 0o700);
      }
    });

    it('uses an ephemeral key when there is no data directory', () => {
      const a = loadCipherConfig({}, DEV);
      const b = loadCipherConfig({ LOKET_DATA_KEY: '' }, DEV);
      expect(a).toMatchObject({ source: 'ephemeral', generated: true, ephemeral: true, keyFile: null });
      expect(a.current).toHaveLength(32);
      expect(a.current.equals(b.current)).toBe(false);
    });
  });
});
