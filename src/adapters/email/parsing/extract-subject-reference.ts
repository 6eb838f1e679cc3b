import { parseReference } from '../../../domain/case/reference-number';

const DASH = '[-\\u2010-\\u2015\\u2212]';
const CORE = `(ADU|PDI)${DASH}(\\d{4})${DASH}(\\d{6,})`;
// Not glued to letters or digits (XADU-2026-000123X), nor continued by another "-<alnum>" segment.
const BOUNDED = `(?<![A-Za-z0-9])${CORE}(?![A-Za-z0-9])(?!${DASH}[A-Za-z0-9])`;
const BRACKETED = new RegExp(`\\[\\s*${CORE}\\s*\\]`, 'gi');
const BARE = new RegExp(BOUNDED, 'gi');

/**
 * Finds the case reference in a subject line and returns it canonical (`ADU-2026-000123`).
 * A bracketed reference (`Re: Fwd: [ADU-2026-000123] ...`) wins over a bare one; otherwise
 * the first bare `ADU-2026-000123` / `PDI-2026-000045` anywhere in the subject, any case.
 * Reply prefixes (Re:, AW:, Balas:, ...) need no stripping: the search is not anchored.
 */
export function extractSubjectReference(subject: string | null | undefined): string | null {
  if (!subject) return null;
  for (const pattern of [BRACKETED, BARE]) {
    for (const m of subject.matchAll(pattern)) {
      const parsed = parseReference(`${m[1]}-${m[2]}-${m[3]}`);
      if (parsed) return parsed.reference;
    }
  }
  return null;
}
