import path from 'node:path';

/** The scanner and fax drop folders; each is off when its path is unset. */
export interface DropFolderSettings {
  /** LOKET_SCAN_INBOX: the scanner's drop folder. */
  scanInbox: string | null;
  /** LOKET_FAX_INBOX: the fax server's drop folder. */
  faxInbox: string | null;
  /** LOKET_DROP_POLL_SECONDS: how often the folders are read (default 5). */
  pollSeconds: number;
}

/** Reads LOKET_SCAN_INBOX, LOKET_FAX_INBOX and LOKET_DROP_POLL_SECONDS; a bad value is refused by name. */
export function dropFolderSettingsFromEnv(env: NodeJS.ProcessEnv): DropFolderSettings {
  const dir = (name: string): string | null => {
    const raw = env[name]?.trim();
    return raw ? path.resolve(raw) : null;
  };
  const rawPoll = env.LOKET_DROP_POLL_SECONDS?.trim();
  const pollSeconds = rawPoll ? Number(rawPoll) : 5;
  if (!Number.isInteger(pollSeconds) || pollSeconds < 1) throw new Error('LOKET_DROP_POLL_SECONDS must be a positive whole number');
  return { scanInbox: dir('LOKET_SCAN_INBOX'), faxInbox: dir('LOKET_FAX_INBOX'), pollSeconds };
}
