import { maskNik, nikProblem, normalizePhone, parseRequester } from '../../../src/domain/case/requester';

const VALID_NIK = '6171010101900001';

describe('nikProblem', () => {
  it('accepts a valid NIK', () => {
    expect(nikProblem(VALID_NIK)).toBeNull();
  });

  it('accepts a woman\'s NIK (birth day + 40), including day 71', () => {
    expect(nikProblem('6171014101900001')).toBeNull();
    expect(nikProblem('6171017112900001')).toBeNull();
    expect(nikProblem('6171013112900001')).toBeNull(); // day 31, month 12
  });

  it.each(['617101010190000', '61710101019000011', '', '6171 01010190000'])('requires exactly 16 digits: %p', (nik) => {
    expect(nikProblem(nik)).toBe('must be exactly 16 digits');
  });

  it('rejects letters', () => {
    expect(nikProblem('61710101019000A1')).toBe('must be exactly 16 digits');
  });

  it.each([
    ['day 00', '6171010001900001'],
    ['day 32', '6171013201900001'],
    ['day 40', '6171014001900001'],
    ['day 72', '6171017201900001'],
    ['month 00', '6171010100900001'],
    ['month 13', '6171010113900001'],
  ])('rejects a bad birth date (%s)', (_label, nik) => {
    expect(nikProblem(nik)).toBe('does not contain a valid birth date');
  });

  it('rejects province code 00 and serial 0000', () => {
    expect(nikProblem('0071010101900001')).toBe('is not a valid NIK');
    expect(nikProblem('6171010101900000')).toBe('is not a valid NIK');
  });

  it('never echoes the number in its message', () => {
    for (const nik of ['6171013201900001', '6171010101900000', '61710101019']) {
      const p = nikProblem(nik);
      expect(p).not.toBeNull();
      expect(p).not.toContain(nik);
      expect(p).not.toMatch(/\d{4,}/);
    }
  });
});

describe('normalizePhone', () => {
  it.each([
    ['0812-3456-7890', '+6281234567890'],
    ['081234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
    ['  0812 3456 7890  ', '+6281234567890'],
    ['(0561) 736541', '+62561736541'],
    ['0561.736541', '+62561736541'],
    ['085828735503', '+6285828735503'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('normalizes %p to %p', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each(['garbage', 'call me', '0812-3456-789O', '0812/3456/7890', '', '   ', '+', '812345678901'])(
    'returns null for %p',
    (raw) => {
      expect(normalizePhone(raw)).toBeNull();
    },
  );

  it('returns null for numbers that are too short or too long', () => {
    expect(normalizePhone('0812345')).toBeNull(); // +62812345: 8 digits
    expect(normalizePhone('08123456')).toBe('+628123456'); // 9 digits: the minimum
    expect(normalizePhone('+1234567890123456')).toBeNull(); // 16 digits
  });
});

describe('parseRequester', () => {
  it('returns null and no problems for missing input', () => {
    expect(parseRequester(null)).toEqual({ requester: null, problems: [] });
    expect(parseRequester(undefined)).toEqual({ requester: null, problems: [] });
  });

  it('returns null for a requester whose fields are all empty or blank', () => {
    expect(parseRequester({})).toEqual({ requester: null, problems: [] });
    expect(parseRequester({ name: '   ', nik: '', phone: ' ', email: null, address: undefined, organization: '\t' })).toEqual({
      requester: null,
      problems: [],
    });
  });

  it('trims and collapses whitespace, lowercases email, strips NIK separators, normalizes phone', () => {
    const { requester, problems } = parseRequester({
      name: '  Siti   Aminah ',
      nik: ' 6171.0101-0190 0001 ',
      organization: ' Dinas  Sosial ',
      phone: '0812-3456-7890',
      email: '  Siti.Aminah@KalbarProv.GO.ID ',
      address: ' Jl. Ahmad Yani  No. 1\nPontianak ',
    });
    expect(problems).toEqual([]);
    expect(requester).toEqual({
      name: 'Siti Aminah',
      nik: VALID_NIK,
      organization: 'Dinas Sosial',
      phone: '+6281234567890',
      email: 'siti.aminah@kalbarprov.go.id',
      address: 'Jl. Ahmad Yani No. 1 Pontianak',
    });
  });

  it('keeps an anonymous-but-contactable requester (only an email)', () => {
    expect(parseRequester({ email: 'a@b.co' })).toEqual({
      requester: { name: null, nik: null, organization: null, phone: null, email: 'a@b.co', address: null },
      problems: [],
    });
  });

  it('reports each bad field under its path and never repeats the personal data', () => {
    const input = { nik: '6171013201900001', phone: 'not-a-phone 0812', email: 'budi.at.example.com' };
    const { problems } = parseRequester(input);
    expect(problems).toEqual([
      { field: 'requester.nik', message: 'does not contain a valid birth date' },
      { field: 'requester.phone', message: 'is not a valid phone number' },
      { field: 'requester.email', message: 'is not a valid email address' },
    ]);
    const text = JSON.stringify(problems);
    expect(text).not.toContain('6171013201900001');
    expect(text).not.toContain('0812');
    expect(text).not.toContain('budi');
  });

  it('uses the given path prefix', () => {
    const { problems } = parseRequester({ nik: '123' }, 'input.requester');
    expect(problems).toEqual([{ field: 'input.requester.nik', message: 'must be exactly 16 digits' }]);
  });

  it('leaves an invalid phone as null in the requester', () => {
    const { requester, problems } = parseRequester({ name: 'Budi', phone: '12345' });
    expect(requester?.phone).toBeNull();
    expect(problems).toEqual([{ field: 'requester.phone', message: 'is not a valid phone number' }]);
  });

  it('limits free-text fields to 500 characters', () => {
    const { problems } = parseRequester({ name: 'a'.repeat(501), organization: 'b'.repeat(500), address: 'c'.repeat(600) });
    expect(problems).toEqual([
      { field: 'requester.name', message: 'must be at most 500 characters' },
      { field: 'requester.address', message: 'must be at most 500 characters' },
    ]);
  });

  it('rejects an email longer than 254 characters', () => {
    const { problems } = parseRequester({ email: `${'x'.repeat(250)}@a.id` });
    expect(problems).toEqual([{ field: 'requester.email', message: 'is not a valid email address' }]);
  });

  // Clerks type "-" for "none".
  it('treats a NIK made only of separators as absent', () => {
    expect(parseRequester({ nik: '-' })).toEqual({ requester: null, problems: [] });
  });
});

describe('maskNik', () => {
  it('keeps the first four and last two digits', () => {
    expect(maskNik(VALID_NIK)).toBe('6171**********01');
    expect(maskNik('6171014101901234')).toBe('6171**********34');
  });

  it('does not leak the birth date or serial', () => {
    const masked = maskNik('6171015506851234');
    expect(masked).toHaveLength(16);
    expect(masked).not.toContain('550685');
    expect(masked).not.toContain('1234');
  });
});

describe('normalizePhone edge cases', () => {
  it('refuses a "+" followed by a trunk zero, which is not E.164', () => {
    expect(normalizePhone('+0812345678')).toBeNull();
  });
});
