import { EmailIntakeService } from '../../domain/intake/email-intake.service';
import { MailDispatchService } from '../../domain/notifications/mail-dispatch.service';
import { ChannelModule } from '../../modules/channel-module';
import { EmailChannelAdminAdapter } from './email-channel-admin';
import { addressOf, DEFAULT_MAIL_FROM, EmailSettings, emailSettingsFromEnv } from './email-settings';
import { ImapInbox } from './imap-inbox.adapter';
import { InboundMailProcessor } from './inbound-mail.processor';
import { MailDispatchWorker } from './mail-dispatch.worker';
import { SmtpMailSender } from './smtp-mail.sender';

/**
 * The email channel: the kesra@ inbox (when LOKET_IMAP_URL is set) turns messages into cases
 * or joins them to theirs; the outgoing-mail worker (when LOKET_SMTP_URL is set) sends
 * acknowledgements and answers written with their case change. The inbox status and the
 * quarantine are served to the GraphQL API whether or not the inbox is on.
 */
export const emailModule: ChannelModule<EmailSettings> = {
  name: 'email',
  settings: emailSettingsFromEnv,
  start(settings, context) {
    const log = context.log.child({ channel: 'email' });
    const emailIntake = new EmailIntakeService(context.intake, context.cases, context.emailLedger, context.clock, context.statusPageUrl);
    const ownAddresses = [addressOf(settings.smtp?.from ?? DEFAULT_MAIL_FROM)];
    const processor = new InboundMailProcessor(emailIntake, context.files, { ownAddresses, maxBytes: settings.maxBytes }, log);
    const inbox = settings.imap
      ? new ImapInbox(
          settings.imap,
          async (messages) => (await processor.processBatch(messages)).map((r) => (r.ok ? null : r.error)),
          (raw, receivedAt, reason) => processor.quarantineRaw(raw, receivedAt, reason),
          log,
        )
      : null;
    inbox?.start();

    let sender: SmtpMailSender | null = null;
    let worker: MailDispatchWorker | null = null;
    if (settings.smtp) {
      const from = addressOf(settings.smtp.from);
      sender = new SmtpMailSender(settings.smtp);
      const dispatch = new MailDispatchService(context.outgoingMail, sender, context.cases, context.clock, from.split('@')[1] ?? 'loket');
      worker = new MailDispatchWorker(dispatch, context.onCommit, log);
      worker.start();
    }
    return {
      provides: { emailChannel: new EmailChannelAdminAdapter(inbox, context.emailLedger, context.files, processor, context.clock) },
      readiness: (): Record<string, boolean> => (inbox ? { emailInbox: inbox.status.state === 'CONNECTED' } : {}),
      stop: async () => {
        await inbox?.stop();
        await worker?.stop();
        sender?.close();
      },
    };
  },
};
