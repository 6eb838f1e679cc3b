/** Why Loket writes to a requester. */
export type OutgoingMailKind = 'ACKNOWLEDGEMENT' | 'ANSWER';

/**
 * An email the case asks to send. Stored with the case change in one transaction (an outbox),
 * sent after commit by the mail worker, retried until delivered, never sent twice.
 */
export interface OutgoingMail {
  id: string;
  caseId: string;
  kind: OutgoingMailKind;
  to: string;
  subject: string;
  text: string;
  /** Message-IDs (with <>) this mail answers, for threading in the citizen's mailbox. */
  inReplyTo: string | null;
  references: string[];
}
