import nodemailer, { Transporter } from 'nodemailer';
import { ClaimedMail, MailSendError, MailSender } from '../../domain/notifications/mail-dispatch.ports';

export interface SmtpConfig {
  /** smtp://user:pass@host:port or smtps://... */
  url: string;
  /** The sender, e.g. "Biro Kesra Kalbar <kesra@kalbarprov.go.id>". */
  from: string;
}

/** Removes addresses from server replies: they end up in logs and on the timeline. */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>()"',;:@]+@[^\s<>()"',;:@]+/g, '[alamat]');
}

/**
 * Sends through nodemailer. Replies 5xx are permanent failures; connection problems and 4xx
 * are temporary. Every mail carries the headers that stop mail loops and thread replies.
 */
export class SmtpMailSender implements MailSender {
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpConfig) {
    const u = new URL(config.url);
    const secure = u.protocol === 'smtps:';
    this.transport = nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port || (secure ? 465 : 587)),
      secure,
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      // Plain smtp:// to a local relay may not offer STARTTLS; use it when offered.
      ignoreTLS: u.searchParams.get('tls') === 'off',
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
  }

  async send(mail: ClaimedMail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo ?? undefined,
        references: mail.references.length ? mail.references : undefined,
        headers: {
          // RFC 3834: an acknowledgement is an automatic reply; an answer is written by staff.
          ...(mail.kind === 'ACKNOWLEDGEMENT' ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {}),
          'X-Loket-Origin': mail.caseId,
        },
      });
    } catch (err) {
      const e = err as Error & { responseCode?: number; code?: string };
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
      throw new MailSendError(redactAddresses(`${e.code ?? 'SMTP'} ${e.responseCode ?? ''} ${e.message}`.trim()), permanent);
    }
  }

  close(): void {
    this.transport.close();
  }
}
