import { createHash } from 'node:crypto';
import { normalizePhone } from '../case/requester';
import { zonedTimeToInstant } from '../sla/time-zone';

/** One call as the PBX wrote it, times already in UTC. */
export interface ParsedCall {
  /** What makes a line the same line again: the uniqueid (with the leg), else a hash of the line. */
  dedupeKey: string;
  uniqueId: string | null;
  /** E.164 when the source is a phone number; otherwise as the PBX wrote it (internal extension, "anonymous"). */
  callerNumber: string | null;
  callerName: string | null;
  extension: string;
  context: string | null;
  start: Date;
  answer: Date | null;
  end: Date | null;
  duration: number;
  billsec: number;
  disposition: string;
}

export type CdrRecordResult = { ok: true; call: ParsedCall } | { ok: false; reason: string };

/**
 * Asterisk cdr_csv column order: accountcode, src, dst, dcontext, clid, channel, dstchannel,
 * lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags, then
 * uniqueid (loguniqueid) and userfield (loguserfield) when switched on.
 */
const COL = {
  src: 1,
  dst: 2,
  dcontext: 3,
  clid: 4,
  dstchannel: 6,
  start: 9,
  answer: 10,
  end: 11,
  duration: 12,
  billsec: 13,
  disposition: 14,
} as const;
const BASE_COLUMNS = 16;
const DISPOSITIONS = new Set(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION']);
const TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/** Asterisk uniqueids are `<epoch>.<sequence>`, optionally prefixed by the system name. */
const UNIQUE_ID = /^(?:[A-Za-z0-9_-]+-)?\d{9,}\.\d+$/;

/** `"Budi, Pontianak" <081234567890>` -> name and number; a bare number has no name. */
export function parseCallerId(clid: string): { name: string | null; number: string | null } {
  const m = /^\s*(?:"?(.*?)"?\s*)?<([^>]*)>\s*$/.exec(clid);
  if (m) return { name: m[1]?.trim() || null, number: m[2]?.trim() || null };
  const bare = clid.trim();
  return /^[+\d][\d\s-]*$/.test(bare) ? { name: null, number: bare } : { name: bare || null, number: null };
}

function localTime(value: string, timeZone: string): Date | null | 'invalid' {
  const v = value.trim();
  if (!v) return null;
  const m = TIME.exec(v);
  if (!m) return 'invalid';
  const [hh, mm, ss] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (hh > 23 || mm > 59 || ss > 59) return 'invalid';
  try {
    const at = zonedTimeToInstant(m[1], hh * 60 + mm, timeZone);
    return new Date(at.getTime() + ss * 1000);
  } catch {
    return 'invalid';
  }
}

function seconds(value: string): number | null {
  const v = value.trim();
  return /^\d{1,9}$/.test(v) ? Number(v) : null;
}

function pickUniqueId(extra: string[]): string | null {
  // cdr_csv writes uniqueid before userfield; with one extra column it may be either.
  const candidates = extra.map((v) => v.trim());
  return candidates.find((v) => UNIQUE_ID.test(v)) ?? null;
}

/**
 * Reads one record of an Asterisk `Master.csv`, already split into `fields`; `rawLine` is the
 * line as written (a call without a uniqueid is keyed by its hash). Times are the PBX's wall
 * clock in `timeZone` (cdr_csv's default; use "UTC" for a PBX with usegmtime=yes). Never throws.
 */
export function parseCdrRecord(fields: string[], rawLine: string, timeZone: string): CdrRecordResult {
  const text = rawLine.trim();
  if (!text) return { ok: false, reason: 'empty line' };
  const f = fields;
  if (f.length < BASE_COLUMNS || f.length > BASE_COLUMNS + 2) {
    return { ok: false, reason: `expected ${BASE_COLUMNS} to ${BASE_COLUMNS + 2} columns, found ${f.length}` };
  }
  const extension = f[COL.dst].trim();
  if (!extension) return { ok: false, reason: 'no destination' };
  const start = localTime(f[COL.start], timeZone);
  if (start === null || start === 'invalid') return { ok: false, reason: 'start is not a time (YYYY-MM-DD HH:MM:SS)' };
  const answer = localTime(f[COL.answer], timeZone);
  if (answer === 'invalid') return { ok: false, reason: 'answer is not a time' };
  const end = localTime(f[COL.end], timeZone);
  if (end === 'invalid') return { ok: false, reason: 'end is not a time' };
  const duration = seconds(f[COL.duration]);
  const billsec = seconds(f[COL.billsec]);
  if (duration === null || billsec === null) return { ok: false, reason: 'duration and billsec must be whole seconds' };
  const disposition = f[COL.disposition].trim().toUpperCase();
  if (!DISPOSITIONS.has(disposition)) return { ok: false, reason: 'unknown disposition' };

  const clid = parseCallerId(f[COL.clid]);
  const rawSource = f[COL.src].trim() || clid.number || '';
  const callerNumber = rawSource ? (normalizePhone(rawSource) ?? rawSource) : null;
  const uniqueId = pickUniqueId(f.slice(BASE_COLUMNS));
  // A ring group writes one line per leg under the same uniqueid: the leg keeps them apart.
  const dedupeKey = uniqueId
    ? `uid:${uniqueId}|${f[COL.dstchannel].trim()}|${f[COL.start].trim()}`
    : `sha256:${createHash('sha256').update(text).digest('hex')}`;
  return {
    ok: true,
    call: {
      dedupeKey,
      uniqueId,
      callerNumber,
      callerName: clid.name,
      extension,
      context: f[COL.dcontext].trim() || null,
      start,
      answer,
      end,
      duration,
      billsec,
      disposition,
    },
  };
}
