import { CaseRepository } from '../case/case-repository.port';
import { Actor } from '../case/timeline-event';
import { Clock } from '../shared/clock.port';
import { Case } from '../case/case';
import { retryOnConflict } from '../case/retry-on-conflict';
import { ClaimedMail, MailSendError, MailSender, OutgoingMailQueue } from './mail-dispatch.ports';

const MAILER: Actor = { id: 'system:mailer', kind: 'SYSTEM' };
const BATCH = 20;
const LEASE_SECONDS = 120;
const MAX_ATTEMPTS = 12;

/**
 * Sends the mails cases asked for, after their change committed. A mail is leased before it
 * is sent and marked sent right after; it keeps one Message-ID across retries, so a resend
 * after a crash between the two is recognisable as the same message. Temporary failures are
 * retried with growing delays; permanent ones, or too many attempts, end it as failed on the
 * case's timeline.
 */
export class MailDispatchService {
  constructor(
    private readonly queue: OutgoingMailQueue,
    private readonly sender: MailSender,
    private readonly cases: CaseRepository,
    private readonly clock: Clock,
    private readonly mailDomain: string,
  ) {}

  messageIdFor(mailId: string): string {
    return `<loket-${mailId}@${this.mailDomain}>`;
  }

  /** Sends what is due now; returns how many were sent. */
  async dispatchDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.queue.claimDue(BATCH, LEASE_SECONDS, (id) => this.messageIdFor(id));
      for (const mail of batch) if (await this.deliver(mail)) sent++;
      if (batch.length < BATCH) return sent;
    }
  }

  private async deliver(mail: ClaimedMail): Promise<boolean> {
    try {
      await this.sender.send(mail);
    } catch (err) {
      const e = err instanceof MailSendError ? err : new MailSendError((err as Error).message, false);
      if (e.permanent || mail.attempts >= MAX_ATTEMPTS) {
        await this.queue.markFailed(mail.id, e.message);
        await this.onCase(mail.caseId, (c, now) => c.recordDeliveryFailure(mail.messageId, e.permanent ? e.message : `gave up after ${mail.attempts} attempts: ${e.message}`, MAILER, now));
      } else {
        const delayMs = Math.min(3_600_000, 30_000 * 2 ** Math.max(0, mail.attempts - 1));
        await this.queue.retryLater(mail.id, new Date(this.clock.now().getTime() + delayMs), e.message);
      }
      return false;
    }
    await this.queue.markSent(mail.id, this.clock.now());
    await this.onCase(mail.caseId, (c, now) => c.recordMailSent(mail.kind, mail.messageId, mail.to, MAILER, now));
    return true;
  }

  private async onCase(caseId: string, apply: (c: Case, now: Date) => void): Promise<void> {
    await retryOnConflict(async () => {
      const c = await this.cases.findById(caseId);
      if (!c) return;
      apply(c, this.clock.now());
      await this.cases.save([c]);
    });
  }
}
