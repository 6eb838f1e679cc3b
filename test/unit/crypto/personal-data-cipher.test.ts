import { createHash, randomBytes } from 'node:crypto';
import { PersonalDataCipherError } from '../../../src/adapters/crypto/cipher-errors';
import { keyIdOf } from '../../../src/adapters/crypto/key-material';
import { PersonalDataCipher } from '../../../src/adapters/crypto/personal-data-cipher';

const NIK = '6171015203900001';
const OTHER_NIK = '6171015203900002';
const key = (fill: number) => Buffer.alloc(32, fill);
const OLD = key(1);
const NEW = key(2);
const INDEX = key(3);

/** Runs `fn`, expecting a PersonalDataCipherError, and returns it. */
function cipherError(fn: () => unknown): PersonalDataCipherError {
  try {
    fn();
  }
  catch (err) {
    expect(err).toBeInstanceOf(PersonalDataCipherError);
    return err as PersonalDataCipherError;
  }
  throw new Error('expected a PersonalDataCipherError');
}

/** Flips one bit in the given envelope part (decoded bytes), keeping the encoding canonical. */
function flipBit(envelope: string, part: 2 | 3 | 4): string {
  const parts = envelope.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('PersonalDataCipher', () => {
  const cipher = new PersonalDataCipher({ current: NEW, indexKey: INDEX });

  it('round-trips a NIK and other UTF-8 text', () => {
    expect(cipher.decrypt(cipher.encrypt(NIK))).toBe(NIK);
    expect(cipher.decrypt(cipher.encrypt('Jl. Ahmad Yani — Pontianak ✓'))).toBe('Jl. Ahmad Yani — Pontianak ✓');
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
  });

  it('writes a v1 envelope with the key id and a 12-byte IV and 16-byte tag', () => {
    const parts = cipher.encrypt(NIK).split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v1');
    expect(parts[1]).toBe(keyIdOf(NEW));
    expect(Buffer.from(parts[2]!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[3]!, 'base64url')).toHaveLength(NIK.length);
    expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(16);
    expect(cipher.encrypt(NIK)).not.toContain(NIK);
  });

  it('key id is the first 8 hex characters of SHA-256 of the key', () => {
    expect(keyIdOf(NEW)).toBe(createHash('sha256').update(NEW).digest('hex').slice(0, 8));
    expect(cipher.currentKeyId).toBe(keyIdOf(NEW));
  });

  it('gives two different envelopes (different IVs) for the same value', () => {
    const a = cipher.encrypt(NIK);
    const b = cipher.encrypt(NIK);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  describe('tampering', () => {
    it.each([
      ['IV', 2],
      ['ciphertext', 3],
      ['tag', 4],
    ] as const)('a changed %s fails with DECRYPT_FAILED', (_name, part) => {
      expect(cipherError(() => cipher.decrypt(flipBit(cipher.encrypt(NIK), part))).code).toBe('DECRYPT_FAILED');
    });

    it('an unknown key id fails with KEY_UNKNOWN', () => {
      const parts = cipher.encrypt(NIK).split('.');
      parts[1] = parts[1] === '00000000' ? '00000001' : '00000000';
      const err = cipherError(() => cipher.decrypt(parts.join('.')));
      expect(err.code).toBe('KEY_UNKNOWN');
    });

    it('relabelling an envelope to another configured key fails with DECRYPT_FAILED', () => {
      const both = new PersonalDataCipher({ current: NEW, previous: [OLD] });
      const parts = both.encrypt(NIK).split('.');
      parts[1] = keyIdOf(OLD);
      expect(cipherError(() => both.decrypt(parts.join('.'))).code).toBe('DECRYPT_FAILED');
    });

    it.each([
      ['empty string', ''],
      ['plain text', NIK],
      ['too few parts', 'v1.abcdef12.AAAA.AAAA'],
      ['too many parts', 'v1.abcdef12.AAAA.AAAA.AAAA.AAAA'],
      ['wrong version', (e: string) => e.replace(/^v1\./, 'v2.')],
      ['upper-case key id', (e: string) => e.replace(/^v1\.([0-9a-f]{8})\./, (_m, id: string) => `v1.${id.toUpperCase()}.`)],
      ['short key id', (e: string) => e.replace(/^v1\.[0-9a-f]{8}\./, 'v1.abc.')],
      ['truncated IV', (e: string) => { const p = e.split('.'); p[2] = p[2]!.slice(0, 8); return p.join('.'); }],
      ['truncated tag', (e: string) => { const p = e.split('.'); p[4] = p[4]!.slice(0, 16); return p.join('.'); }],
      ['standard base64 characters', (e: string) => { const p = e.split('.'); p[3] = `${p[3]}+/`; return p.join('.'); }],
      ['padding', (e: string) => `${e}==`],
    ])('a malformed envelope (%s) fails with ENVELOPE_INVALID', (_name, make) => {
      const envelope = typeof make === 'string' ? make : make(cipher.encrypt(NIK));
      expect(cipherError(() => cipher.decrypt(envelope)).code).toBe('ENVELOPE_INVALID');
    });

    it('non-canonical base64url (changed padding bits) fails with ENVELOPE_INVALID', () => {
      // 16 tag bytes take 22 characters; the last one carries 4 unused bits.
      const parts = cipher.encrypt(NIK).split('.');
      const last = parts[4]!.slice(-1);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      parts[4] = parts[4]!.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 0x01];
      expect(cipherError(() => cipher.decrypt(parts.join('.'))).code).toBe('ENVELOPE_INVALID');
    });
  });

  describe('rotation', () => {
    const before = new PersonalDataCipher({ current: OLD, indexKey: INDEX });
    const after = new PersonalDataCipher({ current: NEW, previous: [OLD], indexKey: INDEX });

    it('opens data written with a previous key', () => {
      expect(after.decrypt(before.encrypt(NIK))).toBe(NIK);
    });

    it('says old envelopes need re-encryption and new ones do not', () => {
      const old = before.encrypt(NIK);
      expect(after.needsReencryption(old)).toBe(true);
      const rewritten = after.encrypt(after.decrypt(old));
      expect(after.needsReencryption(rewritten)).toBe(false);
      expect(rewritten.split('.')[1]).toBe(keyIdOf(NEW));
    });

    it('refuses old data once the old key is dropped', () => {
      const dropped = new PersonalDataCipher({ current: NEW, indexKey: INDEX });
      expect(cipherError(() => dropped.decrypt(before.encrypt(NIK))).code).toBe('KEY_UNKNOWN');
    });

    it('needsReencryption rejects something that is not an envelope', () => {
      expect(cipherError(() => after.needsReencryption('not-an-envelope')).code).toBe('ENVELOPE_INVALID');
    });

    it('tolerates the current key also listed among previous keys', () => {
      const dup = new PersonalDataCipher({ current: NEW, previous: [NEW, OLD] });
      expect(dup.decrypt(before.encrypt(NIK))).toBe(NIK);
    });
  });

  describe('blindIndex', () => {
    it('is stable across data-key rotation when an index key is given', () => {
      const before = new PersonalDataCipher({ current: OLD, indexKey: INDEX });
      const after = new PersonalDataCipher({ current: NEW, previous: [OLD], indexKey: INDEX });
      expect(after.blindIndex(NIK)).toBe(before.blindIndex(NIK));
      expect(after.indexKeySource).toBe('explicit');
    });

    it('is equal for equal values and differs for different values', () => {
      expect(cipher.blindIndex(NIK)).toBe(cipher.blindIndex(NIK));
      expect(cipher.blindIndex(NIK)).not.toBe(cipher.blindIndex(OTHER_NIK));
      expect(cipher.blindIndex(NIK)).toMatch(/^[0-9a-f]{64}$/);
    });

    it('normalizes separators, spaces and full-width digits', () => {
      expect(cipher.blindIndex(' 6171 0152-0390.0001 ')).toBe(cipher.blindIndex(NIK));
      expect(cipher.blindIndex('６１７１０１５２０３９００００１')).toBe(cipher.blindIndex(NIK));
    });

    it('is not a plain (unkeyed) SHA-256 of the value', () => {
      expect(cipher.blindIndex(NIK)).not.toBe(createHash('sha256').update(NIK).digest('hex'));
    });

    it('depends on the index key', () => {
      const other = new PersonalDataCipher({ current: NEW, indexKey: key(4) });
      expect(other.blindIndex(NIK)).not.toBe(cipher.blindIndex(NIK));
    });

    it('without an index key is derived from the current key, so it changes when that key rotates', () => {
      const before = new PersonalDataCipher({ current: OLD });
      const after = new PersonalDataCipher({ current: NEW, previous: [OLD] });
      expect(before.indexKeySource).toBe('derived');
      expect(after.blindIndex(NIK)).not.toBe(before.blindIndex(NIK));
      // ...and the derived key is not the data key itself used as an HMAC key.
      const naive = new PersonalDataCipher({ current: NEW, indexKey: NEW });
      expect(after.blindIndex(NIK)).not.toBe(naive.blindIndex(NIK));
    });
  });

  describe('error messages', () => {
    it('never contain the plaintext, the envelope body or key material', () => {
      const envelope = cipher.encrypt(NIK);
      const errors = [
        cipherError(() => cipher.decrypt(flipBit(envelope, 3))),
        cipherError(() => cipher.decrypt(flipBit(envelope, 4))),
        cipherError(() => new PersonalDataCipher({ current: OLD }).decrypt(envelope)),
        cipherError(() => cipher.decrypt(NIK)),
        cipherError(() => cipher.decrypt(`${envelope}.${NIK}`)),
      ];
      const secrets = [NIK, ...[NEW, INDEX].flatMap((k) => [k.toString('hex'), k.toString('base64'), k.toString('base64url')])];
      for (const err of errors) {
        const text = `${err.message} ${err.stack ?? ''} ${String(err.cause ?? '')}`;
        for (const secret of secrets) expect(text).not.toContain(secret);
        expect(text).not.toContain(envelope.split('.')[3]);
      }
    });
  });

  describe('construction', () => {
    it('refuses keys that are not 32 bytes without echoing them', () => {
      const short = randomBytes(16);
      expect(() => new PersonalDataCipher({ current: short })).toThrow(RangeError);
      expect(() => new PersonalDataCipher({ current: NEW, previous: [short] })).toThrow(/previous data key 1/);
      expect(() => new PersonalDataCipher({ current: NEW, indexKey: short })).toThrow(/index key/);
      try {
        new PersonalDataCipher({ current: short });
      }
      catch (err) {
        expect((err as Error).message).not.toContain(short.toString('hex'));
      }
    });
  });
});
