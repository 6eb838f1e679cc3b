import { InsertOutcome } from '../case/case-repository.port';
import { PreparedCase } from './intake.service';

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

/** A new case from a message, and its ledger entry once it is known how the insert went. */
export interface EmailCaseIntake {
  prepared: PreparedCase;
  /** The entry to record for the outcome of the insert; null records nothing. */
  entryFor: (outcome: InsertOutcome) => EmailRecord | null;
}

/** Every inbound message and its outcome; the threading index of mail sent and received. */
export interface EmailLedger {
  /** Inserts, or updates the outcome of, the message with this dedupe key. */
  record(entry: EmailRecord): Promise<void>;
  /**
   * In ONE transaction: the new cases (each claiming its dedupe key, with its attachments and
   * acknowledgement) and the ledger entries, both those given and those of the new cases.
   * The outcomes of the inserts are answered in the order of `newCases`.
   */
  recordIntakes(newCases: EmailCaseIntake[], entries: EmailRecord[]): Promise<InsertOutcome[]>;
  findByDedupeKey(key: string): Promise<EmailRecord | null>;
  /** The entries with these dedupe keys, by key (one lookup for a batch of messages). */
  findByDedupeKeys(keys: string[]): Promise<Map<string, EmailRecord>>;
  findById(id: string): Promise<EmailRecord | null>;
  /** The case a message id belongs to: one Loket received for a case, or one it sent. */
  caseOfMessageIds(messageIds: string[]): Promise<string | null>;
  quarantined(first: number, afterId: string | null): Promise<EmailRecord[]>;
}
