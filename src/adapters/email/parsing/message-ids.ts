import { createHash } from 'node:crypto';

const MAX_ID_LENGTH = 995;

/**
 * Normalizes one Message-ID: the first `<...>` token (or the bare value), without brackets,
 * lowercased. Null when nothing usable is left (empty, whitespace or control characters inside).
 */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^<>]*)>/.exec(value);
  const id = (bracketed ? bracketed[1] : value).trim().toLowerCase();
  if (!id || id.length > MAX_ID_LENGTH) return null;
  if (/[\s\u0000-\u001f\u007f<>]/.test(id)) return null;
  return id;
}

/**
 * Every message id in an In-Reply-To or References value (string or list), normalized,
 * in order, without duplicates. Values without brackets are split on whitespace.
 */
export function extractMessageIds(value: string | readonly string[] | null | undefined): string[] {
  if (!value) return [];
  const text = typeof value === 'string' ? value : value.join(' ');
  const tokens = text.includes('<') ? [...text.matchAll(/<[^<>]*>/g)].map((m) => m[0]) : text.split(/[\s,]+/);
  const ids: string[] = [];
  for (const token of tokens) {
    const id = normalizeMessageId(token);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** `email:<normalized message-id>`, or `email-sha256:<hex>` of the raw bytes when there is none. */
export function emailDedupeKey(messageId: string | null, raw: Buffer): string {
  if (messageId) return `email:${messageId}`;
  return `email-sha256:${createHash('sha256').update(raw).digest('hex')}`;
}
