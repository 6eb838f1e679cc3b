/** Why a message must not become a case or be acknowledged: it was sent by a machine. */
export type AutomaticKind =
  | 'AUTO_REPLY'
  | 'BULK'
  | 'LIST'
  | 'BOUNCE'
  | 'FEEDBACK_REPORT'
  | 'READ_RECEIPT'
  | 'OWN_MAIL'
  | 'SYSTEM_SENDER';

/** The verdict of `classifyAutomatic`; `reason` is English and carries no personal data. */
export interface AutomaticClassification {
  kind: AutomaticKind;
  reason: string;
}

/** A mailbox as read from an address header; `address` is null when it is not usable. */
export interface EmailMailbox {
  address: string | null;
  name: string | null;
}

/** One attachment kept with the message, decoded. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
  contentId: string | null;
}

/** An attachment left out, so the case can say that it existed. */
export interface OmittedAttachment {
  filename: string;
  size: number;
  reason: 'SIZE_LIMIT';
}

/**
 * One inbound message, normalized: everything the intake needs to create a case, join one,
 * or set the message aside. Message ids (`messageId`, `inReplyTo`, `references`, `bounceOf`)
 * are all in one form: lowercased, without the angle brackets, so that they compare as strings
 * and `email:<id>` is the dedupe key of the message with that id.
 */
export interface InboundEmail {
  /** `email:<message-id>` or, without a usable Message-ID, `email-sha256:<hex of the raw bytes>`. */
  dedupeKey: string;
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: EmailMailbox;
  replyTo: EmailMailbox | null;
  to: string[];
  cc: string[];
  /** Decoded, single line, trimmed; '' when absent. */
  subject: string;
  date: Date | null;
  /** Readable text: the text part, or the HTML reduced to text; whitespace tidied. */
  text: string;
  /** True when `text` was cut at the size limit. */
  textTruncated: boolean;
  attachments: EmailAttachment[];
  omittedAttachments: OmittedAttachment[];
  /** A case reference found in the subject, canonical (`ADU-2026-000123`), or null. */
  referenceInSubject: string | null;
  /** Null for mail written by a person; otherwise: no case and no acknowledgement. */
  automatic: AutomaticClassification | null;
  /** For a delivery failure report: the Message-ID of the message that failed, else null. */
  bounceOf: string | null;
}

/** The result of `parseInboundEmail`: a message, or a stable reason to set the raw bytes aside. */
export type ParseOutcome = { ok: true; email: InboundEmail } | { ok: false; reason: string };

/** Limits and identity for `parseInboundEmail`. */
export interface ParseInboundEmailOptions {
  /** Loket's own addresses: mail from them is never a case (loop protection). */
  ownAddresses: readonly string[];
  /** Most bytes of text plus attachments kept per message (10 MB by default in config). */
  maxBytes: number;
}

/** The default per-message size limit: 10 MB. */
export const DEFAULT_MAX_EMAIL_BYTES = 10 * 1024 * 1024;
