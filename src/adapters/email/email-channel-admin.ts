import { FileStore } from '../../domain/files/file-store.port';
import { EmailChannelAdmin, EmailInboxStatus, MAX_QUARANTINE_PAGE_SIZE } from '../../domain/intake/email-channel-admin.port';
import { EmailIntakeResult } from '../../domain/intake/email-intake.service';
import { EmailLedger, EmailRecord } from '../../domain/intake/email-ledger.port';
import { Clock } from '../../domain/shared/clock.port';
import { ValidationError } from '../../domain/shared/domain-error';
import { ImapInbox } from './imap-inbox.adapter';
import { InboundMailProcessor } from './inbound-mail.processor';

/** Inbox status, quarantine listing, reprocessing and discarding for the GraphQL API. */
export class EmailChannelAdminAdapter implements EmailChannelAdmin {
  constructor(
    private readonly inbox: ImapInbox | null,
    private readonly ledger: EmailLedger,
    private readonly files: FileStore,
    private readonly processor: InboundMailProcessor,
    private readonly clock: Clock,
  ) {}

  status(): EmailInboxStatus {
    if (!this.inbox) return { configured: false, state: 'STOPPED', lastError: null, lastCheckAt: null, connectedSince: null, processed: 0, failed: 0 };
    return { configured: true, ...this.inbox.status };
  }

  quarantined(first: number, afterId: string | null): Promise<EmailRecord[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_QUARANTINE_PAGE_SIZE) throw ValidationError.single('first', `must be between 1 and ${MAX_QUARANTINE_PAGE_SIZE}`);
    return this.ledger.quarantined(first, afterId && /^[0-9a-f-]{36}$/i.test(afterId) ? afterId : null);
  }

  async reprocess(id: string): Promise<EmailIntakeResult> {
    const rec = await this.quarantinedRecord(id);
    const raw = await this.files.get(rec.rawFileId);
    if (!raw) throw ValidationError.single('id', 'the raw message is no longer stored');
    const result = await this.processor.process(raw, rec.receivedAt);
    // A message that now parses gets its own dedupe key; this entry is then done.
    if (result.outcome !== 'QUARANTINED') {
      await this.ledger.record({ ...rec, outcome: 'DISCARDED', reason: `reprocessed: ${result.outcome}`, caseId: result.caseId, processedAt: this.clock.now() });
    }
    return result;
  }

  async discard(id: string, reason: string): Promise<EmailRecord> {
    const why = reason?.trim() ?? '';
    if (why.length < 3 || why.length > 500) throw ValidationError.single('reason', 'must be 3 to 500 characters');
    const rec = await this.quarantinedRecord(id);
    const updated: EmailRecord = { ...rec, outcome: 'DISCARDED', reason: why, processedAt: this.clock.now() };
    await this.ledger.record(updated);
    return updated;
  }

  private async quarantinedRecord(id: string): Promise<EmailRecord> {
    const rec = await this.ledger.findById(id);
    if (!rec || rec.outcome !== 'QUARANTINED') throw ValidationError.single('id', 'is not a quarantined message');
    return rec;
  }
}
