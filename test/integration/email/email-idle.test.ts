import pino from 'pino';
import { ImapInbox } from '../../../src/adapters/email/imap-inbox.adapter';
import { ImapConfig } from '../../../src/adapters/email/imap-config';
import { DovecotInstance, startDovecot } from '../../support/mail/dovecot';
import { ImapAccount } from '../../support/mail/imap-client';
import { SmtpSink, startSmtpSink } from '../../support/mail/smtp-sink';
import { appendRaw, caseById, eventually, keyOf, MailApp, rawMail, startMailApp, uniq, waitEmailRow } from './email-helpers';

jest.setTimeout(120_000);

/**
 * A poll this long never fires within a test: a message that is taken within NOTICED_MS was
 * noticed by other means (IDLE). Without IDLE the inbox would see it at the next poll (or at
 * node-imap's next NOOP, which with this poll comes once a minute).
 */
const LONG_POLL_SECONDS = 300;
/** A bounded wait for a message the inbox should notice at once (a failure bound, not a timing assertion). */
const NOTICED_MS = 15_000;

/** The rawlog session of an inbox reading INBOX (SELECT; test helpers only EXAMINE or APPEND). */
function inboxSession(dovecot: DovecotInstance): string[] | undefined {
  return dovecot.clientSessions().find((lines) => lines.some((l) => /^\S+ SELECT "INBOX"( |$)/.test(l)));
}

const isIdle = (line: string) => line === 'IDLE IDLE'; // node-imap tags IDLE with "IDLE"
const isNoop = (line: string) => line === 'NOOP NOOP';
const isSearch = (line: string) => /^\S+ UID SEARCH /.test(line);
const isMove = (line: string) => /^\S+ UID MOVE /.test(line);

function lastIndex(lines: string[], test: (l: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i])) return i;
  return -1;
}

/**
 * Waits until the inbox's session has finished a check and gone quiet: after its last SEARCH
 * came the keepalive (IDLE where the server offers it, else NOOP), which node-imap sends only
 * once nothing is left to send.
 */
function waitQuietAfterCheck(dovecot: DovecotInstance, what: string): Promise<string[]> {
  return eventually(() => {
    const lines = inboxSession(dovecot);
    if (!lines) return null;
    const search = lastIndex(lines, isSearch);
    return search >= 0 && lines.slice(search + 1).some((l) => isIdle(l) || isNoop(l)) ? lines : null;
  }, what, 30_000, 100);
}

function inboxConfig(account: ImapAccount, pollSeconds: number): ImapConfig {
  return { host: account.host, port: account.port, tls: false, user: account.user, password: account.password, mailbox: 'INBOX', processedFolder: 'Processed', pollSeconds };
}

const messageIdOf = (raw: Buffer): string | null => /^Message-ID: *(\S+)/im.exec(raw.toString('latin1'))?.[1] ?? null;

describe('IMAP IDLE: the inbox is told of new mail and does not wait for the poll', () => {
  let dovecot: DovecotInstance;
  let sink: SmtpSink;
  let m: MailApp;

  beforeAll(async () => {
    dovecot = await startDovecot({ rawlog: true });
    sink = await startSmtpSink();
    m = await startMailApp('email_idle', dovecot, sink, {}, { LOKET_IMAP_POLL_SECONDS: String(LONG_POLL_SECONDS) });
  });

  afterAll(async () => {
    await m?.stop();
    await sink?.stop();
    await dovecot?.stop();
  });

  it('a message delivered while the inbox idles becomes a case long before the next poll, and the inbox idles again', async () => {
    await waitQuietAfterCheck(dovecot, "the inbox's first check to finish");

    const messageId = `<idle-${uniq()}@warga.example>`;
    const delivered = Date.now();
    await m.append(rawMail({ subject: `Pengaduan ${uniq()}`, messageId, text: 'Jalan di depan rumah rusak.' }));
    const row = await waitEmailRow(m, keyOf(messageId), NOTICED_MS);
    const tookMs = Date.now() - delivered;
    expect(row.outcome).toBe('CREATED');
    expect((await caseById(m, row.case_id!)).channel).toBe('EMAIL');
    process.stdout.write(`email-idle: delivery to case took ${tookMs} ms (poll every ${LONG_POLL_SECONDS} s)\n`);

    // On the wire: the inbox idled, ended the IDLE for the check (DONE), and after the check's
    // MOVE it is back in IDLE.
    const lines = await eventually(() => {
      const s = inboxSession(dovecot);
      const move = s ? lastIndex(s, isMove) : -1;
      return s && move >= 0 && s.slice(move + 1).some(isIdle) ? s : null;
    }, 'an IDLE after the MOVE', 10_000, 100);
    const search = lastIndex(lines.slice(0, lastIndex(lines, isMove)), isSearch);
    const idle = lastIndex(lines.slice(0, search), isIdle);
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(lines.slice(idle + 1, search)).toContain('DONE');
    expect(lines.some(isNoop)).toBe(false);
  });

  it('mail that arrives during a check is taken by one more check, not left for the poll', async () => {
    const account: ImapAccount = { host: dovecot.host, port: dovecot.port, user: `wakeup${uniq()}`, password: 'wakeup-password' };
    dovecot.addUser(account.user, account.password);
    const first = `<first-${uniq()}@warga.example>`;
    const second = `<second-${uniq()}@warga.example>`;
    await appendRaw(account, [Buffer.from(rawMail({ messageId: first, text: 'Pesan pertama.' }))]);

    const handled: string[] = [];
    let delivered = 0;
    const inbox = new ImapInbox(
      inboxConfig(account, LONG_POLL_SECONDS),
      async (messages) => {
        for (const msg of messages) handled.push(messageIdOf(msg.raw) ?? '?');
        if (handled.length === 1) {
          // While the first message is being handled, the second one arrives.
          await appendRaw(account, [Buffer.from(rawMail({ messageId: second, text: 'Pesan kedua.' }))]);
          delivered = Date.now();
        }
        return messages.map(() => null);
      },
      async () => undefined,
      pino({ level: 'silent' }),
    );
    inbox.start();
    try {
      // Dovecot reports it (EXISTS) with the check's MOVE; the next check takes it. (That a
      // report during any command of a check is not lost: test/unit/email/inbox-wakeup.test.ts.)
      await eventually(() => handled.includes(second), 'the message that arrived during the check', NOTICED_MS, 100);
      process.stdout.write(`email-idle: mail arriving during a check taken after ${Date.now() - delivered} ms\n`);
      expect(handled).toEqual([first, second]);
      expect(inbox.status.processed).toBe(2);
    } finally {
      await inbox.stop();
    }
  });
});

describe('a server without IDLE: the inbox polls', () => {
  let dovecot: DovecotInstance;

  beforeAll(async () => {
    dovecot = await startDovecot({ rawlog: true, withoutIdle: true });
  });

  afterAll(async () => {
    await dovecot?.stop();
  });

  it('the inbox checks every poll interval, never sends IDLE, and takes new mail', async () => {
    const handled: string[] = [];
    const inbox = new ImapInbox(
      inboxConfig(dovecot, 2),
      async (messages) => {
        for (const msg of messages) handled.push(messageIdOf(msg.raw) ?? '?');
        return messages.map(() => null);
      },
      async () => undefined,
      pino({ level: 'silent' }),
    );
    inbox.start();
    try {
      // Polled: more than the one check made on connecting.
      await eventually(() => (inboxSession(dovecot)?.filter(isSearch).length ?? 0) >= 3, 'three checks of the inbox', 30_000, 200);
      const messageId = `<poll-${uniq()}@warga.example>`;
      const delivered = Date.now();
      await dovecot.append(rawMail({ messageId, text: 'Lewat polling.' }));
      await eventually(() => handled.includes(messageId), 'the message, at a poll', NOTICED_MS, 100);
      process.stdout.write(`email-idle: without IDLE (poll every 2 s) the message was taken after ${Date.now() - delivered} ms\n`);
      const lines = inboxSession(dovecot)!;
      expect(lines.some(isIdle)).toBe(false);
      expect(lines.some(isNoop)).toBe(true);
    } finally {
      await inbox.stop();
    }
  });
});

