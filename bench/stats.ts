/** Small numeric helpers; all outputs are printed, never asserted. */
export function sorted(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

/** Nearest-rank percentile (p in 0..100) of an unsorted sample. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = sorted(xs);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1];
}

export const median = (xs: readonly number[]): number => percentile(xs, 50);

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toFixed(digits);
}

export function ratio(a: number, b: number): string {
  return b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}x` : 'n/a';
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** The one machine-readable line of a bench section: `RESULT <name> <json>`. */
export function printResult(name: string, figures: Record<string, unknown>): void {
  console.log(`RESULT ${name} ${JSON.stringify(figures)}`);
}

/** Rounds to `digits` decimals for the RESULT JSON (NaN/Infinity become null). */
export function num(n: number, digits = 3): number | null {
  return Number.isFinite(n) ? Number(n.toFixed(digits)) : null;
}
