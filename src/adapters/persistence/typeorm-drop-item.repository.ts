import { DataSource } from 'typeorm';
import { DropItem, DropItemKind, DropItemRepository, NewDropItem } from '../../domain/intake/drop-item';

interface Row {
  id: string;
  kind: DropItemKind;
  file_id: string;
  filename: string;
  content_type: string;
  size: string;
  arrived_at: Date;
  sender_number: string | null;
  fax_received_at: Date | null;
  status: DropItem['status'];
  case_id: string | null;
  discard_reason: string | null;
}

const COLUMNS = `id::text AS id, kind, file_id, filename, content_type, size, arrived_at, sender_number, fax_received_at, status, case_id::text AS case_id, discard_reason`;

const toItem = (r: Row): DropItem => ({
  id: r.id,
  kind: r.kind,
  fileId: r.file_id,
  filename: r.filename,
  contentType: r.content_type,
  size: Number(r.size),
  arrivedAt: new Date(r.arrived_at),
  senderNumber: r.sender_number,
  faxReceivedAt: r.fax_received_at ? new Date(r.fax_received_at) : null,
  status: r.status,
  caseId: r.case_id,
  discardReason: r.discard_reason,
});

export class TypeormDropItemRepository implements DropItemRepository {
  constructor(private readonly ds: DataSource) {}

  async record(id: string, d: NewDropItem): Promise<{ id: string; created: boolean }> {
    const inserted = (await this.ds.query(
      `INSERT INTO drop_items (id, kind, file_id, filename, content_type, size, arrived_at, sender_number, fax_received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (kind, file_id) DO NOTHING RETURNING id::text AS id`,
      [id, d.kind, d.fileId, d.filename.slice(0, 255), d.contentType, d.size, d.arrivedAt, d.senderNumber, d.faxReceivedAt],
    )) as { id: string }[];
    if (inserted.length > 0) return { id: inserted[0].id, created: true };
    const [existing] = (await this.ds.query(`SELECT id::text AS id FROM drop_items WHERE kind = $1 AND file_id = $2`, [d.kind, d.fileId])) as { id: string }[];
    return { id: existing.id, created: false };
  }

  async find(id: string): Promise<DropItem | null> {
    const [r] = (await this.ds.query(`SELECT ${COLUMNS} FROM drop_items WHERE id = $1`, [id])) as Row[];
    return r ? toItem(r) : null;
  }

  async unregistered(kind: DropItemKind, limit: number): Promise<DropItem[]> {
    const rows = (await this.ds.query(
      `SELECT ${COLUMNS} FROM drop_items WHERE kind = $1 AND status = 'UNREGISTERED' ORDER BY arrived_at, id LIMIT $2`,
      [kind, limit],
    )) as Row[];
    return rows.map(toItem);
  }

  async markRegistered(id: string, caseId: string, at: Date, by: string): Promise<boolean> {
    // A bare UPDATE answers [rows, count] in TypeORM; the CTE answers rows.
    const rows = (await this.ds.query(
      `WITH u AS (UPDATE drop_items SET status = 'REGISTERED', case_id = $2, resolved_at = $3, resolved_by = $4
                  WHERE id = $1 AND status = 'UNREGISTERED' RETURNING id) SELECT id FROM u`,
      [id, caseId, at, by],
    )) as unknown[];
    return rows.length > 0;
  }

  async markDiscarded(id: string, reason: string, at: Date, by: string): Promise<boolean> {
    const rows = (await this.ds.query(
      `WITH u AS (UPDATE drop_items SET status = 'DISCARDED', discard_reason = $2, resolved_at = $3, resolved_by = $4
                  WHERE id = $1 AND status = 'UNREGISTERED' RETURNING id) SELECT id FROM u`,
      [id, reason, at, by],
    )) as unknown[];
    return rows.length > 0;
  }
}
