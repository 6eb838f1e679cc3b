import { DataSource, EntityManager } from 'typeorm';
import { Case, CaseProps } from '../../domain/case/case';
import {
  CaseFilter,
  CaseRepository,
  DedupeKey,
  InsertOutcome,
  Page,
  PageRequest,
} from '../../domain/case/case-repository.port';
import { OPEN_STATUSES } from '../../domain/case/case-status';
import { formatReference, ReferenceScope } from '../../domain/case/reference-number';
import { TimelineEvent } from '../../domain/case/timeline-event';
import { ConcurrentModificationError, ValidationError } from '../../domain/shared/domain-error';
import { CASE_CASTS, CASE_COLUMNS, eventRowToEvent, propsToParams, rowToCase, rowToProps } from './case.mapper';
import { CaseEntity, CaseRow } from './entities/case.entity-schema';
import { CaseEventEntity, CaseEventRow } from './entities/case-event.entity-schema';

/** The NOTIFY channel that wakes every instance after a case change commits. */
export const OUTBOX_CHANNEL = 'loket_outbox';

/** What an outbox row (and its NOTIFY) carries. */
export interface OutboxPayload {
  outboxId: string;
  caseId: string;
  eventIds: string[];
  created: boolean;
}

const INSERT_CASE_SQL = `INSERT INTO cases (${CASE_COLUMNS.join(', ')}, version, search_text) VALUES (${CASE_COLUMNS.map(
  (c, i) => `$${i + 1}::${CASE_CASTS[c]}`,
).join(', ')}, 0, $${CASE_COLUMNS.length + 1})`;

// Wrapped in a CTE because TypeORM's query() answers a bare UPDATE with [rows, count].
const UPDATE_CASE_SQL = `WITH updated AS (UPDATE cases SET ${CASE_COLUMNS.slice(1)
  .map((c, i) => `${c} = $${i + 2}::${CASE_CASTS[c]}`)
  .join(', ')}, version = version + 1, search_text = search_text || $${CASE_COLUMNS.length + 1}
  WHERE id = $1 AND version = $${CASE_COLUMNS.length + 2} RETURNING id) SELECT id FROM updated`;

const encodeCursor = (parts: string[]): string => Buffer.from(parts.join('|'), 'utf8').toString('base64url');
function decodeCursor(cursor: string, expectedParts: number): string[] {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== expectedParts || parts.some((p) => p.length === 0)) {
    throw ValidationError.single('after', 'is not a valid cursor');
  }
  return parts;
}

/** Text that full-text search should find: the matter itself and human text on the timeline. */
function searchableText(events: readonly TimelineEvent[]): string {
  return events
    .map((e) => e.text)
    .filter((t): t is string => !!t)
    .map((t) => ` ${t}`)
    .join('');
}

/** Case storage on PostgreSQL (or PGlite) through TypeORM. */
export class TypeormCaseRepository implements CaseRepository {
  constructor(private readonly ds: DataSource) {}

  async insertNew(caseId: string, scope: ReferenceScope, build: (reference: string) => Case, dedupe: DedupeKey | null): Promise<InsertOutcome> {
    return this.ds.transaction(async (m) => {
      if (dedupe) {
        // Claimed first: a concurrent intake with the same key waits here until we commit.
        const claimed: unknown[] = await m.query(
          `INSERT INTO intake_keys (key, fingerprint, case_id) VALUES ($1, $2, $3::uuid) ON CONFLICT (key) DO NOTHING RETURNING key`,
          [dedupe.key, dedupe.fingerprint, caseId],
        );
        if (claimed.length === 0) {
          const [existing] = (await m.query(`SELECT case_id, fingerprint FROM intake_keys WHERE key = $1`, [dedupe.key])) as {
            case_id: string;
            fingerprint: string;
          }[];
          return { created: false as const, caseId: existing.case_id, fingerprint: existing.fingerprint };
        }
      }
      const [{ last_value }] = (await m.query(
        `INSERT INTO reference_counters (prefix, year, last_value) VALUES ($1, $2, 1)
         ON CONFLICT (prefix, year) DO UPDATE SET last_value = reference_counters.last_value + 1
         RETURNING last_value`,
        [scope.prefix, scope.year],
      )) as { last_value: number }[];
      const c = build(formatReference(scope, Number(last_value)));
      if (c.id !== caseId) throw new Error('built case does not carry the claimed id');
      const props = c.snapshot();
      const search = [props.subject, props.description ?? ''].join(' ') + searchableText(c.pendingEvents());
      await m.query(INSERT_CASE_SQL, [...propsToParams(props), search]);
      await this.appendEvents(m, c, true);
      return { created: true as const, case: c };
    });
  }

  async findById(id: string): Promise<Case | null> {
    const row = await this.ds.getRepository(CaseEntity).findOneBy({ id });
    return row ? rowToCase(row) : null;
  }

  async findByReference(reference: string): Promise<Case | null> {
    const row = await this.ds.getRepository(CaseEntity).findOneBy({ reference });
    return row ? rowToCase(row) : null;
  }

  async save(cases: Case[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      for (const c of cases) {
        const props = c.snapshot();
        const updated: unknown[] = await m.query(UPDATE_CASE_SQL, [
          ...propsToParams(props),
          searchableText(c.pendingEvents()),
          props.version,
        ]);
        if (updated.length === 0) throw new ConcurrentModificationError(c.id);
        await this.appendEvents(m, c, false);
      }
    });
    for (const c of cases) c.clearPendingEvents();
  }

  async search(filter: CaseFilter, page: PageRequest, now: Date): Promise<Page<CaseProps>> {
    const qb = this.ds.getRepository(CaseEntity).createQueryBuilder('c');
    if (filter.kinds?.length) qb.andWhere('c.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.channels?.length) qb.andWhere('c.channel IN (:...channels)', { channels: filter.channels });
    if (filter.statuses?.length) qb.andWhere('c.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.complaintClasses?.length) {
      qb.andWhere('c.complaint_class IN (:...classes)', { classes: filter.complaintClasses });
    }
    if (filter.assignee) qb.andWhere('c.assignee = :assignee', { assignee: filter.assignee });
    if (filter.receivedFrom) qb.andWhere('c.received_at >= :from', { from: filter.receivedFrom.toISOString() });
    if (filter.receivedTo) qb.andWhere('c.received_at < :to', { to: filter.receivedTo.toISOString() });
    if (filter.overdue !== undefined) {
      const overdue = `(c.status IN (:...open) AND c.due_at < :now)`;
      qb.andWhere(filter.overdue ? overdue : `NOT ${overdue}`, { open: OPEN_STATUSES, now: now.toISOString() });
    }
    if (filter.text?.trim()) {
      qb.andWhere(`c.search_vector @@ websearch_to_tsquery('indonesian', :text)`, { text: filter.text.trim() });
    }
    const totalCount = await qb.clone().getCount();
    if (page.after) {
      const [receivedAt, id] = decodeCursor(page.after, 2);
      if (Number.isNaN(Date.parse(receivedAt))) throw ValidationError.single('after', 'is not a valid cursor');
      qb.andWhere('(c.received_at, c.id) < (:cursorAt::timestamptz, :cursorId::uuid)', { cursorAt: receivedAt, cursorId: id });
    }
    const rows = await qb
      .orderBy('c.received_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(page.first + 1)
      .getMany();
    const hasNextPage = rows.length > page.first;
    const edges = rows.slice(0, page.first).map((row: CaseRow) => {
      const node = rowToProps(row);
      return { cursor: encodeCursor([node.receivedAt.toISOString(), node.id]), node };
    });
    return { edges, hasNextPage, totalCount };
  }

  async timeline(caseId: string, page: PageRequest): Promise<Page<TimelineEvent>> {
    const repo = this.ds.getRepository(CaseEventEntity);
    const totalCount = await repo.countBy({ case_id: caseId });
    const qb = repo.createQueryBuilder('e').where('e.case_id = :caseId', { caseId });
    if (page.after) {
      const [id] = decodeCursor(page.after, 1);
      if (!/^\d+$/.test(id)) throw ValidationError.single('after', 'is not a valid cursor');
      qb.andWhere('e.id > :afterId', { afterId: id });
    }
    const rows = await qb.orderBy('e.id', 'ASC').limit(page.first + 1).getMany();
    const edges = rows.slice(0, page.first).map((row: CaseEventRow) => ({ cursor: encodeCursor([String(row.id)]), node: eventRowToEvent(row) }));
    return { edges, hasNextPage: rows.length > page.first, totalCount };
  }

  async eventsAfter(afterId: string | null, caseId: string | null, limit: number): Promise<TimelineEvent[]> {
    const qb = this.ds.getRepository(CaseEventEntity).createQueryBuilder('e');
    if (afterId) qb.andWhere('e.id > :afterId', { afterId });
    if (caseId) qb.andWhere('e.case_id = :caseId', { caseId });
    const rows = await qb.orderBy('e.id', 'ASC').limit(limit).getMany();
    return rows.map(eventRowToEvent);
  }

  /** Loads what an outbox notification names: the case as committed and the listed events. */
  async loadChange(caseId: string, eventIds: string[]): Promise<{ case: CaseProps; events: TimelineEvent[] } | null> {
    const row = await this.ds.getRepository(CaseEntity).findOneBy({ id: caseId });
    if (!row) return null;
    const events = eventIds.length
      ? await this.ds
          .getRepository(CaseEventEntity)
          .createQueryBuilder('e')
          .where('e.id IN (:...ids)', { ids: eventIds })
          .orderBy('e.id', 'ASC')
          .getMany()
      : [];
    return { case: rowToProps(row), events: events.map(eventRowToEvent) };
  }

  /** Outbox rows written since `since`, for catching up after the listener lost its connection. */
  async outboxSince(since: Date): Promise<OutboxPayload[]> {
    const rows = (await this.ds.query(`SELECT id::text AS id, payload FROM outbox WHERE created_at >= $1::timestamptz ORDER BY id`, [
      since.toISOString(),
    ])) as { id: string; payload: Omit<OutboxPayload, 'outboxId'> }[];
    return rows.map((r) => ({ ...r.payload, outboxId: r.id }));
  }

  /** Stores the pending events, the outbox row, and queues the NOTIFY (delivered at commit). */
  private async appendEvents(m: EntityManager, c: Case, created: boolean): Promise<void> {
    const events = c.pendingEvents();
    if (events.length === 0) return;
    const values: unknown[] = [];
    const tuples = events.map((e, i) => {
      const b = i * 8;
      values.push(e.caseId, e.type, e.actor.id, e.actor.kind, e.at.toISOString(),
        e.before ? JSON.stringify(e.before) : null, e.after ? JSON.stringify(e.after) : null, e.text);
      return `($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::timestamptz, $${b + 6}::jsonb, $${b + 7}::jsonb, $${b + 8})`;
    });
    const inserted = (await m.query(
      `INSERT INTO case_events (case_id, type, actor_id, actor_kind, at, before, after, text) VALUES ${tuples.join(', ')} RETURNING id::text AS id`,
      values,
    )) as { id: string }[];
    const eventIds = inserted.map((r) => r.id);
    const payload = { caseId: c.id, eventIds, created };
    const [{ id: outboxId }] = (await m.query(
      `INSERT INTO outbox (topic, case_id, payload) VALUES ($1, $2::uuid, $3::jsonb) RETURNING id::text AS id`,
      [created ? 'case.created' : 'case.changed', c.id, JSON.stringify(payload)],
    )) as { id: string }[];
    const notice: OutboxPayload = { outboxId, ...payload };
    await m.query(`SELECT pg_notify($1, $2)`, [OUTBOX_CHANNEL, JSON.stringify(notice)]);
  }
}
