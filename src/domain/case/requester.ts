import { FieldProblem } from '../shared/domain-error';

/** The person or institution behind a case. Every field is optional: complaints may be anonymous. */
export interface Requester {
  name: string | null;
  nik: string | null;
  organization: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export type RequesterInput = Partial<Record<keyof Requester, string | null | undefined>>;

const EMAIL_PATTERN = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;
const MAX_TEXT = 500;

/** True for an address the desk can write to (local@domain.tld). */
export function isValidEmail(address: string): boolean {
  return EMAIL_PATTERN.test(address) && address.length <= 254;
}

/**
 * Checks a 16-digit NIK (Nomor Induk Kependudukan): region code, then birth date (day + 40
 * for women), then a serial. Returns a problem text or null; never echoes the number.
 */
export function nikProblem(nik: string): string | null {
  if (!/^\d{16}$/.test(nik)) return 'must be exactly 16 digits';
  const day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const dayOk = (day >= 1 && day <= 31) || (day >= 41 && day <= 71);
  if (!dayOk || month < 1 || month > 12) return 'does not contain a valid birth date';
  if (nik.slice(0, 2) === '00' || nik.slice(12) === '0000') return 'is not a valid NIK';
  return null;
}

/**
 * Normalizes an Indonesian phone number to E.164 (+62...). Accepts 08xx, 628xx, +62xx,
 * area-code landlines such as "(0561) 736541", and other +country numbers as given.
 */
export function normalizePhone(raw: string): string | null {
  const trimmed = raw.trim();
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return null;
  let e164: string;
  if (plus) {
    if (digits.startsWith('0')) return null;
    e164 = `+${digits}`;
  }
  else if (digits.startsWith('62')) e164 = `+${digits}`;
  else if (digits.startsWith('0')) e164 = `+62${digits.slice(1)}`;
  else return null;
  const national = e164.slice(1);
  if (national.length < 9 || national.length > 15) return null;
  return e164;
}

function clean(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const t = value.trim().replace(/\s+/g, ' ');
  return t.length === 0 ? null : t;
}

/**
 * Validates and normalizes requester input. Problems are reported per field (under `path`),
 * without repeating the offending personal data.
 */
export function parseRequester(
  input: RequesterInput | null | undefined,
  path = 'requester',
): { requester: Requester | null; problems: FieldProblem[] } {
  if (!input) return { requester: null, problems: [] };
  const problems: FieldProblem[] = [];
  const r: Requester = {
    name: clean(input.name),
    nik: clean(input.nik)?.replace(/[\s.-]/g, '') || null,
    organization: clean(input.organization),
    phone: null,
    email: clean(input.email)?.toLowerCase() ?? null,
    address: clean(input.address),
  };
  for (const key of ['name', 'organization', 'address'] as const) {
    const v = r[key];
    if (v && v.length > MAX_TEXT) problems.push({ field: `${path}.${key}`, message: `must be at most ${MAX_TEXT} characters` });
  }
  if (r.nik) {
    const p = nikProblem(r.nik);
    if (p) problems.push({ field: `${path}.nik`, message: p });
  }
  const rawPhone = clean(input.phone);
  if (rawPhone) {
    r.phone = normalizePhone(rawPhone);
    if (!r.phone) problems.push({ field: `${path}.phone`, message: 'is not a valid phone number' });
  }
  if (r.email && (!EMAIL_PATTERN.test(r.email) || r.email.length > 254)) {
    problems.push({ field: `${path}.email`, message: 'is not a valid email address' });
  }
  const empty = Object.values(r).every((v) => v === null);
  return { requester: empty ? null : r, problems };
}

/** Masks a NIK for display: region code and last two digits stay, e.g. 6171**********01. */
export function maskNik(nik: string): string {
  return `${nik.slice(0, 4)}${'*'.repeat(nik.length - 6)}${nik.slice(-2)}`;
}
