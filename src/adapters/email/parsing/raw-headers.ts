/** Header fields by lowercased name, values unfolded and trimmed, in message order. */
export type RawHeaders = ReadonlyMap<string, readonly string[]>;

/** A Content-Type reduced to its lowercased type and parameters (lowercased names). */
export interface ContentTypeValue {
  type: string;
  params: Record<string, string>;
}

/** Builds `RawHeaders` from mailparser's `headerLines` (each line is `Name: value`, maybe folded). */
export function rawHeadersFromLines(lines: ReadonlyArray<{ key: string; line: string }>): RawHeaders {
  const map = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const value = unfold(colon >= 0 ? line.slice(colon + 1) : '');
    add(map, key, value);
  }
  return map;
}

/**
 * Reads the header block at the start of `text` (up to the first empty line), leniently:
 * lines without a colon are skipped. Used for the headers attached to a bounce.
 */
export function parseHeaderBlock(text: string): RawHeaders {
  const map = new Map<string, string[]>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let current: { key: string; value: string } | null = null;
  const flush = () => {
    if (current) add(map, current.key, unfold(current.value));
    current = null;
  };
  for (const line of lines) {
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line) && current) {
      current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const m = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (m) current = { key: m[1], value: m[2] };
  }
  flush();
  return map;
}

/** The first value of a header, or null. */
export function firstHeader(headers: RawHeaders, name: string): string | null {
  const values = headers.get(name.toLowerCase());
  return values && values.length > 0 ? values[0] : null;
}

/** Parses a Content-Type value such as `multipart/report; report-type="delivery-status"`. */
export function parseContentType(value: string | null): ContentTypeValue | null {
  if (!value) return null;
  const [head, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    params[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: head.trim().toLowerCase(), params };
}

function unfold(value: string): string {
  return value.replace(/\r?\n(?=[ \t])/g, '').replace(/[\r\n]+/g, ' ').trim();
}

function add(map: Map<string, string[]>, key: string, value: string): void {
  const name = key.trim().toLowerCase();
  if (!name) return;
  const list = map.get(name);
  if (list) list.push(value);
  else map.set(name, [value]);
}
