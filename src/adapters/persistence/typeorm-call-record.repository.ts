import { DataSource } from 'typeorm';
import { CallRecord } from '../../domain/phone/call-record';
import { CallRecordRepository } from '../../domain/phone/call-record-repository.port';

type Row = {
  id: string;
  dedupe_key: string;
  unique_id: string | null;
  caller_number: string | null;
  caller_name: string | null;
  extension: string;
  context: string | null;
  started_at: Date | string;
  answered_at: Date | string | null;
  ended_at: Date | string | null;
  duration: number;
  billsec: number;
  disposition: string;
  case_id: string | null;
  imported_at: Date | string;
};

const columns = (t: string): string =>
  `${t}.id::text AS id, ${t}.dedupe_key, ${t}.unique_id, ${t}.caller_number, ${t}.caller_name, ${t}.extension, ${t}.context,
   ${t}.started_at, ${t}.answered_at, ${t}.ended_at, ${t}.duration, ${t}.billsec, ${t}.disposition, ${t}.case_id::text AS case_id,
   ${t}.imported_at`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const time = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

const toRecord = (r: Row): CallRecord => ({
  id: r.id,
  dedupeKey: r.dedupe_key,
  uniqueId: r.unique_id,
  callerNumber: r.caller_number,
  callerName: r.caller_name,
  extension: r.extension,
  context: r.context,
  start: new Date(r.started_at),
  answer: time(r.answered_at),
  end: time(r.ended_at),
  duration: Number(r.duration),
  billsec: Number(r.billsec),
  disposition: r.disposition,
  caseId: r.case_id,
  importedAt: new Date(r.imported_at),
});

/** The imported PBX call log on PostgreSQL (or PGlite). */
export class TypeormCallRecordRepository implements CallRecordRepository {
  constructor(private readonly ds: DataSource) {}

  /** One statement per batch; a dedupe key seen before (or twice in the batch) is left out. */
  async insertNew(records: CallRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
    const inserted = (await this.ds.query(
      `INSERT INTO call_records (id, dedupe_key, unique_id, caller_number, caller_name, extension, context, started_at, answered_at,
         ended_at, duration, billsec, disposition, imported_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
         $9::timestamptz[], $10::timestamptz[], $11::int[], $12::int[], $13::text[], $14::timestamptz[])
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        records.map((r) => r.id),
        records.map((r) => r.dedupeKey),
        records.map((r) => r.uniqueId),
        records.map((r) => r.callerNumber),
        records.map((r) => r.callerName),
        records.map((r) => r.extension),
        records.map((r) => r.context),
        records.map((r) => iso(r.start)),
        records.map((r) => iso(r.answer)),
        records.map((r) => iso(r.end)),
        records.map((r) => r.duration),
        records.map((r) => r.billsec),
        records.map((r) => r.disposition),
        records.map((r) => iso(r.importedAt)),
      ],
    )) as unknown[];
    return inserted.length;
  }

  async findById(id: string): Promise<CallRecord | null> {
    if (!UUID.test(id)) return null;
    const [r] = (await this.ds.query(`SELECT ${columns('c')} FROM call_records c WHERE c.id = $1::uuid`, [id])) as Row[];
    return r ? toRecord(r) : null;
  }

  async unlinked(extension: string, dispositions: readonly string[], from: Date, to: Date, limit: number): Promise<CallRecord[]> {
    // One row per call: the legs of a ring group share the uniqueid; the answered leg is shown.
    const rows = (await this.ds.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (COALESCE(r.unique_id, r.id::text)) ${columns('r')}
         FROM call_records r
         WHERE r.extension = $1 AND r.disposition = ANY($2::text[]) AND r.started_at >= $3::timestamptz AND r.started_at < $4::timestamptz
           AND r.case_id IS NULL
           AND (r.unique_id IS NULL OR NOT EXISTS (SELECT 1 FROM call_records o WHERE o.unique_id = r.unique_id AND o.case_id IS NOT NULL))
         ORDER BY COALESCE(r.unique_id, r.id::text), (r.disposition = 'ANSWERED') DESC, r.started_at, r.id
       ) calls ORDER BY started_at, id LIMIT $5`,
      [extension, [...dispositions], from.toISOString(), to.toISOString(), limit],
    )) as Row[];
    return rows.map(toRecord);
  }

  async linkToCase(record: CallRecord, caseId: string): Promise<boolean> {
    await this.ds.query(
      `WITH u AS (UPDATE call_records SET case_id = $2::uuid
         WHERE (id = $1::uuid OR (unique_id IS NOT NULL AND unique_id = $3)) AND case_id IS NULL RETURNING id) SELECT id FROM u`,
      [record.id, caseId, record.uniqueId],
    );
    const [r] = (await this.ds.query(`SELECT case_id::text AS case_id FROM call_records WHERE id = $1::uuid`, [record.id])) as { case_id: string | null }[];
    return r?.case_id === caseId;
  }
}
