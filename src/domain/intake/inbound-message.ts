/** An inbound email as the core sees it, after the adapter parsed it and stored its files. */
export interface InboundMessage {
  dedupeKey: string;
  messageId: string | null;
  /** In-Reply-To and References, for threading. */
  relatedMessageIds: string[];
  /** A reference number found in the subject (canonical form). */
  referenceInSubject: string | null;
  from: { address: string | null; name: string | null };
  subject: string;
  text: string;
  receivedAt: Date;
  rawFileId: string;
  attachments: { fileId: string; filename: string }[];
  omittedAttachments: { filename: string; size: number }[];
  automatic: { kind: string; reason: string } | null;
  /** For a bounce: the Message-ID of the mail that could not be delivered. */
  bounceOf: string | null;
}
