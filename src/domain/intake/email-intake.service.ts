import { randomUUID } from 'node:crypto';
import { Case } from '../case/case';
import { CaseRepository } from '../case/case-repository.port';
import { Actor } from '../case/timeline-event';
import { acknowledgementMail } from '../notifications/mail-texts';
import { Clock } from '../shared/clock.port';
import { DomainError, ValidationError } from '../shared/domain-error';
import { retryOnConflict } from '../case/retry-on-conflict';
import { isValidEmail } from '../case/requester';
import { EmailLedger, EmailOutcome, EmailRecord } from './email-ledger.port';
import { InboundMessage } from './inbound-message';
import { IntakeService, PreparedCase } from './intake.service';

const EMAIL_ACTOR: Actor = { id: 'system:email', kind: 'SYSTEM' };
const MAX_SUBJECT = 300;
/** Longer text is cut (the raw message is kept whole); the intake refuses descriptions over 20,000. */
const MAX_TEXT = 19_000;
const MAX_NAME = 200;

export interface EmailIntakeResult {
  outcome: EmailOutcome | 'ALREADY_PROCESSED';
  caseId: string | null;
  reason: string | null;
}

/** The outcome of one message of a batch: its result, or why it could not be handled now. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

/** New cases written in one transaction at most (the batch is flushed at this size). */
const MAX_PENDING = 250;

/** Messages of a batch waiting to be written together: new cases and plain ledger entries. */
interface Pending {
  cases: { i: number; msg: InboundMessage; prepared: PreparedCase; knownId: string | null }[];
  entries: { i: number; entry: EmailRecord; result: EmailIntakeResult }[];
  /** Dedupe keys and (lowercased) Message-IDs of the pending messages. */
  keys: Set<string>;
  messageIds: Set<string>;
}

/**
 * What becomes of an inbound email: it joins its case (reference in the subject, or a reply
 * to mail Loket sent or received), becomes a new complaint with an acknowledgement, is set
 * aside as automatic mail, or records a bounce on the case whose mail bounced. Every step
 * is idempotent (dedupe key = Message-ID or a hash of the raw message), so a crash before the
 * message is moved on the server only makes the next run find it already done.
 *
 * Messages come in batches (one IMAP fetch): new cases and ledger entries of a batch are
 * written in one transaction, in the order of the messages as far as threading needs it (a
 * reply to a message of the same batch waits until that message is written).
 */
export class EmailIntakeService {
  constructor(
    private readonly intake: IntakeService,
    private readonly cases: CaseRepository,
    private readonly ledger: EmailLedger,
    private readonly clock: Clock,
    /** Named in the acknowledgement: where the citizen looks up the status. */
    private readonly statusPageUrl: string,
  ) {}

  async handle(msg: InboundMessage): Promise<EmailIntakeResult> {
    const [r] = await this.handleBatch([msg]);
    if (!r.ok) throw r.error;
    return r.value;
  }

  /**
   * Handles messages in order; each gets its own result or error (one bad message never
   * fails the others). Rejects only when the batch could not even be looked up; then
   * nothing of it was written.
   */
  async handleBatch(msgs: InboundMessage[]): Promise<Settled<EmailIntakeResult>[]> {
    const out: Settled<EmailIntakeResult>[] = new Array(msgs.length);
    let known = await this.ledger.findByDedupeKeys([...new Set(msgs.map((m) => m.dedupeKey))]);
    let pending = emptyPending();
    const seen = new Set<string>();
    const flush = async (): Promise<void> => {
      if (pending.cases.length === 0 && pending.entries.length === 0) return;
      const p = pending;
      pending = emptyPending();
      await this.write(p, out);
    };
    for (const i of threadOrder(msgs)) {
      const msg = msgs[i];
      // A repeat of a message of this batch, or a reply to one, waits until that one is written.
      const refersToPending = msg.relatedMessageIds.some((id) => pending.messageIds.has(id.toLowerCase()));
      if (pending.keys.has(msg.dedupeKey) || refersToPending || pending.cases.length >= MAX_PENDING) await flush();
      if (seen.has(msg.dedupeKey)) known = new Map([...known, ...(await this.ledger.findByDedupeKeys([msg.dedupeKey]))]);
      seen.add(msg.dedupeKey);
      const k = known.get(msg.dedupeKey);
      if (k && k.outcome !== 'QUARANTINED') {
        out[i] = { ok: true, value: { outcome: 'ALREADY_PROCESSED', caseId: k.caseId, reason: k.reason } };
        continue;
      }
      try {
        await this.decide(i, msg, k?.id ?? null, pending, out);
      } catch (error) {
        out[i] = { ok: false, error: error as Error };
      }
    }
    await flush();
    return out;
  }

  /** Sets a message aside for a person to look at: kept raw, with the reason. */
  async quarantine(dedupeKey: string, rawFileId: string, messageId: string | null, reason: string, receivedAt: Date): Promise<void> {
    const known = await this.ledger.findByDedupeKey(dedupeKey);
    if (known && known.outcome !== 'QUARANTINED') return;
    await this.ledger.record({
      id: known?.id ?? randomUUID(), dedupeKey, messageId, rawFileId, outcome: 'QUARANTINED', reason, caseId: null, receivedAt, processedAt: this.clock.now(),
    });
  }

  /**
   * Decides one message: a join or a bounce is written at once (it changes an existing case);
   * a new case or a suppressed message joins the pending batch.
   */
  private async decide(i: number, msg: InboundMessage, knownId: string | null, pending: Pending, out: Settled<EmailIntakeResult>[]): Promise<void> {
    const entry = (outcome: EmailOutcome, caseId: string | null, reason: string | null): EmailRecord => ({
      id: knownId ?? randomUUID(), dedupeKey: msg.dedupeKey, messageId: msg.messageId, rawFileId: msg.rawFileId,
      outcome, reason, caseId, receivedAt: msg.receivedAt, processedAt: this.clock.now(),
    });
    const done = async (outcome: EmailOutcome, caseId: string, reason: string | null): Promise<void> => {
      await this.ledger.record(entry(outcome, caseId, reason));
      out[i] = { ok: true, value: { outcome, caseId, reason } };
    };
    if (msg.automatic) {
      if (msg.bounceOf) {
        const caseId = await this.ledger.caseOfMessageIds([msg.bounceOf]);
        if (caseId) {
          await this.onCase(caseId, (c, now) => c.recordDeliveryFailure(msg.bounceOf!, msg.automatic!.reason, EMAIL_ACTOR, now), msg.dedupeKey);
          return done('DELIVERY_FAILURE', caseId, msg.automatic.reason);
        }
      }
      const reason = `${msg.automatic.kind}: ${msg.automatic.reason}`;
      addPending(pending, msg, { i, entry: entry('SUPPRESSED', null, reason), result: { outcome: 'SUPPRESSED', caseId: null, reason } });
      return;
    }
    const target = await this.findThread(msg);
    if (target) {
      await this.onCase(
        target.id,
        (c, now) => {
          c.recordIncomingMessage(
            { channel: 'EMAIL', from: msg.from.address, subject: msg.subject, messageId: msg.messageId, attachments: msg.attachments },
            this.bodyWithNotes(msg),
            EMAIL_ACTOR,
            now,
          );
          for (const a of msg.attachments) c.attachFile(a.fileId, a.filename, 'EMAIL');
        },
        msg.dedupeKey,
      );
      return done('JOINED', target.id, null);
    }
    const subject = msg.subject.trim().slice(0, MAX_SUBJECT) || '(tanpa subjek)';
    // An address the desk cannot write to is left out: the case keeps the name, with no acknowledgement.
    const email = msg.from.address && isValidEmail(msg.from.address.toLowerCase()) ? msg.from.address : null;
    const [prepared] = await this.intake.prepareEach(
      [
        {
          item: {
            kind: 'COMPLAINT',
            channel: 'EMAIL',
            subject,
            description: this.bodyWithNotes(msg) || null,
            receivedAt: msg.receivedAt,
            requester: { name: msg.from.name?.slice(0, MAX_NAME) ?? null, email },
            channelDetails: msg.messageId ? { messageId: msg.messageId } : {},
            dedupeKey: msg.dedupeKey,
          },
          decorate: (c) => {
            const to = c.snapshot().requester?.email;
            if (to) c.requestMail('ACKNOWLEDGEMENT', to, acknowledgementMail(c.snapshot(), this.statusPageUrl), { inReplyTo: msg.messageId, references: msg.messageId ? [msg.messageId] : [] });
            for (const a of msg.attachments) c.attachFile(a.fileId, a.filename, 'EMAIL');
          },
        },
      ],
      EMAIL_ACTOR,
    );
    if (prepared instanceof ValidationError) throw prepared;
    addPending(pending, msg, { i, msg, prepared, knownId });
  }

  /**
   * Writes the pending new cases and entries in one transaction and answers their messages.
   * When that fails, each is tried alone, so that one bad message fails only itself.
   */
  private async write(p: Pending, out: Settled<EmailIntakeResult>[]): Promise<void> {
    try {
      await this.writeTogether(p, out);
    } catch (error) {
      if (p.cases.length + p.entries.length === 1) {
        for (const { i } of [...p.cases, ...p.entries]) out[i] = { ok: false, error: error as Error };
        return;
      }
      const alone = [
        ...p.cases.map((c) => ({ ...emptyPending(), cases: [c] })),
        ...p.entries.map((e) => ({ ...emptyPending(), entries: [e] })),
      ];
      for (const one of alone) await this.write(one, out);
    }
  }

  private async writeTogether(p: Pending, out: Settled<EmailIntakeResult>[]): Promise<void> {
    const now = this.clock.now();
    const outcomes = await this.ledger.recordIntakes(
      p.cases.map(({ msg, prepared, knownId }) => ({
        prepared,
        entryFor: (o) => {
          // Another message with the same Message-ID made a case first: this one is a repeat.
          if (!o.created && o.fingerprint !== prepared.dedupe?.fingerprint) return null;
          return {
            id: knownId ?? randomUUID(), dedupeKey: msg.dedupeKey, messageId: msg.messageId, rawFileId: msg.rawFileId, outcome: 'CREATED',
            reason: null, caseId: o.created ? o.case.id : o.caseId, receivedAt: msg.receivedAt, processedAt: now,
          };
        },
      })),
      p.entries.map((e) => e.entry),
    );
    p.cases.forEach(({ i, prepared }, j) => {
      const o = outcomes[j];
      if (o.created) out[i] = { ok: true, value: { outcome: 'CREATED', caseId: o.case.id, reason: null } };
      else if (o.fingerprint === prepared.dedupe?.fingerprint) out[i] = { ok: true, value: { outcome: 'CREATED', caseId: o.caseId, reason: null } };
      else out[i] = { ok: true, value: { outcome: 'ALREADY_PROCESSED', caseId: null, reason: 'same Message-ID as an earlier message' } };
    });
    for (const e of p.entries) out[e.i] = { ok: true, value: e.result };
  }

  private async findThread(msg: InboundMessage): Promise<Case | null> {
    if (msg.referenceInSubject) {
      const byRef = await this.cases.findByReference(msg.referenceInSubject);
      if (byRef) return byRef;
    }
    if (msg.relatedMessageIds.length > 0) {
      const caseId = await this.ledger.caseOfMessageIds(msg.relatedMessageIds);
      if (caseId) return this.cases.findById(caseId);
    }
    return null;
  }

  /** The text, plus a note of attachments left out for size (Indonesian: officers read it). */
  private bodyWithNotes(msg: InboundMessage): string {
    const notes = msg.omittedAttachments.map((a) => `[Lampiran "${a.filename}" (${a.size} byte) tidak disimpan karena melebihi batas ukuran; pesan asli disimpan.]`);
    let text = msg.text.trim();
    if (text.length > MAX_TEXT) {
      text = text.slice(0, MAX_TEXT);
      notes.unshift('[Teks dipotong karena terlalu panjang; pesan asli lengkap disimpan.]');
    }
    return [text, ...notes].filter(Boolean).join('\n\n');
  }

  /** Applies a change to a case exactly once per message (the dedupe key is claimed with it). */
  private async onCase(caseId: string, apply: (c: Case, now: Date) => void, dedupeKey: string): Promise<void> {
    await retryOnConflict(async () => {
      const c = await this.cases.findById(caseId);
      if (!c) throw new EmailCaseVanishedError(caseId);
      apply(c, this.clock.now());
      await this.cases.saveClaiming(c, { key: dedupeKey, fingerprint: 'email' });
    });
  }
}

class EmailCaseVanishedError extends DomainError {
  readonly code = 'CASE_NOT_FOUND' as const;
  constructor(caseId: string) {
    super(`Case ${caseId} named by a message no longer exists`);
  }
}


function emptyPending(): Pending {
  return { cases: [], entries: [], keys: new Set(), messageIds: new Set() };
}

function addPending(
  p: Pending,
  msg: InboundMessage,
  item: { i: number; msg: InboundMessage; prepared: PreparedCase; knownId: string | null } | { i: number; entry: EmailRecord; result: EmailIntakeResult },
): void {
  if ('prepared' in item) p.cases.push(item);
  else p.entries.push(item);
  p.keys.add(msg.dedupeKey);
  if (msg.messageId) p.messageIds.add(msg.messageId.toLowerCase());
}

/**
 * The order to handle a batch in: as given, except that a message comes after the messages of
 * the batch it answers (In-Reply-To/References), so that a reply to a reply still finds its thread.
 */
export function threadOrder(msgs: readonly InboundMessage[]): number[] {
  const byId = new Map<string, number>();
  msgs.forEach((m, i) => {
    const id = m.messageId?.toLowerCase();
    if (id && !byId.has(id)) byId.set(id, i);
  });
  const state = new Array<'new' | 'visiting' | 'done'>(msgs.length).fill('new');
  const order: number[] = [];
  const visit = (i: number): void => {
    if (state[i] !== 'new') return; // done, or a cycle of mutual replies (kept in batch order)
    state[i] = 'visiting';
    for (const id of msgs[i].relatedMessageIds) {
      const j = byId.get(id.toLowerCase());
      if (j !== undefined && j !== i) visit(j);
    }
    state[i] = 'done';
    order.push(i);
  };
  msgs.forEach((_m, i) => visit(i));
  return order;
}
