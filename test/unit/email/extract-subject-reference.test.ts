import { extractSubjectReference } from '../../../src/adapters/email/parsing/extract-subject-reference';

describe('extractSubjectReference', () => {
  it.each([
    ['[ADU-2026-000123] Keluhan', 'ADU-2026-000123'],
    ['Re: [ADU-2026-000123] Keluhan bantuan', 'ADU-2026-000123'],
    ['RE: Fw: Balas: Tr: [PDI-2026-000045] Data', 'PDI-2026-000045'],
    ['AW: Fwd: pdi-2026-000045', 'PDI-2026-000045'],
    ['Tindak lanjut ADU-2026-000123 mohon dibalas', 'ADU-2026-000123'],
    ['Re:ADU-2026-000123', 'ADU-2026-000123'],
    ['(ADU-2026-000123)', 'ADU-2026-000123'],
    ['[ ADU-2026-000123 ]', 'ADU-2026-000123'],
    ['ADU\u20132026\u2013000123 typed with en dashes', 'ADU-2026-000123'],
    ['ADU-2026-0000123 with an extra leading zero', 'ADU-2026-000123'],
  ])('finds the reference in %j', (subject, expected) => {
    expect(extractSubjectReference(subject)).toBe(expected);
  });

  it('prefers a bracketed reference over an earlier bare one', () => {
    expect(extractSubjectReference('Re: soal PDI-2026-000045 [ADU-2026-000123]')).toBe('ADU-2026-000123');
  });

  it.each([
    'ADU-2026-12',
    'XADU-2026-000123X',
    'XADU-2026-000123',
    'ADU-2026-000123X',
    'ADU-2026-000123-7',
    'ADU-26-000123',
    'ABC-2026-000123',
    'ADU-2026-000000',
    '',
    'Keluhan tanpa nomor',
  ])('finds nothing in %j', (subject) => {
    expect(extractSubjectReference(subject)).toBeNull();
  });

  it('accepts null and undefined', () => {
    expect(extractSubjectReference(null)).toBeNull();
    expect(extractSubjectReference(undefined)).toBeNull();
  });
});
