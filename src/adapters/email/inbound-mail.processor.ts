import { Logger } from 'pino';
import { FileStore, StoredFile } from '../../domain/files/file-store.port';
import { EmailIntakeResult, EmailIntakeService, Settled } from '../../domain/intake/email-intake.service';
import { InboundMessage } from '../../domain/intake/inbound-message';
import { parseInboundEmail } from './parsing/parse-inbound-email';
import { emailDedupeKey } from './parsing/message-ids';
import { InboundEmail } from './parsing/inbound-email';

export interface InboundMailOptions {
  ownAddresses: string[];
  maxBytes: number;
}

const bracket = (id: string): string => `<${id}>`;

/**
 * Raw messages from the inbox to their outcomes: the raw bytes are stored (kept for
 * quarantine and for oversized mail) and parsed; what cannot be parsed is quarantined with
 * the reason; the rest goes to the email intake use case with its attachments stored.
 * A message whose outcome could not be recorded stays in the inbox for the next run.
 */
export class InboundMailProcessor {
  constructor(
    private readonly intake: EmailIntakeService,
    private readonly files: FileStore,
    private readonly options: InboundMailOptions,
    private readonly log: Logger,
  ) {}

  async process(raw: Buffer, receivedAt: Date): Promise<EmailIntakeResult> {
    const [r] = await this.processBatch([{ raw, receivedAt }]);
    if (!r.ok) throw r.error;
    return r.value;
  }

  /**
   * Messages of one fetch, in order. Their raw bytes and attachments are stored first (one
   * index write), then what parses goes to the intake as one batch; what does not is
   * quarantined. Each message gets its own outcome or error; the whole call rejects only
   * when storing the files failed (then nothing of the batch was recorded).
   */
  async processBatch(items: { raw: Buffer; receivedAt: Date }[]): Promise<Settled<EmailIntakeResult>[]> {
    const options = { ownAddresses: this.options.ownAddresses, maxBytes: this.options.maxBytes };
    const parsed = await Promise.all(
      items.map(({ raw }) =>
        parseInboundEmail(raw, options).catch((err: Error) => ({ ok: false as const, reason: `UNPARSABLE: ${err.message}`.slice(0, 500) })),
      ),
    );
    const wanted = items.flatMap(({ raw }, i) => {
      const p = parsed[i];
      return [{ content: raw, contentType: 'message/rfc822' }, ...(p.ok ? p.email.attachments.map((a) => ({ content: a.content, contentType: a.contentType })) : [])];
    });
    const stored = await this.files.putMany(wanted);
    const out: Settled<EmailIntakeResult>[] = new Array(items.length);
    const messages: { i: number; message: InboundMessage }[] = [];
    let next = 0;
    for (const [i, { raw, receivedAt }] of items.entries()) {
      const rawFile = stored[next++];
      const p = parsed[i];
      if (!p.ok) {
        try {
          await this.intake.quarantine(emailDedupeKey(null, raw), rawFile.id, null, p.reason, receivedAt);
          // No file id in logs: the raw message is personal data, and its id opens it (GET /files).
          this.log.warn({ reason: p.reason }, 'email quarantined');
          out[i] = { ok: true, value: { outcome: 'QUARANTINED', caseId: null, reason: p.reason } };
        } catch (error) {
          out[i] = { ok: false, error: error as Error };
        }
        continue;
      }
      const files = stored.slice(next, next + p.email.attachments.length);
      next += files.length;
      messages.push({ i, message: this.toMessage(p.email, rawFile.id, files, receivedAt, raw) });
    }
    const results = await this.intake.handleBatch(messages.map((m) => m.message));
    messages.forEach(({ i }, j) => {
      const r = results[j];
      out[i] = r;
      if (r.ok) this.log.info({ outcome: r.value.outcome, caseId: r.value.caseId }, 'email processed');
    });
    return out;
  }

  /**
   * Quarantines a message whose processing keeps failing, so it stops blocking the inbox. It is
   * keyed like the message itself, so a later delivery of it, or a reprocess, finds it.
   */
  async quarantineRaw(raw: Buffer, receivedAt: Date, reason: string): Promise<void> {
    const stored = await this.files.put(raw, 'message/rfc822');
    const parsed = await parseInboundEmail(raw, { ownAddresses: this.options.ownAddresses, maxBytes: this.options.maxBytes });
    const key = parsed.ok ? parsed.email.dedupeKey : emailDedupeKey(null, raw);
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

  private toMessage(e: InboundEmail, rawFileId: string, files: StoredFile[], receivedAt: Date, raw: Buffer): InboundMessage {
    const attachments = e.attachments.map((a, k) => ({ fileId: files[k].id, filename: a.filename }));
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
