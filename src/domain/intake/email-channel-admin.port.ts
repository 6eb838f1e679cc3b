import { EmailRecord } from './email-ledger.port';
import { EmailIntakeResult } from './email-intake.service';

/** Largest page of quarantined messages. */
export const MAX_QUARANTINE_PAGE_SIZE = 200;

export interface EmailInboxStatus {
  configured: boolean;
  state: string;
  lastError: string | null;
  lastCheckAt: Date | null;
  connectedSince: Date | null;
  processed: number;
  failed: number;
}

/** What officers and administrators do with the email channel. */
export interface EmailChannelAdmin {
  status(): EmailInboxStatus;
  /** `first`: 1..MAX_QUARANTINE_PAGE_SIZE. */
  quarantined(first: number, afterId: string | null): Promise<EmailRecord[]>;
  /** Runs a quarantined message through the intake again (after a fix, or by hand). */
  reprocess(id: string): Promise<EmailIntakeResult>;
  /** Sets a quarantined message aside for good, with a reason. */
  discard(id: string, reason: string): Promise<EmailRecord>;
}
