import { CaseKind } from './case-types';

const PREFIX: Record<CaseKind, string> = { COMPLAINT: 'ADU', INFORMATION_REQUEST: 'PDI' };
const PATTERN = /^(ADU|PDI)-(\d{4})-(\d{6,})$/;

/** The counter a reference number is drawn from: one sequence per kind per year. */
export interface ReferenceScope {
  prefix: string;
  year: number;
}

export function referenceScope(kind: CaseKind, year: number): ReferenceScope {
  return { prefix: PREFIX[kind], year };
}

/** `ADU-2026-000123` for complaints, `PDI-2026-000045` for information requests. */
export function formatReference(scope: ReferenceScope, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('sequence must be a positive integer');
  return `${scope.prefix}-${scope.year}-${String(sequence).padStart(6, '0')}`;
}

/** Parses a reference typed by a person (case and surrounding space ignored); null when it is not one. */
export function parseReference(text: string): { kind: CaseKind; year: number; sequence: number; reference: string } | null {
  const m = PATTERN.exec(text.trim().toUpperCase());
  if (!m) return null;
  const kind: CaseKind = m[1] === 'ADU' ? 'COMPLAINT' : 'INFORMATION_REQUEST';
  const sequence = Number(m[3]);
  if (sequence < 1) return null;
  // Canonical form, so that a typed extra leading zero still finds the case.
  return { kind, year: Number(m[2]), sequence, reference: formatReference({ prefix: m[1], year: Number(m[2]) }, sequence) };
}
