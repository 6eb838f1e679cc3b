export type EmailOutcome = 'CREATED' | 'JOINED' | 'SUPPRESSED' | 'DELIVERY_FAILURE' | 'QUARANTINED' | 'DISCARDED';

/** One inbound message as the ledger keeps it: what became of it and why. */
export interface EmailRecord {
  id: string;
  dedupeKey: string;
  messageId: string | null;
  rawFileId: string;
  outcome: EmailOutcome;
  reason: string | null;
  caseId: string | null;
  receivedAt: Date;
  processedAt: Date;
}

/** Every inbound message and its outcome; the threading index of mail sent and received. */
export interface EmailLedger {
  /** Inserts, or updates the outcome of, the message with this dedupe key. */
  record(entry: EmailRecord): Promise<void>;
  findByDedupeKey(key: string): Promise<EmailRecord | null>;
  findById(id: string): Promise<EmailRecord | null>;
  /** The case a message id belongs to: one Loket received for a case, or one it sent. */
  caseOfMessageIds(messageIds: string[]): Promise<string | null>;
  quarantined(first: number, afterId: string | null): Promise<EmailRecord[]>;
  linkAttachments(caseId: string, files: { fileId: string; filename: string }[], source: string): Promise<void>;
}
