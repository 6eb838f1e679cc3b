import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, SelectQueryBuilder, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { Case, CaseProps } from '../../domain/case/case';
import {
  CaseFilter,
  CaseRepository,
  DedupeKey,
  InsertOutcome,
  Page,
  PageRequest,
  CountResult,
  Slice,
} from '../../domain/case/case-repository.port';
import { OPEN_STATUSES } from '../../domain/case/case-status';
import { ReferenceScope } from '../../domain/case/reference-number';
import { TimelineEvent } from '../../domain/case/timeline-event';
import { DeadlineState } from '../../domain/sla/time-remaining';
import { ConcurrentModificationError, ValidationError } from '../../domain/shared/domain-error';
import { CASE_CASTS, CASE_COLUMNS, CaseMapper, eventRowToEvent } from './case.mapper';
import { appendEvents, IntakeGroupCommit, PendingInsert, searchableText } from './intake-group-commit';

import { CaseEntity, CaseRow } from './entities/case.entity-schema';
import { CaseEventEntity, CaseEventRow } from './entities/case-event.entity-schema';

// Wrapped in a CTE because TypeORM's query() answers a bare UPDATE with [rows, count].
const UPDATE_CASE_SQL = `WITH updated AS (UPDATE cases SET ${CASE_COLUMNS.slice(1)
  .map((c, i) => `${c} = $${i + 2}::${CASE_CASTS[c]}`)
  .join(', ')}, version = version + 1, search_text = search_text || $${CASE_COLUMNS.length + 1}
  WHERE id = $1 AND version = $${CASE_COLUMNS.length + 2} RETURNING id) SELECT id FROM updated`;

/** SQL per deadline state, as timeRemaining decides it (parameters :open and :now). */
const DEADLINE_STATE_SQL: Record<DeadlineState, string> = {
  BREACHED: `(c.status IN (:...open) AND c.due_at <= :now)`,
  AT_RISK: `(c.status IN (:...open) AND c.due_at > :now AND c.warn_at <= :now)`,
  ON_TRACK: `(c.status IN (:...open) AND c.due_at > :now AND (c.warn_at IS NULL OR c.warn_at > :now))`,
  PAUSED: `(c.status = 'WAITING')`,
  NONE: `(c.status <> 'WAITING' AND NOT (c.status IN (:...open) AND c.due_at IS NOT NULL))`,
};

const encodeCursor = (parts: string[]): string => Buffer.from(parts.join('|'), 'utf8').toString('base64url');
function decodeCursor(cursor: string, expectedParts: number): string[] {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== expectedParts || parts.some((p) => p.length === 0)) {
    throw ValidationError.single('after', 'is not a valid cursor');
  }
  return parts;
}

/** A case this instance created, as counted after its transaction committed. */
export interface CreatedCase {
  channel: string;
  kind: string;
}

/** Case storage on PostgreSQL (or PGlite) through TypeORM. */
/** The event-writing transactions of this database: holders of the lock case_event_next_id() takes. */
const EVENT_WRITERS = `SELECT virtualtransaction AS vxid FROM pg_locks
  WHERE locktype = 'advisory' AND classid = 1280262981 AND objid = 1 AND objsubid = 2 AND granted
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

export class TypeormCaseRepository implements CaseRepository {
  private readonly intakes: IntakeGroupCommit;
  private readonly createdListeners = new Set<(cases: CreatedCase[]) => void>();
  /** Cases created inside a caller's transaction, announced once it commits (dropped on rollback). */
  private readonly createdPending = new WeakMap<QueryRunner, CreatedCase[]>();

  constructor(
    private readonly ds: DataSource,
    private readonly mapper: CaseMapper,
  ) {
    this.intakes = new IntakeGroupCommit(ds, mapper);
  }

  /**
   * Calls `listener` with the cases this instance created, after their transaction committed
   * (for the created-cases counter). Returns the unsubscribe.
   */
  onCasesCreated(listener: (cases: CreatedCase[]) => void): () => void {
    if (this.createdListeners.size === 0 && !this.ds.subscribers.includes(this.commitWatcher)) this.ds.subscribers.push(this.commitWatcher);
    this.createdListeners.add(listener);
    return () => this.createdListeners.delete(listener);
  }

  private readonly commitWatcher: EntitySubscriberInterface = {
    afterTransactionCommit: (event: TransactionCommitEvent) => {
      // A released savepoint is not the commit: wait for the outermost transaction.
      if (!event.queryRunner || event.queryRunner.isTransactionActive) return;
      const pending = this.createdPending.get(event.queryRunner);
      if (!pending) return;
      this.createdPending.delete(event.queryRunner);
      this.announceCreated(pending);
    },
    afterTransactionRollback: (event: TransactionRollbackEvent) => {
      if (event.queryRunner && !event.queryRunner.isTransactionActive) this.createdPending.delete(event.queryRunner);
    },
  };

  private announceCreated(cases: CreatedCase[]): void {
    if (cases.length === 0) return;
    for (const l of this.createdListeners) {
      try {
        l(cases);
      } catch {
        // A counter must never fail an intake.
      }
    }
  }

  private static created(outcomes: InsertOutcome[]): CreatedCase[] {
    return outcomes.flatMap((o) => (o.created ? [{ channel: o.case.snapshot().channel, kind: o.case.kind }] : []));
  }

  /** Concurrent intakes are grouped into one transaction (see IntakeGroupCommit). */
  insertNew(caseId: string, scope: ReferenceScope, build: (reference: string) => Case, dedupe: DedupeKey | null): Promise<InsertOutcome> {
    return this.intakes.insert({ caseId, scope, build, dedupe }).then((outcome) => {
      // The group commit answers after its batch committed.
      if (this.createdListeners.size > 0) this.announceCreated(TypeormCaseRepository.created([outcome]));
      return outcome;
    });
  }

  /** Inserts new cases inside the caller's transaction (a batch that commits with other rows). */
  async insertWithin(m: EntityManager, items: PendingInsert[], options: { referencesFirst?: boolean } = {}): Promise<InsertOutcome[]> {
    const outcomes = await this.intakes.writeWithin(m, items, options);
    const runner = m.queryRunner;
    if (this.createdListeners.size > 0 && runner) {
      this.createdPending.set(runner, [...(this.createdPending.get(runner) ?? []), ...TypeormCaseRepository.created(outcomes)]);
    }
    return outcomes;
  }

  async findById(id: string): Promise<Case | null> {
    const row = await this.ds.getRepository(CaseEntity).findOneBy({ id });
    return row ? this.mapper.rowToCase(row) : null;
  }

  async findIdByDedupeKey(key: string): Promise<string | null> {
    const [r] = (await this.ds.query(`SELECT case_id::text AS case_id FROM intake_keys WHERE key = $1`, [key])) as { case_id: string }[];
    return r?.case_id ?? null;
  }

  async findByReference(reference: string): Promise<Case | null> {
    const row = await this.ds.getRepository(CaseEntity).findOneBy({ reference });
    return row ? this.mapper.rowToCase(row) : null;
  }

  async save(cases: Case[]): Promise<void> {
    await this.ds.transaction((m) => this.write(m, cases));
    for (const c of cases) c.clearPendingEvents();
  }

  async saveClaiming(c: Case, claim: DedupeKey): Promise<boolean> {
    const stored = await this.ds.transaction(async (m) => {
      const claimed: unknown[] = await m.query(
        `INSERT INTO intake_keys (key, fingerprint, case_id) VALUES ($1, $2, $3::uuid) ON CONFLICT (key) DO NOTHING RETURNING key`,
        [claim.key, claim.fingerprint, c.id],
      );
      if (claimed.length === 0) return false;
      await this.write(m, [c]);
      return true;
    });
    if (stored) c.clearPendingEvents();
    return stored;
  }

  /** Stores changes of loaded cases inside the caller's transaction (as `save` does in its own). */
  async saveWithin(m: EntityManager, cases: Case[]): Promise<void> {
    if (cases.length === 0) return;
    await this.write(m, cases);
    for (const c of cases) c.clearPendingEvents();
  }

  /**
   * Open cases with a running clock, ids above `afterId` ascending, locked (FOR UPDATE) in the
   * caller's transaction: a concurrent change of one of them waits, then retries on fresh state.
   * With a window, only cases whose clock started before `to` and that fall due at or after `from`.
   */
  async openCasesWithin(m: EntityManager, window: { from: Date; to: Date } | null, afterId: string | null, limit: number): Promise<Case[]> {
    const qb = m
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .where('c.status IN (:...open)', { open: OPEN_STATUSES })
      .andWhere('c.clock_started_at IS NOT NULL');
    if (window) {
      qb.andWhere('c.due_at >= :from', { from: window.from.toISOString() }).andWhere('c.clock_started_at < :to', { to: window.to.toISOString() });
    }
    if (afterId) qb.andWhere('c.id > :afterId', { afterId });
    const rows = await qb.orderBy('c.id', 'ASC').limit(limit).setLock('pessimistic_write').getMany();
    return rows.map((r) => this.mapper.rowToCase(r));
  }

  private async write(m: EntityManager, cases: Case[]): Promise<void> {
    for (const c of cases) {
      const props = c.snapshot();
      const updated: unknown[] = await m.query(UPDATE_CASE_SQL, [
        ...this.mapper.propsToParams(props),
        searchableText(c.pendingEvents()),
        props.version,
      ]);
      if (updated.length === 0) throw new ConcurrentModificationError(c.id);
    }
    await appendEvents(m, cases.map((c) => ({ c, created: false })));
  }

  /**
   * Moves any NIK still stored in plain text inside the requester JSON (written before
   * encryption existed) into the encrypted column. Returns how many cases changed.
   */
  async sealPlainNiks(): Promise<number> {
    const rows = (await this.ds.query(`SELECT id::text AS id, requester ->> 'nik' AS nik FROM cases WHERE requester ? 'nik'`)) as {
      id: string;
      nik: string | null;
    }[];
    for (const r of rows) {
      await this.ds.query(
        `WITH u AS (UPDATE cases SET requester = requester - 'nik', nik_ciphertext = COALESCE($2, nik_ciphertext), nik_index = COALESCE($3, nik_index)
         WHERE id = $1::uuid RETURNING id) SELECT id FROM u`,
        [r.id, r.nik ? this.mapper.encryptNik(r.nik) : null, r.nik ? this.mapper.nikIndex(r.nik) : null],
      );
    }
    return rows.length;
  }

  async findByRequester(identity: { nik: string | null; email: string | null; phone: string | null }): Promise<Case[]> {
    const qb = this.ds.getRepository(CaseEntity).createQueryBuilder('c');
    const or: string[] = [];
    if (identity.nik) or.push('c.nik_index = :nikIndex');
    if (identity.email) or.push(`c.requester ->> 'email' = :email`);
    if (identity.phone) or.push(`c.requester ->> 'phone' = :phone`);
    if (or.length === 0) return [];
    const rows = await qb
      .where(`(${or.join(' OR ')})`, {
        nikIndex: identity.nik ? this.mapper.nikIndex(identity.nik) : null,
        email: identity.email,
        phone: identity.phone,
      })
      .orderBy('c.received_at', 'ASC')
      .getMany();
    return rows.map((r) => this.mapper.rowToCase(r));
  }

  async findByAttachment(fileId: string): Promise<CaseProps[]> {
    const rows = await this.ds
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .where('c.id IN (SELECT a.case_id FROM case_attachments a WHERE a.file_id = :fileId)', { fileId })
      .getMany();
    return rows.map((r) => this.mapper.rowToProps(r));
  }

  async findForRetention(before: Date, limit: number): Promise<Case[]> {
    const rows = await this.ds
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .where(`c.status IN ('CLOSED', 'REJECTED', 'MERGED')`)
      .andWhere('c.updated_at < :before', { before: before.toISOString() })
      .andWhere(`(c.requester IS NOT NULL OR c.channel_details <> '{}'::jsonb)`)
      .orderBy('c.updated_at', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map((r) => this.mapper.rowToCase(r));
  }

  /** The cases matching `filter` at `now`, unordered. */
  private filtered(filter: CaseFilter, now: Date): SelectQueryBuilder<CaseRow> {
    const qb = this.ds.getRepository(CaseEntity).createQueryBuilder('c');
    if (filter.kinds?.length) qb.andWhere('c.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.channels?.length) qb.andWhere('c.channel IN (:...channels)', { channels: filter.channels });
    if (filter.statuses?.length) qb.andWhere('c.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.complaintClasses?.length) {
      qb.andWhere('c.complaint_class IN (:...classes)', { classes: filter.complaintClasses });
    }
    if (filter.laporTrackingId) qb.andWhere('c.id IN (SELECT case_id FROM lapor_cases WHERE tracking_id = :laporTrackingId)', { laporTrackingId: filter.laporTrackingId });
    if (filter.assignee) qb.andWhere('c.assignee = :assignee', { assignee: filter.assignee });
    if (filter.assignedUserId) qb.andWhere('c.assigned_user_id = :assignedUserId', { assignedUserId: filter.assignedUserId });
    if (filter.receivedFrom) qb.andWhere('c.received_at >= :from', { from: filter.receivedFrom.toISOString() });
    if (filter.receivedTo) qb.andWhere('c.received_at < :to', { to: filter.receivedTo.toISOString() });
    if (filter.overdue !== undefined) {
      const overdue = `(c.status IN (:...open) AND c.due_at < :now)`;
      qb.andWhere(filter.overdue ? overdue : `NOT ${overdue}`, { open: OPEN_STATUSES, now: now.toISOString() });
    }
    if (filter.text?.trim()) {
      qb.andWhere(`c.search_vector @@ websearch_to_tsquery('indonesian', :text)`, { text: filter.text.trim() });
    }
    if (filter.deadlineStates?.length) {
      qb.andWhere(`(${filter.deadlineStates.map((s) => DEADLINE_STATE_SQL[s]).join(' OR ')})`, { open: OPEN_STATUSES, now: now.toISOString() });
    }
    return qb;
  }

  async count(filter: CaseFilter, now: Date, cap: number): Promise<CountResult> {
    // Counting stops after cap + 1 matches: the cost is bounded by the cap, not by the table.
    const [sql, params] = this.filtered(filter, now).select('c.id').limit(cap + 1).getQueryAndParameters();
    const rows = (await this.ds.query(`SELECT count(*)::int AS n FROM (${sql}) AS matching`, params)) as { n: number }[];
    const n = Number(rows[0]?.n ?? 0);
    return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
  }

  async search(filter: CaseFilter, page: PageRequest, now: Date): Promise<Slice<CaseProps>> {
    const qb = this.filtered(filter, now);
    if (filter.order === 'DUE_AT') return this.pageByDueAt(qb, page);
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
      const node = this.mapper.rowToProps(row);
      return { cursor: encodeCursor([node.receivedAt.toISOString(), node.id]), node };
    });
    return { edges, hasNextPage };
  }

  /** Nearest deadline first, cases without one last; the cursor is (due_at or '-', id). */
  private async pageByDueAt(qb: SelectQueryBuilder<CaseRow>, page: PageRequest): Promise<Slice<CaseProps>> {
    if (page.after) {
      const [tag, dueAt, id] = decodeCursor(page.after, 3);
      if (tag !== 'due' || (dueAt !== '-' && Number.isNaN(Date.parse(dueAt)))) throw ValidationError.single('after', 'is not a valid cursor');
      if (dueAt === '-') qb.andWhere('(c.due_at IS NULL AND c.id > :cursorId::uuid)', { cursorId: id });
      else {
        qb.andWhere('(c.due_at > :cursorDue::timestamptz OR (c.due_at = :cursorDue::timestamptz AND c.id > :cursorId::uuid) OR c.due_at IS NULL)', {
          cursorDue: dueAt,
          cursorId: id,
        });
      }
    }
    const rows = await qb.orderBy('c.due_at', 'ASC', 'NULLS LAST').addOrderBy('c.id', 'ASC').limit(page.first + 1).getMany();
    const edges = rows.slice(0, page.first).map((row: CaseRow) => {
      const node = this.mapper.rowToProps(row);
      return { cursor: encodeCursor(['due', node.dueAt?.toISOString() ?? '-', node.id]), node };
    });
    return { edges, hasNextPage: rows.length > page.first };
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

  async eventsAfter(afterId: string | null, caseId: string | null, limit: number, upTo: string | null = null): Promise<TimelineEvent[]> {
    const qb = this.ds.getRepository(CaseEventEntity).createQueryBuilder('e');
    if (afterId) qb.andWhere('e.id > :afterId', { afterId });
    if (upTo) qb.andWhere('e.id <= :upTo', { upTo });
    if (caseId) qb.andWhere('e.case_id = :caseId', { caseId });
    const rows = await qb.orderBy('e.id', 'ASC').limit(limit).getMany();
    return rows.map(eventRowToEvent);
  }

  /**
   * First half of the event stream's safe horizon (see OutboxEventBus): the last event id
   * drawn, then (strictly after it was read) the transactions holding the event writers' lock,
   * which are the only ones that may still commit an id up to it.
   */
  async eventHorizonProbe(): Promise<{ lastId: string; writers: string[] }> {
    const [seq] = (await this.ds.query(
      `SELECT (CASE WHEN is_called THEN last_value ELSE last_value - 1 END)::text AS last_id FROM case_events_id_seq`,
    )) as { last_id: string }[];
    const writers = (await this.ds.query(`${EVENT_WRITERS}`)) as { vxid: string }[];
    return { lastId: seq.last_id, writers: writers.map((w) => w.vxid) };
  }

  /** Which of these event-writing transactions still run (hold the event writers' lock). */
  async eventWritersRunning(writers: string[]): Promise<string[]> {
    const rows = (await this.ds.query(`${EVENT_WRITERS} AND virtualtransaction = ANY($1::text[])`, [writers])) as { vxid: string }[];
    return rows.map((r) => r.vxid);
  }

  /** Committed events with id in (after, upTo], oldest first, with their cases as they are now. */
  async changesBetween(after: string, upTo: string, limit: number): Promise<{ events: TimelineEvent[]; cases: Map<string, CaseProps> }> {
    const rows = await this.ds
      .getRepository(CaseEventEntity)
      .createQueryBuilder('e')
      .where('e.id > :after AND e.id <= :upTo', { after, upTo })
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getMany();
    const events = rows.map(eventRowToEvent);
    const ids = [...new Set(events.map((e) => e.caseId))];
    const caseRows = ids.length ? await this.ds.getRepository(CaseEntity).createQueryBuilder('c').where('c.id IN (:...ids)', { ids }).getMany() : [];
    return { events, cases: new Map(caseRows.map((r) => [r.id, this.mapper.rowToProps(r)])) };
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
    return { case: this.mapper.rowToProps(row), events: events.map(eventRowToEvent) };
  }

  /**
   * Drops outbox rows older than `before`: they record what each change notified (for
   * inspection); the event stream reads the timeline itself. Returns how many went.
   */
  async pruneOutbox(before: Date): Promise<number> {
    const rows: unknown[] = await this.ds.query(
      `WITH gone AS (DELETE FROM outbox WHERE created_at < $1::timestamptz RETURNING id) SELECT id FROM gone`,
      [before.toISOString()],
    );
    return rows.length;
  }
}
