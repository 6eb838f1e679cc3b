import { ImapConfig, imapConfigFromEnv } from './imap-config';
import { SmtpConfig } from './smtp-mail.sender';

/** The email channel: the kesra@ inbox (off when unset) and outgoing mail (waits in its outbox when unset). */
export interface EmailSettings {
  /** LOKET_IMAP_URL, LOKET_IMAP_PROCESSED, LOKET_IMAP_POLL_SECONDS. */
  imap: ImapConfig | null;
  /** LOKET_SMTP_URL, LOKET_MAIL_FROM. */
  smtp: SmtpConfig | null;
  /** LOKET_EMAIL_MAX_BYTES: largest message kept whole (attachments beyond are left out with a note). */
  maxBytes: number;
}

export const DEFAULT_MAIL_FROM = 'Biro Kesra Kalbar <kesra@kalbarprov.go.id>';

/** Reads the email channel's variables; a bad value is refused by its name, never repeating a secret. */
export function emailSettingsFromEnv(env: NodeJS.ProcessEnv): EmailSettings {
  const rawMax = env.LOKET_EMAIL_MAX_BYTES?.trim();
  const maxBytes = rawMax ? Number(rawMax) : 10 * 1024 * 1024;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new Error('LOKET_EMAIL_MAX_BYTES must be a positive whole number');
  return { imap: imapConfigFromEnv(env), smtp: smtpFromEnv(env), maxBytes };
}

function smtpFromEnv(env: NodeJS.ProcessEnv): SmtpConfig | null {
  const url = env.LOKET_SMTP_URL?.trim();
  if (!url) return null;
  if (!/^smtps?:\/\//.test(url)) throw new Error('LOKET_SMTP_URL must start with smtp:// or smtps://');
  const from = env.LOKET_MAIL_FROM?.trim() || DEFAULT_MAIL_FROM;
  if (!/@/.test(from)) throw new Error('LOKET_MAIL_FROM must contain an email address');
  return { url, from };
}

/** The bare address of a From value such as `Biro Kesra <kesra@...>`, lower case. */
export function addressOf(from: string): string {
  const m = /<([^>]+)>/.exec(from);
  return (m ? m[1] : from).trim().toLowerCase();
}
