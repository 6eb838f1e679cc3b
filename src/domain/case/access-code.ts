import { createHash, timingSafeEqual } from 'node:crypto';
import { RandomSource } from '../shared/random-source.port';

/**
 * Digits and capitals without the look-alikes 0/O, 1/I/L: 31 symbols, easy to read over the
 * phone and to type from a receipt. 8 of them give about 40 bits, plenty behind a rate limit.
 */
export const ACCESS_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const ACCESS_CODE_LENGTH = 8;
const CANONICAL = new RegExp(`^[${ACCESS_CODE_ALPHABET}]{${ACCESS_CODE_LENGTH}}$`);

/** A new access code in canonical form (8 symbols, no dash), e.g. `K7QM3XPA`. */
export function generateAccessCode(random: RandomSource): string {
  let code = '';
  for (let i = 0; i < ACCESS_CODE_LENGTH; i++) code += ACCESS_CODE_ALPHABET[random.int(ACCESS_CODE_ALPHABET.length)];
  return code;
}

export function isCanonicalAccessCode(code: string): boolean {
  return CANONICAL.test(code);
}

/**
 * The canonical form of a code typed by a person: case, spaces and dashes do not matter
 * (`k7qm-3xpa`, `K7QM 3XPA`). Null when it cannot be a code.
 */
export function normalizeAccessCode(typed: string): string | null {
  if (typed.length > 64) return null;
  const code = typed.replace(/[\s\u2010-\u2015-]/g, '').toUpperCase();
  return isCanonicalAccessCode(code) ? code : null;
}

/** As printed and read out: two groups of four, `K7QM-3XPA`. */
export function formatAccessCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Compares a stored code with a typed one in constant time (over digests, so lengths never leak). */
export function accessCodesMatch(stored: string, typed: string): boolean {
  return timingSafeEqual(digest(stored), digest(typed));
}
