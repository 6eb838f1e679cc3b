import { masterCsvReader } from '../../../src/adapters/phone/master-csv-reader';
import { parseCallerId, parseCdrRecord } from '../../../src/domain/phone/cdr-record';
import { CDR } from '../../support/master-csv';

const WIB = 'Asia/Pontianak';

/** One Master.csv line split into its fields by the phone adapter's reader. */
function split(line: string): string[] {
  const [row] = [...masterCsvReader.read(line)];
  if (!row || 'error' in row) throw new Error(`the reader did not split: ${line}`);
  return row.fields;
}

function parseCdrLine(line: string, tz: string) {
  return parseCdrRecord(split(line), line, tz);
}

function ok(line: string, tz = WIB) {
  const r = parseCdrLine(line, tz);
  if (!r.ok) throw new Error(`expected a call, got: ${r.reason}`);
  return r.call;
}

describe('parseCallerId', () => {
  it('reads name and number of a quoted caller ID with a comma', () => {
    expect(parseCallerId('"Budi, Pontianak" <081234567890>')).toEqual({ name: 'Budi, Pontianak', number: '081234567890' });
  });
  it('reads a bare number and an empty name', () => {
    expect(parseCallerId('081234567890')).toEqual({ name: null, number: '081234567890' });
    expect(parseCallerId('"" <0561736000>')).toEqual({ name: null, number: '0561736000' });
  });
});

describe('parseCdrRecord (a line of Asterisk Master.csv)', () => {
  it('reads an answered call: WIB times to UTC, caller normalized, uniqueid kept', () => {
    const c = ok(CDR.answered);
    expect(c).toMatchObject({
      uniqueId: '1773627302.18',
      callerNumber: '+6281234567890',
      callerName: 'Budi, Pontianak',
      extension: '126',
      context: 'from-trunk',
      duration: 343,
      billsec: 335,
      disposition: 'ANSWERED',
    });
    expect(c.start.toISOString()).toBe('2026-03-16T02:15:02.000Z');
    expect(c.answer?.toISOString()).toBe('2026-03-16T02:15:10.000Z');
    expect(c.end?.toISOString()).toBe('2026-03-16T02:20:45.000Z');
    expect(c.dedupeKey).toContain('1773627302.18');
  });

  it('reads NO ANSWER with an empty answer time and a landline caller', () => {
    const c = ok(CDR.noAnswer);
    expect(c).toMatchObject({ disposition: 'NO ANSWER', answer: null, billsec: 0, callerNumber: '+62561736000' });
    expect(c.start.toISOString()).toBe('2026-03-16T03:01:00.000Z');
  });

  it('reads BUSY from a PBX that logs no uniqueid, keyed by a stable hash of the line', () => {
    const c = ok(CDR.busyNoUniqueId);
    expect(c).toMatchObject({ disposition: 'BUSY', uniqueId: null, callerNumber: '+6285828735503', callerName: 'Siti' });
    expect(c.dedupeKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(ok(`${CDR.busyNoUniqueId}\r`).dedupeKey).toBe(c.dedupeKey);
    expect(parseCdrRecord(split(CDR.busyNoUniqueId), ` ${CDR.busyNoUniqueId}\r`, WIB)).toMatchObject({ ok: true, call: { dedupeKey: c.dedupeKey } });
    expect(ok(CDR.busyNoUniqueId.replace('11:30:05', '11:30:06')).dedupeKey).not.toBe(c.dedupeKey);
  });

  it('takes the uniqueid from a 17-column line too (loguniqueid without loguserfield)', () => {
    const line = CDR.answered.replace(/,""$/, '');
    expect(ok(line).uniqueId).toBe('1773627302.18');
  });

  it('keeps a caller that is not a phone number as written (internal extension)', () => {
    const c = ok(CDR.answered.replace('"081234567890","126"', '"201","126"'));
    expect(c.callerNumber).toBe('201');
  });

  it('applies the configured zone (a PBX writing UTC)', () => {
    expect(ok(CDR.answered, 'UTC').start.toISOString()).toBe('2026-03-16T09:15:02.000Z');
  });

  it('gives a reason for malformed lines and never throws', () => {
    expect(parseCdrLine(CDR.header, WIB)).toEqual({ ok: false, reason: 'expected 16 to 18 columns, found 4' });
    expect(parseCdrLine(CDR.badStart, WIB)).toEqual({ ok: false, reason: 'start is not a time (YYYY-MM-DD HH:MM:SS)' });
    expect(parseCdrLine(CDR.answered.replace('"ANSWERED"', '"MAYBE"'), WIB)).toEqual({ ok: false, reason: 'unknown disposition' });
    expect(parseCdrLine(CDR.answered.replace(',343,', ',-1,'), WIB)).toMatchObject({ ok: false });
    expect(parseCdrLine(CDR.answered.replace('2026-03-16 09:15:02', '2026-02-30 09:15:02'), WIB)).toMatchObject({ ok: false });
    expect(parseCdrRecord([''], '', WIB)).toEqual({ ok: false, reason: 'empty line' });
    expect(parseCdrRecord(['  '], ' \r', WIB)).toEqual({ ok: false, reason: 'empty line' });
  });
});
