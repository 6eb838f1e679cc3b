import { DataSource } from 'typeorm';
import { Case, SlaAlertType } from '../../domain/case/case';
import { OPEN_STATUSES } from '../../domain/case/case-status';
import { DueSlaAlert, SlaAlertStore } from '../../domain/sla/sla-alert-store.port';
import { appendEvents } from './intake-group-commit';

/**
 * Fired SLA alerts in `sla_alerts`, one row per (case, type, deadline). The scan uses the
 * partial indexes on open cases' warn_at and due_at; the primary key makes the claim idempotent.
 */
export class TypeormSlaAlertStore implements SlaAlertStore {
  constructor(private readonly ds: DataSource) {}

  async dueSlaAlerts(now: Date, limit: number): Promise<DueSlaAlert[]> {
    const rows = (await this.ds.query(
      `SELECT * FROM (
         (SELECT c.id::text AS case_id, 'SLA_BREACHED' AS type, c.due_at FROM cases c
           WHERE c.status = ANY($1::text[]) AND c.due_at <= $2::timestamptz
             AND NOT EXISTS (SELECT 1 FROM sla_alerts a WHERE a.case_id = c.id AND a.type = 'SLA_BREACHED' AND a.due_at = c.due_at)
           ORDER BY c.due_at LIMIT $3)
         UNION ALL
         -- A case already past its deadline gets the breach alone, not a late warning too.
         (SELECT c.id::text AS case_id, 'SLA_WARNING' AS type, c.due_at FROM cases c
           WHERE c.status = ANY($1::text[]) AND c.warn_at <= $2::timestamptz AND c.due_at > $2::timestamptz
             AND NOT EXISTS (SELECT 1 FROM sla_alerts a WHERE a.case_id = c.id AND a.type = 'SLA_WARNING' AND a.due_at = c.due_at)
           ORDER BY c.warn_at LIMIT $3)
       ) due ORDER BY due_at LIMIT $3`,
      [OPEN_STATUSES, now.toISOString(), limit],
    )) as { case_id: string; type: SlaAlertType; due_at: Date | string }[];
    return rows.map((r) => ({ caseId: r.case_id, type: r.type, dueAt: new Date(r.due_at) }));
  }

  async recordSlaAlert(c: Case, alert: DueSlaAlert, firedAt: Date): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const claimed: unknown[] = await m.query(
        `INSERT INTO sla_alerts (case_id, type, due_at, fired_at)
         SELECT id, $2, due_at, $4::timestamptz FROM cases WHERE id = $1::uuid AND due_at = $3::timestamptz AND status = ANY($5::text[])
         ON CONFLICT DO NOTHING RETURNING case_id`,
        [alert.caseId, alert.type, alert.dueAt.toISOString(), firedAt.toISOString(), OPEN_STATUSES],
      );
      if (claimed.length === 0) return false;
      await appendEvents(m, [{ c, created: false }]);
      return true;
    });
  }

  async casesWithoutWarnAt(limit: number): Promise<string[]> {
    const rows = (await this.ds.query(
      `SELECT id::text AS id FROM cases WHERE status = ANY($1::text[]) AND due_at IS NOT NULL AND warn_at IS NULL AND clock_started_at IS NOT NULL ORDER BY due_at LIMIT $2`,
      [OPEN_STATUSES, limit],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
