import { OutgoingMail } from './outgoing-mail';

/** A claimed mail: the queue leased it to this dispatcher and fixed its Message-ID. */
export interface ClaimedMail extends OutgoingMail {
  messageId: string;
  attempts: number;
}

/** The outgoing-mail outbox. */
export interface OutgoingMailQueue {
  /** Leases up to `limit` due mails (pending, or whose earlier lease ran out). */
  claimDue(limit: number, leaseSeconds: number, messageIdFor: (id: string) => string): Promise<ClaimedMail[]>;
  markSent(id: string, at: Date): Promise<void>;
  retryLater(id: string, at: Date, error: string): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
}

export class MailSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** Hands a mail to the SMTP server; throws MailSendError. */
export interface MailSender {
  send(mail: ClaimedMail): Promise<void>;
}
