import { randomUUID } from 'node:crypto';
import { Case } from '../case/case';
import { CaseRepository } from '../case/case-repository.port';
import { Actor } from '../case/timeline-event';
import { acknowledgementMail } from '../notifications/mail-texts';
import { Clock } from '../shared/clock.port';
import { DomainError, IdempotencyKeyReusedError } from '../shared/domain-error';
import { retryOnConflict } from '../case/retry-on-conflict';
import { isValidEmail } from '../case/requester';
import { EmailLedger, EmailOutcome } from './email-ledger.port';
import { InboundMessage } from './inbound-message';
import { IntakeService } from './intake.service';

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

/**
 * What becomes of an inbound email: it joins its case (reference in the subject, or a reply
 * to mail Loket sent or received), becomes a new complaint with an acknowledgement, is set
 * aside as automatic mail, or records a bounce on the case whose mail bounced. Every step
 * is idempotent (dedupe key = Message-ID or a hash of the raw message), so a crash before the
 * message is moved on the server only makes the next run find it already done.
 */
export class EmailIntakeService {
  constructor(
    private readonly intake: IntakeService,
    private readonly cases: CaseRepository,
    private readonly ledger: EmailLedger,
    private readonly clock: Clock,
  ) {}

  async handle(msg: InboundMessage): Promise<EmailIntakeResult> {
    const known = await this.ledger.findByDedupeKey(msg.dedupeKey);
    if (known && known.outcome !== 'QUARANTINED') return { outcome: 'ALREADY_PROCESSED', caseId: known.caseId, reason: known.reason };
    const result = await this.decide(msg);
    if (result.outcome === 'ALREADY_PROCESSED') return result;
    await this.ledger.record({
      id: known?.id ?? randomUUID(),
      dedupeKey: msg.dedupeKey,
      messageId: msg.messageId,
      rawFileId: msg.rawFileId,
      outcome: result.outcome as EmailOutcome,
      reason: result.reason,
      caseId: result.caseId,
      receivedAt: msg.receivedAt,
      processedAt: this.clock.now(),
    });
    return result;
  }

  /** Sets a message aside for a person to look at: kept raw, with the reason. */
  async quarantine(dedupeKey: string, rawFileId: string, messageId: string | null, reason: string, receivedAt: Date): Promise<void> {
    const known = await this.ledger.findByDedupeKey(dedupeKey);
    if (known && known.outcome !== 'QUARANTINED') return;
    await this.ledger.record({
      id: known?.id ?? randomUUID(), dedupeKey, messageId, rawFileId, outcome: 'QUARANTINED', reason, caseId: null, receivedAt, processedAt: this.clock.now(),
    });
  }

  private async decide(msg: InboundMessage): Promise<EmailIntakeResult> {
    if (msg.automatic) {
      if (msg.bounceOf) {
        const caseId = await this.ledger.caseOfMessageIds([msg.bounceOf]);
        if (caseId) {
          await this.onCase(caseId, (c, now) => c.recordDeliveryFailure(msg.bounceOf!, msg.automatic!.reason, EMAIL_ACTOR, now), msg.dedupeKey);
          return { outcome: 'DELIVERY_FAILURE', caseId, reason: msg.automatic.reason };
        }
      }
      return { outcome: 'SUPPRESSED', caseId: null, reason: `${msg.automatic.kind}: ${msg.automatic.reason}` };
    }
    const target = await this.findThread(msg);
    if (target) {
      await this.onCase(
        target.id,
        (c, now) =>
          c.recordIncomingMessage(
            { channel: 'EMAIL', from: msg.from.address, subject: msg.subject, messageId: msg.messageId, attachments: msg.attachments },
            this.bodyWithNotes(msg),
            EMAIL_ACTOR,
            now,
          ),
        msg.dedupeKey,
      );
      await this.ledger.linkAttachments(target.id, msg.attachments, 'EMAIL');
      return { outcome: 'JOINED', caseId: target.id, reason: null };
    }
    const subject = msg.subject.trim().slice(0, MAX_SUBJECT) || '(tanpa subjek)';
    // An address the desk cannot write to is left out: the case keeps the name, with no acknowledgement.
    const email = msg.from.address && isValidEmail(msg.from.address.toLowerCase()) ? msg.from.address : null;
    let created;
    try {
      created = await this.intake.intake(
        {
          kind: 'COMPLAINT',
          channel: 'EMAIL',
          subject,
          description: this.bodyWithNotes(msg) || null,
          receivedAt: msg.receivedAt,
          requester: { name: msg.from.name?.slice(0, MAX_NAME) ?? null, email },
          channelDetails: msg.messageId ? { messageId: msg.messageId } : {},
          dedupeKey: msg.dedupeKey,
        },
        EMAIL_ACTOR,
        (c) => {
          const to = c.snapshot().requester?.email;
          if (to) c.requestMail('ACKNOWLEDGEMENT', to, acknowledgementMail(c.snapshot()), { inReplyTo: msg.messageId, references: msg.messageId ? [msg.messageId] : [] });
        },
      );
    } catch (err) {
      // Another message with the same Message-ID made the case first: this one is a repeat.
      if (err instanceof IdempotencyKeyReusedError) return { outcome: 'ALREADY_PROCESSED', caseId: null, reason: 'same Message-ID as an earlier message' };
      throw err;
    }
    await this.ledger.linkAttachments(created.case.id, msg.attachments, 'EMAIL');
    return { outcome: 'CREATED', caseId: created.case.id, reason: null };
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

