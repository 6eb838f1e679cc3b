import imaps from 'imap-simple';

/** Connection settings for a plaintext IMAP account (what the throwaway Dovecot serves). */
export interface ImapAccount {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** One message as seen by listFolder. */
export interface FolderEntry {
  uid: number;
  flags: string[];
  messageId: string | null;
}

/**
 * Opens an imap-simple connection without TLS. An 'error' listener is attached so that a
 * server-side disconnect never surfaces as an uncaught EventEmitter error; add your own too.
 */
export async function connectImap(
  account: ImapAccount,
  extra: Partial<imaps.ImapSimpleOptions> = {},
): Promise<imaps.ImapSimple> {
  const connection = await imaps.connect({
    ...extra,
    imap: {
      user: account.user,
      password: account.password,
      host: account.host,
      port: account.port,
      tls: false,
      authTimeout: 5000,
      connTimeout: 5000,
      ...(extra.imap ?? {}),
    },
  });
  connection.on('error', () => undefined);
  return connection;
}

/** How long one helper operation (connect, log in, select, list or append) may take. */
const OPERATION_TIMEOUT_MS = 10_000;

/**
 * Runs `fn` on a fresh connection. A server that leaves a command unanswered (seen once in a
 * loaded CI run: a listing that never came back) fails the operation after a few seconds and
 * the connection is dropped, so a polling caller simply tries again on a new one.
 */
async function withConnection<T>(account: ImapAccount, fn: (c: imaps.ImapSimple) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`IMAP helper: no answer within ${OPERATION_TIMEOUT_MS} ms`)), OPERATION_TIMEOUT_MS);
  });
  const connecting = connectImap(account);
  connecting.catch(() => undefined);
  const work = connecting.then(fn);
  work.catch(() => undefined);
  try {
    return await Promise.race([work, silent]);
  } finally {
    clearTimeout(timer);
    // Closed now, or as soon as it is open (when the answer was given up on while connecting).
    void connecting.then(
      (c) => {
        try {
          c.end();
        } catch {
          /* already closed */
        }
      },
      () => undefined,
    );
  }
}

function isMissingMailbox(err: unknown): boolean {
  const e = err as { textCode?: unknown; message?: unknown };
  return e.textCode === 'TRYCREATE' || /doesn't exist|does not exist/i.test(String(e.message));
}

/** Appends a raw RFC 822 message to folder, creating the folder when it does not exist. */
export async function appendMessage(account: ImapAccount, raw: string | Buffer, folder: string): Promise<void> {
  await withConnection(account, async (c) => {
    try {
      await c.append(raw, { mailbox: folder });
    } catch (err) {
      if (!isMissingMailbox(err)) throw err;
      await c.addBox(folder);
      await c.append(raw, { mailbox: folder });
    }
  });
}

/** Lists folder read-only (EXAMINE, so flags are untouched), ordered by UID. */
export async function listMessages(account: ImapAccount, folder: string): Promise<FolderEntry[]> {
  return withConnection(account, async (c) => {
    await new Promise<void>((resolve, reject) => c.imap.openBox(folder, true, (err) => (err ? reject(err) : resolve())));
    const messages = await c.search(['ALL'], { bodies: ['HEADER.FIELDS (MESSAGE-ID)'], struct: false });
    return messages
      .map((m) => {
        const header = m.parts.find((p) => p.which.startsWith('HEADER'))?.body as Record<string, string[]> | undefined;
        const messageId = header?.['message-id']?.[0]?.trim() ?? null;
        return { uid: Number(m.attributes.uid), flags: [...(m.attributes.flags ?? [])], messageId };
      })
      .sort((a, b) => a.uid - b.uid);
  });
}
