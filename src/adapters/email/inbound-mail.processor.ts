import { createHash } from 'node:crypto';
import { Logger } from 'pino';
import { FileStore } from '../../domain/files/file-store.port';
import { EmailIntakeResult, EmailIntakeService } from '../../domain/intake/email-intake.service';
import { InboundMessage } from '../../domain/intake/inbound-message';
import { parseInboundEmail } from './parsing/parse-inbound-email';
import { InboundEmail } from './parsing/inbound-email';

export interface InboundMailOptions {
  ownAddresses: string[];
  maxBytes: number;
}

const bracket = (id: string): string => `<${id}>`;

/**
 * One raw message from the inbox to its outcome: the raw bytes are stored first (kept for
 * quarantine and for oversized mail), then parsed; what cannot be parsed is quarantined with
 * the reason; the rest goes to the email intake use case with its attachments stored.
 * Throws only when storing failed (the message stays in the inbox for the next run).
 */
export class InboundMailProcessor {
  constructor(
    private readonly intake: EmailIntakeService,
    private readonly files: FileStore,
    private readonly options: InboundMailOptions,
    private readonly log: Logger,
  ) {}

  async process(raw: Buffer, receivedAt: Date): Promise<EmailIntakeResult> {
    const stored = await this.files.put(raw, 'message/rfc822');
    const parsed = await parseInboundEmail(raw, { ownAddresses: this.options.ownAddresses, maxBytes: this.options.maxBytes });
    if (!parsed.ok) {
      const dedupeKey = `email-sha256:${createHash('sha256').update(raw).digest('hex')}`;
      await this.intake.quarantine(dedupeKey, stored.id, null, parsed.reason, receivedAt);
      this.log.warn({ rawFileId: stored.id, reason: parsed.reason }, 'email quarantined');
      return { outcome: 'QUARANTINED', caseId: null, reason: parsed.reason };
    }
    const message = await this.toMessage(parsed.email, stored.id, receivedAt, raw);
    const result = await this.intake.handle(message);
    this.log.info({ rawFileId: stored.id, outcome: result.outcome, caseId: result.caseId }, 'email processed');
    return result;
  }

  /**
   * Quarantines a message whose processing keeps failing, so it stops blocking the inbox. It is
   * keyed like the message itself, so a later delivery of it, or a reprocess, finds it.
   */
  async quarantineRaw(raw: Buffer, receivedAt: Date, reason: string): Promise<void> {
    const stored = await this.files.put(raw, 'message/rfc822');
    const parsed = await parseInboundEmail(raw, { ownAddresses: this.options.ownAddresses, maxBytes: this.options.maxBytes });
    const key = parsed.ok ? parsed.email.dedupeKey : `email-sha256:${createHash('sha256').update(raw).digest('hex')}`;
    const messageId = parsed.ok && parsed.email.messageId ? this.asWritten(raw, parsed.email.messageId) : null;
    await this.intake.quarantine(key, stored.id, messageId, reason, receivedAt);
  }

  /**
   * The Message-ID as the sender wrote it (the parser lowercases ids for comparing): replies
   * must quote it exactly, or the citizen's mail program does not thread them.
   */
  private asWritten(raw: Buffer, normalized: string): string {
    const head = raw.subarray(0, Math.min(raw.length, 65_536)).toString('latin1');
    const end = head.search(/\r?\n\r?\n/);
    const headers = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
    for (const m of headers.matchAll(/^message-id:\s*<([^>\s]+)>/gim)) {
      if (m[1].toLowerCase() === normalized) return `<${m[1]}>`;
    }
    return bracket(normalized);
  }

  private async toMessage(e: InboundEmail, rawFileId: string, receivedAt: Date, raw: Buffer): Promise<InboundMessage> {
    const attachments: { fileId: string; filename: string }[] = [];
    for (const a of e.attachments) {
      const f = await this.files.put(a.content, a.contentType);
      attachments.push({ fileId: f.id, filename: a.filename });
    }
    return {
      dedupeKey: e.dedupeKey,
      messageId: e.messageId ? this.asWritten(raw, e.messageId) : null,
      relatedMessageIds: [...e.inReplyTo, ...e.references].map(bracket),
      referenceInSubject: e.referenceInSubject,
      from: { address: e.replyTo?.address ?? e.from.address, name: e.from.name },
      subject: e.subject,
      text: e.text,
      // When the bureau received it is when it reached the mailbox, not what the sender's Date says.
      receivedAt,
      rawFileId,
      attachments,
      omittedAttachments: e.omittedAttachments.map((o) => ({ filename: o.filename, size: o.size })),
      automatic: e.automatic ? { kind: e.automatic.kind, reason: e.automatic.reason } : null,
      bounceOf: e.bounceOf ? bracket(e.bounceOf) : null,
    };
  }
}
