import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { PersonalDataCipherError } from './cipher-errors';
import { KEY_BYTES, keyIdOf } from './key-material';

/** The keys a cipher works with; `CipherConfig` from `loadCipherConfig` fits this shape. */
export interface PersonalDataCipherKeys {
  /** Encrypts everything new. */
  current: Buffer;
  /** Older data keys, kept only so existing envelopes still open until they are re-encrypted. */
  previous?: readonly Buffer[];
  /**
   * HMAC key for `blindIndex`. When absent it is derived from `current`, which ties the index to
   * the data key: rotating the data key then changes every index value and requires re-indexing.
   */
  indexKey?: Buffer | null;
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
// 96-bit IVs are GCM's native size; random ones are safe far beyond the number of NIKs we store.
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{8}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;
const INDEX_KEY_INFO = 'loket-blind-index';

/**
 * Encrypts short personal values (a NIK, a phone number) with AES-256-GCM into a text envelope
 * `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts) that fits a plain text column, and
 * computes blind indexes so a value can be looked up without decrypting anything.
 *
 * The key id in the envelope lets keys rotate: new data uses `current`, old envelopes still open
 * with a key from `previous`, and `needsReencryption` tells a rotation job what to rewrite.
 */
export class PersonalDataCipher {
  /** Key id of the key new envelopes are written with. */
  readonly currentKeyId: string;
  /** Whether the blind-index key was configured or derived from the current data key. */
  readonly indexKeySource: 'explicit' | 'derived';
  private readonly current: Buffer;
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly indexKey: Buffer;

  constructor(keys: PersonalDataCipherKeys) {
    const all = [keys.current, ...(keys.previous ?? [])];
    const ring = new Map<string, Buffer>();
    all.forEach((key, i) => {
      assertKeyLength(key, i === 0 ? 'current data key' : `previous data key ${i}`);
      const id = keyIdOf(key);
      const known = ring.get(id);
      // Distinct keys sharing a 32-bit id are astronomically unlikely, but if it happens decrypt
      // would pick the wrong key and report tampering, so refuse the configuration outright.
      if (known && !known.equals(key)) throw new RangeError(`Two different data keys share the key id ${id}`);
      ring.set(id, key);
    });
    this.current = keys.current;
    this.currentKeyId = keyIdOf(keys.current);
    this.keys = ring;
    if (keys.indexKey) {
      assertKeyLength(keys.indexKey, 'index key');
      this.indexKey = keys.indexKey;
      this.indexKeySource = 'explicit';
    }
    else {
      // HKDF keeps the index key independent of the encryption key even though both come from
      // the same secret; never use one key for two algorithms.
      this.indexKey = Buffer.from(hkdfSync('sha256', keys.current, Buffer.alloc(0), INDEX_KEY_INFO, KEY_BYTES));
      this.indexKeySource = 'derived';
    }
  }

  /** Encrypts `plaintext` (UTF-8) with the current key and a fresh random IV. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(headerAad(this.currentKeyId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.currentKeyId, iv, ciphertext, tag]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /**
   * Opens an envelope written by `encrypt` with the current or any previous key.
   * @throws PersonalDataCipherError ENVELOPE_INVALID (malformed), KEY_UNKNOWN (key id not in the
   *   ring) or DECRYPT_FAILED (authentication failed: tampered or corrupted).
   */
  decrypt(envelope: string): string {
    const parts = parseEnvelope(envelope);
    const key = this.keys.get(parts.keyId);
    if (!key) {
      throw new PersonalDataCipherError('KEY_UNKNOWN', `No configured data key has the id ${parts.keyId}`);
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(headerAad(parts.keyId));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    }
    catch {
      // The cause is deliberately dropped: OpenSSL's message adds nothing and we keep every
      // path out of this method free of data-bearing objects.
      throw new PersonalDataCipherError(
        'DECRYPT_FAILED',
        `Envelope with key id ${parts.keyId} failed authentication (tampered, truncated or wrong key)`,
      );
    }
  }

  /**
   * Keyed hash (HMAC-SHA256, hex) of the normalized value, for equality lookups on an encrypted
   * column. Normalization matches how requester NIKs are cleaned (NFKC, whitespace, dots and
   * dashes removed, lower case), so "6171 0123-4567 0001" and "6171012345670001" index equally.
   * Meant for identifiers, not free text.
   */
  blindIndex(value: string): string {
    return createHmac('sha256', this.indexKey).update(normalizeForIndex(value), 'utf8').digest('hex');
  }

  /**
   * True when the envelope was written with a key other than the current one, so a rotation job
   * should decrypt and encrypt it again.
   * @throws PersonalDataCipherError ENVELOPE_INVALID when it is not an envelope at all.
   */
  needsReencryption(envelope: string): boolean {
    return parseEnvelope(envelope).keyId !== this.currentKeyId;
  }
}

/** Normalizes a value the way `blindIndex` sees it; exported so lookups can share it. */
export function normalizeForIndex(value: string): string {
  return value.normalize('NFKC').replace(/[\s.-]/g, '').toLowerCase();
}

interface EnvelopeParts {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

// The key id is authenticated so an envelope cannot be relabelled to another key; the version
// rides along so a future v2 format can never accept a v1 body as its own.
function headerAad(keyId: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}`, 'utf8');
}

function parseEnvelope(envelope: string): EnvelopeParts {
  const parts = typeof envelope === 'string' ? envelope.split('.') : [];
  if (parts.length !== 5) throw invalid('it does not have 5 dot-separated parts');
  const [version, keyId, ivText, ciphertextText, tagText] = parts as [string, string, string, string, string];
  if (version !== VERSION) throw invalid('its version is not v1');
  if (!KEY_ID.test(keyId)) throw invalid('its key id is not 8 lowercase hex characters');
  const iv = decodePart(ivText, 'IV');
  const ciphertext = decodePart(ciphertextText, 'ciphertext');
  const tag = decodePart(tagText, 'tag');
  if (iv.length !== IV_BYTES) throw invalid(`its IV is not ${IV_BYTES} bytes`);
  if (tag.length !== TAG_BYTES) throw invalid(`its tag is not ${TAG_BYTES} bytes`);
  return { keyId, iv, ciphertext, tag };
}

// Node's base64url decoder silently skips bad characters; insisting on the canonical encoding
// makes any edit to the text visible as ENVELOPE_INVALID or DECRYPT_FAILED, never a silent pass.
function decodePart(text: string, what: string): Buffer {
  if (!B64URL.test(text)) throw invalid(`its ${what} is not base64url`);
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw invalid(`its ${what} is not canonical base64url`);
  return bytes;
}

function invalid(reason: string): PersonalDataCipherError {
  return new PersonalDataCipherError('ENVELOPE_INVALID', `Not a valid personal-data envelope: ${reason}`);
}

function assertKeyLength(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new RangeError(`The ${what} must be ${KEY_BYTES} bytes`);
  }
}
