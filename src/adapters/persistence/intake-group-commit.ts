import { DataSource, EntityManager } from 'typeorm';
import { Case, CaseAttachment } from '../../domain/case/case';
import { DedupeKey, InsertOutcome } from '../../domain/case/case-repository.port';
import { formatReference, ReferenceScope } from '../../domain/case/reference-number';
import { TimelineEvent } from '../../domain/case/timeline-event';
import { OutgoingMail } from '../../domain/notifications/outgoing-mail';
import { CASE_CASTS, CASE_COLUMNS, CaseMapper } from './case.mapper';

/** The NOTIFY channel that wakes every instance after a case change commits. */
export const OUTBOX_CHANNEL = 'loket_outbox';

/** What an outbox row (and its NOTIFY) carries. */
export interface OutboxPayload {
  outboxId: string;
  caseId: string;
  eventIds: string[];
  created: boolean;
}

export interface PendingInsert {
  caseId: string;
  scope: ReferenceScope;
  build: (reference: string) => Case;
  dedupe: DedupeKey | null;
}

/** Intakes arriving while a batch commits wait for the next one; this caps one transaction. */
const MAX_BATCH = 100;

/** Text that full-text search should find: human text on the timeline. */
export function searchableText(events: readonly TimelineEvent[]): string {
  return events
    .map((e) => e.text)
    .filter((t): t is string => !!t)
    .map((t) => ` ${t}`)
    .join('');
}

/**
 * Stores events, their outbox rows and queues one NOTIFY per case (delivered at commit), in
 * three statements whatever the number of cases.
 */
export async function appendEvents(m: EntityManager, cases: { c: Case; created: boolean }[], withMails = true): Promise<void> {
  await insertAttachments(m, cases.flatMap(({ c }) => c.pendingAttachments()));
  const withEvents = cases.filter(({ c }) => c.pendingEvents().length > 0);
  if (withEvents.length === 0) return;
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const { c } of withEvents) {
    for (const e of c.pendingEvents()) {
      const b = values.length;
      values.push(e.caseId, e.type, e.actor.id, e.actor.kind, e.at.toISOString(),
        e.before ? JSON.stringify(e.before) : null, e.after ? JSON.stringify(e.after) : null, e.text);
      tuples.push(`($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::timestamptz, $${b + 6}::jsonb, $${b + 7}::jsonb, $${b + 8})`);
    }
  }
  const inserted = (await m.query(
    `INSERT INTO case_events (case_id, type, actor_id, actor_kind, at, before, after, text) VALUES ${tuples.join(', ')}
     RETURNING id::text AS id, case_id::text AS case_id`,
    values,
  )) as { id: string; case_id: string }[];
  const idsByCase = new Map<string, string[]>();
  for (const r of inserted) idsByCase.set(r.case_id, [...(idsByCase.get(r.case_id) ?? []), r.id]);

  const payloads = withEvents.map(({ c, created }) => ({ caseId: c.id, eventIds: idsByCase.get(c.id) ?? [], created }));
  const outboxValues: unknown[] = [];
  const outboxTuples = payloads.map((p) => {
    const b = outboxValues.length;
    outboxValues.push(p.created ? 'case.created' : 'case.changed', p.caseId, JSON.stringify(p));
    return `($${b + 1}, $${b + 2}::uuid, $${b + 3}::jsonb)`;
  });
  const outbox = (await m.query(
    `INSERT INTO outbox (topic, case_id, payload) VALUES ${outboxTuples.join(', ')} RETURNING id::text AS id, case_id::text AS case_id`,
    outboxValues,
  )) as { id: string; case_id: string }[];
  const outboxIdByCase = new Map(outbox.map((r) => [r.case_id, r.id]));
  if (withMails) await insertMails(m, withEvents.flatMap(({ c }) => c.pendingMails()));
  const notices = payloads.map((p) => JSON.stringify({ outboxId: outboxIdByCase.get(p.caseId), ...p } satisfies Partial<OutboxPayload>));
  await m.query(`SELECT pg_notify($1, n) FROM unnest($2::text[]) AS n`, [OUTBOX_CHANNEL, notices]);
}

/** Files linked by the change; the foreign key to stored_files refuses an unknown file. */
async function insertAttachments(m: EntityManager, attachments: readonly CaseAttachment[]): Promise<void> {
  if (attachments.length === 0) return;
  await m.query(
    `INSERT INTO case_attachments (case_id, file_id, filename, source)
     SELECT c::uuid, f, n, s FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(c, f, n, s)
     ON CONFLICT DO NOTHING`,
    [attachments.map((a) => a.caseId), attachments.map((a) => a.fileId), attachments.map((a) => a.filename.slice(0, 255)), attachments.map((a) => a.source)],
  );
}

/** Outgoing mails asked for by the change, due at once; the mail worker sends them after commit. */
async function insertMails(m: EntityManager, mails: readonly OutgoingMail[]): Promise<void> {
  if (mails.length === 0) return;
  const values: unknown[] = [];
  const tuples = mails.map((mail) => {
    const b = values.length;
    values.push(mail.id, mail.caseId, mail.kind, mail.to, mail.subject, mail.text, mail.inReplyTo, mail.references);
    return `($${b + 1}::uuid, $${b + 2}::uuid, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}::text[], now(), now())`;
  });
  await m.query(
    `INSERT INTO outgoing_mails (id, case_id, kind, recipient, subject, body, in_reply_to, "references", next_attempt_at, created_at) VALUES ${tuples.join(', ')}`,
    values,
  );
}

const INSERT_COLUMNS = `${CASE_COLUMNS.join(', ')}, version, search_text`;
const PARAMS_PER_CASE = CASE_COLUMNS.length + 1;

/** Batches written at the same time; a new batch forms as soon as one of them commits. */
const MAX_IN_FLIGHT = 4;

type Waiter = { item: PendingInsert; resolve: (o: InsertOutcome) => void; reject: (e: unknown) => void };

/**
 * Group commit for intake: concurrent intakes are written together, one transaction per
 * batch, with a few batches in flight. Each caller is answered only after its own batch has
 * committed. Reference numbers stay gapless and unique: each batch draws a block from the
 * counter of each scope, in a fixed order (no deadlock between batches or instances), as its
 * last step before commit, so the counter's row lock is held as briefly as possible.
 */
export class IntakeGroupCommit {
  private queue: Waiter[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly ds: DataSource,
    private readonly mapper: CaseMapper,
  ) {}

  insert(item: PendingInsert): Promise<InsertOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight < MAX_IN_FLIGHT) {
        this.scheduled = true;
        // Let the callers of this tick join the batch.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiter[]): Promise<void> {
    try {
      const outcomes = await this.write(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(outcomes[i]));
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      // One bad intake must not fail the others: retry each on its own.
      for (const b of batch) {
        try {
          b.resolve((await this.write([b.item]))[0]);
        } catch (e) {
          b.reject(e);
        }
      }
    }
  }

  private write(items: PendingInsert[]): Promise<InsertOutcome[]> {
    return this.ds.transaction((m) => this.writeWithin(m, items));
  }

  /**
   * Inserts the items inside the caller's transaction, so that other rows (a complaint-box
   * opening) commit or roll back together with the cases. Same steps as a group-commit batch;
   * with `referencesFirst` the numbers are drawn before the cases are stored, for a writer
   * that takes many cases at once and may hold the counter for the rest of its transaction
   * (it is built and stored once instead of twice).
   */
  async writeWithin(m: EntityManager, items: PendingInsert[], options: { referencesFirst?: boolean } = {}): Promise<InsertOutcome[]> {
    const outcomes: (InsertOutcome | null)[] = items.map(() => null);
    const keyed = items.map((item, i) => ({ item, i })).filter(({ item }) => item.dedupe);
    if (keyed.length > 0) {
      // Claimed first and in key order: a concurrent intake with the same key waits here.
      keyed.sort((a, b) => (a.item.dedupe!.key < b.item.dedupe!.key ? -1 : 1));
      await m.query(
        `INSERT INTO intake_keys (key, fingerprint, case_id)
         SELECT k, f, c::uuid FROM unnest($1::text[], $2::text[], $3::text[]) AS t(k, f, c)
         ON CONFLICT (key) DO NOTHING`,
        [keyed.map((k) => k.item.dedupe!.key), keyed.map((k) => k.item.dedupe!.fingerprint), keyed.map((k) => k.item.caseId)],
      );
      const owners = (await m.query(`SELECT key, case_id::text AS case_id, fingerprint FROM intake_keys WHERE key = ANY($1::text[])`, [
        keyed.map((k) => k.item.dedupe!.key),
      ])) as { key: string; case_id: string; fingerprint: string }[];
      const byKey = new Map(owners.map((o) => [o.key, o]));
      for (const { item, i } of keyed) {
        const owner = byKey.get(item.dedupe!.key)!;
        if (owner.case_id !== item.caseId) outcomes[i] = { created: false, caseId: owner.case_id, fingerprint: owner.fingerprint };
      }
    }
    const toCreate = items.map((item, i) => ({ item, i })).filter(({ i }) => outcomes[i] === null);
    if (toCreate.length === 0) return outcomes as InsertOutcome[];

    if (options.referencesFirst) {
      // Numbered at once: each case is built and stored once, with its real reference (no
      // second build, no UPDATE that would write every index entry of the row again).
      const references = await this.drawReferences(m, toCreate.map(({ item }) => item.scope));
      const finals = toCreate.map(({ item, i }, j) => {
        const c = buildChecked(item, references[j]);
        outcomes[i] = { created: true, case: c };
        return c;
      });
      await this.insertCases(m, finals);
      await appendEvents(m, finals.map((c) => ({ c, created: true })));
      return outcomes as InsertOutcome[];
    }

    // Stored under a placeholder reference; the real one is set just before commit.
    const drafts = toCreate.map(({ item }) => buildChecked(item, `PENDING-${item.caseId}`));
    await this.insertCases(m, drafts);
    // Mails wait for the real reference numbers (their text quotes them).
    await appendEvents(m, drafts.map((c) => ({ c, created: true })), false);
    const references = await this.drawReferences(m, toCreate.map(({ item }) => item.scope));
    await m.query(
      `UPDATE cases SET reference = v.reference FROM unnest($1::uuid[], $2::text[]) AS v(id, reference) WHERE cases.id = v.id`,
      [toCreate.map(({ item }) => item.caseId), references],
    );
    const finals = toCreate.map(({ item, i }, j) => {
      // The same inputs give the same case; rebuilt so that it carries its real reference.
      const c = item.build(references[j]);
      outcomes[i] = { created: true, case: c };
      return c;
    });
    await insertMails(m, finals.flatMap((c) => c.pendingMails()));
    return outcomes as InsertOutcome[];
  }

  private async insertCases(m: EntityManager, cases: Case[]): Promise<void> {
    const values: unknown[] = [];
    const tuples = cases.map((c) => {
      const p = c.snapshot();
      const b = values.length;
      values.push(...this.mapper.propsToParams(p), [p.subject, p.description ?? ''].join(' ') + searchableText(c.pendingEvents()));
      const casts = CASE_COLUMNS.map((col, j) => `$${b + j + 1}::${CASE_CASTS[col]}`);
      return `(${casts.join(', ')}, 0, $${b + PARAMS_PER_CASE})`;
    });
    await m.query(`INSERT INTO cases (${INSERT_COLUMNS}) VALUES ${tuples.join(', ')}`, values);
  }

  /**
   * The next reference numbers, one per given scope (in that order). Each scope's counter is
   * advanced once for all its cases, in a fixed scope order (no deadlock between writers);
   * its row stays locked until the transaction ends, which keeps the numbers gapless.
   */
  private async drawReferences(m: EntityManager, wanted: ReferenceScope[]): Promise<string[]> {
    const scopes = [...new Map(wanted.map((s) => [scopeKey(s), s])).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const next = new Map<string, number>();
    for (const [id, scope] of scopes) {
      const count = wanted.filter((s) => scopeKey(s) === id).length;
      const [{ last_value }] = (await m.query(
        `INSERT INTO reference_counters (prefix, year, last_value) VALUES ($1, $2, $3)
         ON CONFLICT (prefix, year) DO UPDATE SET last_value = reference_counters.last_value + EXCLUDED.last_value
         RETURNING last_value`,
        [scope.prefix, scope.year, count],
      )) as { last_value: number }[];
      next.set(id, Number(last_value) - count + 1);
    }
    return wanted.map((scope) => {
      const sequence = next.get(scopeKey(scope))!;
      next.set(scopeKey(scope), sequence + 1);
      return formatReference(scope, sequence);
    });
  }
}

function buildChecked(item: PendingInsert, reference: string): Case {
  const c = item.build(reference);
  if (c.id !== item.caseId) throw new Error('built case does not carry the claimed id');
  return c;
}

const scopeKey = (s: ReferenceScope): string => `${s.prefix}|${s.year}`;
