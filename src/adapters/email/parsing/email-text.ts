const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/**
 * Tidies body text for a case: LF line ends, no control characters (PostgreSQL text refuses
 * NUL), no trailing spaces, at most one empty line in a row, trimmed.
 */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '')
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** `value` when it is a string, else '': mailparser can hand back `false` or a list. */
export function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** One line, single spaces, no control characters: for subjects, names and filenames. */
export function tidyLine(text: unknown): string {
  return asString(text).replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * A last-resort HTML to text, used only when mailparser could not convert the HTML
 * (too long or too deeply nested): drops scripts, styles and tags, decodes common entities.
 */
export function crudeHtmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/[ \t]{2,}/g, ' ');
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  let cut = Buffer.from(text, 'utf8').subarray(0, Math.max(0, maxBytes)).toString('utf8');
  if (cut.endsWith('\ufffd')) cut = cut.slice(0, -1);
  return { text: cut, truncated: true };
}
