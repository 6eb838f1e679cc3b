import { createHash } from 'node:crypto';
import { CipherConfigError } from './cipher-errors';

/** AES-256 and the HMAC index key both use 32-byte keys. */
export const KEY_BYTES = 32;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// Standard and URL-safe alphabets are both accepted: keys get pasted from `openssl rand -base64`
// as often as from Node's base64url output.
const BASE64_KEY = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Identifies a key without revealing it: the first 8 hex characters of its SHA-256. Only 32
 * bits, which is plenty to tell a handful of configured keys apart and useless for guessing one.
 */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Parses a 32-byte key written as 64 hex characters or as base64 (standard or URL-safe, padding
 * optional). `label` names the source in error messages (e.g. `LOKET_DATA_KEY`); the text itself
 * is never echoed.
 */
export function parseKeyText(text: string, label: string): Buffer {
  const trimmed = text.trim();
  // Hex first: 64 hex characters are also valid base64 and would decode to 48 bytes.
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!BASE64_KEY.test(trimmed)) {
    throw new CipherConfigError('KEY_INVALID', `${label} is neither 64 hex characters nor base64`);
  }
  const key = Buffer.from(trimmed.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), 'base64url');
  if (key.length !== KEY_BYTES) {
    throw new CipherConfigError(
      'KEY_INVALID',
      `${label} must decode to ${KEY_BYTES} bytes (base64 or 64 hex characters); it decodes to ${key.length} bytes`,
    );
  }
  return key;
}
