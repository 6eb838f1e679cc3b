/** Where and how to read the inbox, from LOKET_IMAP_URL and friends. */
export interface ImapConfig {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password: string;
  mailbox: string;
  processedFolder: string;
  pollSeconds: number;
}

export class ImapConfigError extends Error {}

/**
 * Parses `imap://user:password@host:143/INBOX` (or `imaps://`, port 993 by default). The
 * password is percent-decoded; errors never repeat it.
 */
export function imapConfigFromEnv(env: NodeJS.ProcessEnv): ImapConfig | null {
  const raw = env.LOKET_IMAP_URL?.trim();
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ImapConfigError('LOKET_IMAP_URL is not a URL such as imap://user:password@host:143/INBOX');
  }
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') throw new ImapConfigError('LOKET_IMAP_URL must start with imap:// or imaps://');
  if (!u.username || !u.hostname) throw new ImapConfigError('LOKET_IMAP_URL needs a user and a host');
  const tls = u.protocol === 'imaps:';
  const pollSeconds = Number(env.LOKET_IMAP_POLL_SECONDS ?? 60);
  if (!Number.isInteger(pollSeconds) || pollSeconds < 1) throw new ImapConfigError('LOKET_IMAP_POLL_SECONDS must be a positive whole number');
  return {
    host: u.hostname,
    port: Number(u.port || (tls ? 993 : 143)),
    tls,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
    processedFolder: env.LOKET_IMAP_PROCESSED?.trim() || 'Processed',
    pollSeconds,
  };
}
