import { formatReference, parseReference, referenceScope } from '../../../src/domain/case/reference-number';

describe('formatReference', () => {
  it('formats complaints with the ADU prefix and a six-digit zero-padded sequence', () => {
    expect(formatReference(referenceScope('COMPLAINT', 2026), 123)).toBe('ADU-2026-000123');
    expect(formatReference(referenceScope('COMPLAINT', 2026), 1)).toBe('ADU-2026-000001');
  });

  it('formats information requests with the PDI prefix', () => {
    expect(referenceScope('INFORMATION_REQUEST', 2027)).toEqual({ prefix: 'PDI', year: 2027 });
    expect(formatReference(referenceScope('INFORMATION_REQUEST', 2026), 45)).toBe('PDI-2026-000045');
  });

  it('keeps formatting past 999999 without truncating', () => {
    expect(formatReference(referenceScope('COMPLAINT', 2026), 999_999)).toBe('ADU-2026-999999');
    expect(formatReference(referenceScope('COMPLAINT', 2026), 1_000_000)).toBe('ADU-2026-1000000');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws RangeError for sequence %p', (seq) => {
    expect(() => formatReference(referenceScope('COMPLAINT', 2026), seq)).toThrow(RangeError);
  });
});

describe('parseReference', () => {
  it('parses a canonical complaint reference', () => {
    expect(parseReference('ADU-2026-000123')).toEqual({ kind: 'COMPLAINT', year: 2026, sequence: 123, reference: 'ADU-2026-000123' });
  });

  it('is case-insensitive and ignores surrounding space', () => {
    expect(parseReference('  pdi-2026-000045 \n')).toEqual({
      kind: 'INFORMATION_REQUEST',
      year: 2026,
      sequence: 45,
      reference: 'PDI-2026-000045',
    });
    expect(parseReference('Adu-2026-000123')?.reference).toBe('ADU-2026-000123');
  });

  it('parses sequences beyond 999999 and round-trips with formatReference', () => {
    expect(parseReference('ADU-2026-1000000')).toEqual({ kind: 'COMPLAINT', year: 2026, sequence: 1_000_000, reference: 'ADU-2026-1000000' });
    const ref = formatReference(referenceScope('INFORMATION_REQUEST', 2030), 77);
    expect(parseReference(ref)?.reference).toBe(ref);
  });

  it.each([
    '',
    'ADU',
    'XYZ-2026-000123',
    'ADU-26-000123',
    'ADU-2026-123',
    'ADU-2026-00012a',
    'ADU 2026 000123',
    'ADU-2026-000123-1',
    'ref ADU-2026-000123',
    'ADU_2026_000123',
  ])('rejects %p', (text) => {
    expect(parseReference(text)).toBeNull();
  });

  // A typed extra leading zero must still find the case: the reference comes back canonical.
  it('returns the canonical reference when the sequence has extra leading zeros', () => {
    expect(parseReference('ADU-2026-0000123')?.reference).toBe('ADU-2026-000123');
  });
});

describe('parseReference edge cases', () => {
  it('refuses sequence zero, which formatReference never produces', () => {
    expect(parseReference('ADU-2026-000000')).toBeNull();
  });
});
