/** The credential of an `Authorization: Bearer <token>` header (or a bare token), if any. */
export function bearerFrom(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (!v) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(v);
  if (m) return m[1];
  return /\s/.test(v) ? null : v;
}
