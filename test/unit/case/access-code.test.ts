import {
  ACCESS_CODE_ALPHABET, accessCodesMatch, formatAccessCode, generateAccessCode, isCanonicalAccessCode, normalizeAccessCode,
} from '../../../src/domain/case/access-code';
import { cryptoRandom, RandomSource } from '../../../src/domain/shared/random-source.port';
import { openComplaint, thrown } from './builders';

/** Returns the given numbers in turn (each taken modulo the range asked for). */
const sequence = (...values: number[]): RandomSource => {
  let i = 0;
  return { int: (max) => values[i++ % values.length] % max };
};

describe('access codes', () => {
  it('use an alphabet without the look-alikes 0/O, 1/I/L and without duplicates', () => {
    for (const ch of '0O1IL') expect(ACCESS_CODE_ALPHABET).not.toContain(ch);
    expect(new Set(ACCESS_CODE_ALPHABET).size).toBe(ACCESS_CODE_ALPHABET.length);
    expect(ACCESS_CODE_ALPHABET).toMatch(/^[2-9A-Z]+$/);
  });

  it('are 8 symbols drawn from the injected randomness', () => {
    expect(generateAccessCode(sequence(0, 1, 2, 3, 4, 5, 6, 7))).toBe('23456789');
    expect(generateAccessCode(sequence(30))).toBe('ZZZZZZZZ');
    expect(generateAccessCode(sequence(8, 9))).toBe('ABABABAB');
  });

  it('asks the random source for the full alphabet range each time', () => {
    const asked: number[] = [];
    generateAccessCode({ int: (max) => (asked.push(max), 0) });
    expect(asked).toEqual(Array(8).fill(ACCESS_CODE_ALPHABET.length));
  });

  it('from crypto randomness are canonical and differ', () => {
    const codes = Array.from({ length: 200 }, () => generateAccessCode(cryptoRandom));
    for (const c of codes) expect(isCanonicalAccessCode(c)).toBe(true);
    expect(new Set(codes).size).toBe(200);
  });

  it('are shown in two groups of four', () => {
    expect(formatAccessCode('K7QM3XPA')).toBe('K7QM-3XPA');
  });

  it.each([
    ['K7QM-3XPA', 'K7QM3XPA'],
    ['k7qm-3xpa', 'K7QM3XPA'],
    [' K7QM 3XPA ', 'K7QM3XPA'],
    ['k7qm3xpa', 'K7QM3XPA'],
    ['K7QM\u20133XPA', 'K7QM3XPA'],
    ['K7-QM-3X-PA', 'K7QM3XPA'],
  ])('typed as %j normalize to %s', (typed, canonical) => {
    expect(normalizeAccessCode(typed)).toBe(canonical);
  });

  it.each(['', 'K7QM-3XP', 'K7QM-3XPAA', 'K7QM-3XP0', 'K7QM-3XPO', 'K7QM-3XPI', 'K7QM-3XPL', 'K7QM-3XP1', 'K7QM_3XPA', 'K'.repeat(100)])(
    '%j is not a code',
    (typed) => {
      expect(normalizeAccessCode(typed)).toBeNull();
    },
  );

  it('match only when equal', () => {
    expect(accessCodesMatch('K7QM3XPA', 'K7QM3XPA')).toBe(true);
    expect(accessCodesMatch('K7QM3XPA', 'K7QM3XPB')).toBe(false);
    expect(accessCodesMatch('K7QM3XPA', '')).toBe(false);
    expect(accessCodesMatch('K7QM3XPA', 'K7QM3XPAK7QM3XPA')).toBe(false);
  });

  it('a case cannot be opened without a canonical code', () => {
    expect(openComplaint().accessCode).toBe('K7QM3XPA');
    expect(thrown(() => openComplaint({ accessCode: 'K7QM-3XPA' }))).toBeInstanceOf(RangeError);
    expect(thrown(() => openComplaint({ accessCode: '' }))).toBeInstanceOf(RangeError);
  });
});
