import { DataSource, EntityManager } from 'typeorm';
import { BoxOpening, DeskRecordRepository, Visit } from '../../domain/desk/desk-records.port';
import { PreparedCase } from '../../domain/intake/intake.service';
import { TypeormCaseRepository } from './typeorm-case.repository';

interface OpeningRow {
  id: string;
  idempotency_key: string | null;
  fingerprint: string;
  opened_at: Date;
  opened_by: string;
  witnesses: string[];
  recorded_by: string;
  recorded_at: Date;
}

interface VisitRow {
  id: string;
  name: string;
  institution: string | null;
  purpose: string;
  visited_at: Date;
  case_id: string | null;
  case_reference: string | null;
  recorded_by: string;
  recorded_at: Date;
}

const toVisit = (r: VisitRow): Visit => ({
  id: r.id,
  name: r.name,
  institution: r.institution,
  purpose: r.purpose,
  visitedAt: new Date(r.visited_at),
  caseId: r.case_id,
  caseReference: r.case_reference,
  recordedBy: r.recorded_by,
  recordedAt: new Date(r.recorded_at),
});

const VISIT_SELECT = `SELECT v.id::text AS id, v.name, v.institution, v.purpose, v.visited_at, v.case_id::text AS case_id, c.reference AS case_reference,
  v.recorded_by, v.recorded_at FROM visits v LEFT JOIN cases c ON c.id = v.case_id`;

/** Complaint-box openings and the guest book on PostgreSQL (raw SQL through TypeORM). */
export class TypeormDeskRecordRepository implements DeskRecordRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: TypeormCaseRepository,
  ) {}

  async recordBoxOpening(opening: Omit<BoxOpening, 'cases'>, prepared: PreparedCase[]): Promise<{ created: boolean; opening: BoxOpening }> {
    return this.ds.transaction(async (m) => {
      // Claimed first: a concurrent opening with the same key waits here until the first commits.
      const claimed = (await m.query(
        `INSERT INTO box_openings (id, idempotency_key, fingerprint, opened_at, opened_by, witnesses, recorded_by, recorded_at)
         VALUES ($1::uuid, $2, $3, $4::timestamptz, $5, $6::text[], $7, $8::timestamptz)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id::text AS id`,
        [opening.id, opening.idempotencyKey, opening.fingerprint, opening.openedAt.toISOString(), opening.openedBy, opening.witnesses,
          opening.recordedBy, opening.recordedAt.toISOString()],
      )) as { id: string }[];
      if (claimed.length === 0) {
        const existing = await this.load(m, `o.idempotency_key = $1`, [opening.idempotencyKey]);
        if (!existing) throw new Error('box opening key claimed but not found');
        return { created: false, opening: existing };
      }
      const outcomes = await this.cases.insertWithin(m, prepared.map((p) => ({ ...p, dedupe: null })));
      const created = outcomes.map((o) => {
        if (!o.created) throw new Error('a box entry without dedupe key was not created');
        return { id: o.case.id, reference: o.case.reference };
      });
      await m.query(
        `INSERT INTO box_opening_entries (opening_id, position, case_id)
         SELECT $1::uuid, p, c::uuid FROM unnest($2::int[], $3::text[]) AS t(p, c)`,
        [opening.id, created.map((_c, i) => i), created.map((c) => c.id)],
      );
      return { created: true, opening: { ...opening, cases: created } };
    });
  }

  private async load(m: EntityManager, where: string, params: unknown[]): Promise<BoxOpening | null> {
    const [row] = (await m.query(
      `SELECT o.id::text AS id, o.idempotency_key, o.fingerprint, o.opened_at, o.opened_by, o.witnesses, o.recorded_by, o.recorded_at
       FROM box_openings o WHERE ${where}`,
      params,
    )) as OpeningRow[];
    if (!row) return null;
    const cases = (await m.query(
      `SELECT c.id::text AS id, c.reference FROM box_opening_entries e JOIN cases c ON c.id = e.case_id WHERE e.opening_id = $1::uuid ORDER BY e.position`,
      [row.id],
    )) as { id: string; reference: string }[];
    return {
      id: row.id,
      idempotencyKey: row.idempotency_key,
      fingerprint: row.fingerprint,
      openedAt: new Date(row.opened_at),
      openedBy: row.opened_by,
      witnesses: row.witnesses,
      recordedBy: row.recorded_by,
      recordedAt: new Date(row.recorded_at),
      cases,
    };
  }

  async insertVisit(v: Omit<Visit, 'caseReference'>): Promise<Visit> {
    const [row] = (await this.ds.query(
      `WITH ins AS (
         INSERT INTO visits (id, name, institution, purpose, visited_at, case_id, recorded_by, recorded_at)
         VALUES ($1::uuid, $2, $3, $4, $5::timestamptz, $6::uuid, $7, $8::timestamptz) RETURNING *)
       SELECT v.id::text AS id, v.name, v.institution, v.purpose, v.visited_at, v.case_id::text AS case_id, c.reference AS case_reference,
         v.recorded_by, v.recorded_at FROM ins v LEFT JOIN cases c ON c.id = v.case_id`,
      [v.id, v.name, v.institution, v.purpose, v.visitedAt.toISOString(), v.caseId, v.recordedBy, v.recordedAt.toISOString()],
    )) as VisitRow[];
    return toVisit(row);
  }

  async visitsBetween(from: Date, to: Date): Promise<Visit[]> {
    const rows = (await this.ds.query(`${VISIT_SELECT} WHERE v.visited_at >= $1::timestamptz AND v.visited_at < $2::timestamptz ORDER BY v.visited_at, v.id`, [
      from.toISOString(),
      to.toISOString(),
    ])) as VisitRow[];
    return rows.map(toVisit);
  }
}
