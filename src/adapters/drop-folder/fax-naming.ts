/**
 * The sender and time of a fax, from what the fax server leaves: the file name
 * (`20261127T091500_0561730062.pdf`, `2026-11-27_09-15-00_0561730062.pdf`) or a sidecar
 * (`fax000000123.tif.info` / `.txt`, as HylaFAX's faxrcvd and faxinfo write it:
 * `Sender: ...`, `CallerID: ...`, `Received: 2026:11:27 09:15:00`). Times without an offset
 * are office time, Asia/Pontianak (WIB, UTC+7 all year).
 */
export interface FaxMeta {
  senderNumber: string | null;
  receivedAt: Date | null;
}

const WIB = '+07:00';

const SIMPLE_NAME = /^(\d{4})-?(\d{2})-?(\d{2})[T_ -]?(\d{2})[-:]?(\d{2})[-:]?(\d{2})_(\+?\d[\d-]{3,30})\.[A-Za-z0-9]+$/;
/** HylaFAX names received faxes fax<serial>.tif in its recvq. */
export const HYLAFAX_NAME = /^fax\d+\.tiff?$/i;
export const SIDECAR_EXTENSIONS = ['.info', '.txt'];

/** Whole office-time parts -> a UTC instant; null when not a real calendar time. */
function officeTime(y: string, mo: string, d: string, h: string, mi: string, s: string): Date | null {
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${WIB}`);
  if (Number.isNaN(at.getTime())) return null;
  // Date() rolls 2026-02-30 over to March; a round trip catches it.
  const back = new Date(at.getTime() + 7 * 3_600_000).toISOString();
  return back.startsWith(`${y}-${mo}-${d}T${h}:${mi}:${s}`) ? at : null;
}

/** A phone number as digits with an optional leading +; null when it has too few digits to be one. */
export function normalizeNumber(raw: string): string | null {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 4 || digits.length > 20) return null;
  return (trimmed.startsWith('+') ? '+' : '') + digits;
}

/** Parses a time as HylaFAX (`2026:11:27 09:15:00`) or ISO writes it. */
export function parseFaxTime(raw: string): Date | null {
  const v = raw.trim();
  const local = /^(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (local) return officeTime(local[1], local[2], local[3], local[4], local[5], local[6] ?? '00');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) {
    const at = new Date(v);
    return Number.isNaN(at.getTime()) ? null : at;
  }
  return null;
}

export function metaFromName(filename: string): FaxMeta {
  const m = SIMPLE_NAME.exec(filename);
  if (!m) return { senderNumber: null, receivedAt: null };
  return { senderNumber: normalizeNumber(m[7]), receivedAt: officeTime(m[1], m[2], m[3], m[4], m[5], m[6]) };
}

/** `Key: value` lines; CallerID (the line's number) is preferred to Sender (the remote TSI, often a name). */
export function metaFromSidecar(text: string): FaxMeta {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][A-Za-z -]*?)\s*[:=]\s*(.*?)\s*$/.exec(line);
    if (m && !fields.has(m[1].toLowerCase().replace(/[\s-]/g, ''))) fields.set(m[1].toLowerCase().replace(/[\s-]/g, ''), m[2]);
  }
  const number = ['callerid', 'sender', 'from', 'number'].map((k) => fields.get(k)).map((v) => (v ? normalizeNumber(v) : null)).find((v) => v) ?? null;
  const time = ['received', 'time', 'date'].map((k) => fields.get(k)).map((v) => (v ? parseFaxTime(v) : null)).find((v) => v) ?? null;
  return { senderNumber: number, receivedAt: time };
}

/** The sidecar names to look for beside `filename`, most specific first. */
export function sidecarNames(filename: string): string[] {
  const stem = filename.replace(/\.[^.]+$/, '');
  const names = SIDECAR_EXTENSIONS.map((e) => filename + e);
  if (stem !== filename) names.push(...SIDECAR_EXTENSIONS.map((e) => stem + e));
  return names;
}

export function isSidecarName(filename: string): boolean {
  return SIDECAR_EXTENSIONS.some((e) => filename.toLowerCase().endsWith(e));
}

/** Name first, then the sidecar fills what the name lacks (or overrides: the fax server wrote it). */
export function faxMeta(filename: string, sidecar: string | null): FaxMeta {
  const fromName = metaFromName(filename);
  const fromSidecar = sidecar ? metaFromSidecar(sidecar) : { senderNumber: null, receivedAt: null };
  return { senderNumber: fromSidecar.senderNumber ?? fromName.senderNumber, receivedAt: fromSidecar.receivedAt ?? fromName.receivedAt };
}
