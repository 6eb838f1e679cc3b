import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LoketApp } from '../../../src/app';
import { configureChannels } from '../../../src/modules/channels';
import { LoketConfig } from '../../../src/config';
import { createTestDatabase } from '../../support/database';
import { DovecotInstance, startDovecot } from '../../support/mail/dovecot';
import { connectImap, FolderEntry, ImapAccount, listMessages } from '../../support/mail/imap-client';
import { SmtpSink, startSmtpSink } from '../../support/mail/smtp-sink';
import pino from 'pino';
import { startLoket } from '../../../src/app';
import { as, gqlOk, issueRoleTokens, testConfig } from '../../support/test-app';

export const LOKET_FROM = 'Biro Kesra Kalbar <kesra@kalbarprov.go.id>';
export const LOKET_ADDRESS = 'kesra@kalbarprov.go.id';

let seq = 0;
/** Unique per process and call; safe inside Message-IDs, addresses and subjects. */
export function uniq(): string {
  return `${process.pid}${Date.now().toString(36)}${++seq}${randomBytes(3).toString('hex')}`;
}

/** Polls `check` until it returns a value other than null/undefined/false; a bounded wait, not a timed assertion. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, ms = 30_000, every = 150): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown = null;
  for (;;) {
    try {
      // A check that itself hangs (an IMAP listing that never answers) must not outlive the wait.
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_r, reject) => {
        timer = setTimeout(() => reject(new Error('the check itself did not answer')), Math.max(1_000, deadline - Date.now()));
      });
      const v = await Promise.race([Promise.resolve(check()), hung]).finally(() => clearTimeout(timer));
      if (v !== null && v !== undefined && v !== false) return v as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

// ---------------------------------------------------------------------------------------------
// Building raw RFC 5322 messages (CRLF throughout, so Dovecot hands back the same bytes)
// ---------------------------------------------------------------------------------------------

export interface MailSpec {
  from?: string;
  to?: string;
  subject?: string;
  /** With brackets; null for a message without Message-ID. */
  messageId?: string | null;
  inReplyTo?: string;
  references?: string;
  date?: string;
  headers?: Record<string, string>;
  text?: string;
  html?: string;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

function encodeHeader(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function base64Lines(content: Buffer): string {
  return (content.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** A raw message as a citizen's mail client would write it. */
export function rawMail(spec: MailSpec): string {
  const head: string[] = [
    `From: ${spec.from ?? 'Warga <warga@example.test>'}`,
    `To: ${spec.to ?? LOKET_FROM}`,
    `Subject: ${encodeHeader(spec.subject ?? 'Pengaduan')}`,
    `Date: ${spec.date ?? 'Mon, 02 Mar 2026 09:15:00 +0700'}`,
  ];
  if (spec.messageId !== null) head.push(`Message-ID: ${spec.messageId ?? `<${uniq()}@mail.example.test>`}`);
  if (spec.inReplyTo) head.push(`In-Reply-To: ${spec.inReplyTo}`);
  if (spec.references) head.push(`References: ${spec.references}`);
  for (const [k, v] of Object.entries(spec.headers ?? {})) head.push(`${k}: ${v}`);
  head.push('MIME-Version: 1.0');

  const textPart = (): string[] =>
    spec.html !== undefined && spec.text === undefined
      ? ['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '', base64Lines(Buffer.from(spec.html, 'utf8'))]
      : ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', base64Lines(Buffer.from(spec.text ?? '', 'utf8'))];

  if (!spec.attachments?.length) return [...head, ...textPart(), ''].join('\r\n');
  const boundary = `=_loket_${uniq()}`;
  const lines = [...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', 'This is a multi-part message in MIME format.', `--${boundary}`, ...textPart()];
  for (const a of spec.attachments) {
    lines.push(
      `--${boundary}`,
      `Content-Type: ${a.contentType}; name="${a.filename}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${a.filename}"`,
      '',
      base64Lines(a.content),
    );
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

/** A delivery-status report (RFC 3464) for `original` (its header block), as a mailer-daemon sends it. */
export function rawBounce(opts: { to: string; failedRecipient: string; originalHeaders: string; messageId?: string }): string {
  const boundary = `=_dsn_${uniq()}`;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
    `To: ${opts.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Mon, 02 Mar 2026 10:00:00 +0700',
    `Message-ID: ${opts.messageId ?? `<dsn-${uniq()}@mx.example.test>`}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.example.test.',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients.',
    '',
    `<${opts.failedRecipient}>: host mx.example.test said: 550 5.1.1 User unknown`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.test',
    'Arrival-Date: Mon, 2 Mar 2026 09:59:58 +0700 (WIB)',
    '',
    `Final-Recipient: rfc822; ${opts.failedRecipient}`,
    'Original-Recipient: rfc822;' + opts.failedRecipient,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    opts.originalHeaders.replace(/\r?\n/g, '\r\n').trimEnd(),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** The header block of a raw message (up to the first empty line). */
export function headerBlock(raw: string): string {
  const i = raw.search(/\r?\n\r?\n/);
  return i >= 0 ? raw.slice(0, i) : raw;
}

// ---------------------------------------------------------------------------------------------
// The servers and the app
// ---------------------------------------------------------------------------------------------

/** The email module's variables for reading `account`'s INBOX (polled every second besides IDLE). */
export function imapEnv(account: ImapAccount): Record<string, string> {
  return {
    LOKET_IMAP_URL: `imap://${encodeURIComponent(account.user)}:${encodeURIComponent(account.password)}@${account.host}:${account.port}/INBOX`,
    LOKET_IMAP_PROCESSED: 'Processed',
    LOKET_IMAP_POLL_SECONDS: '1',
  };
}

/** The email module's variables for sending through `sink`. */
export function smtpEnv(sink: SmtpSink): Record<string, string> {
  return { LOKET_SMTP_URL: `${sink.smtpUrl}?tls=off`, LOKET_MAIL_FROM: LOKET_FROM };
}

export interface MailApp {
  app: LoketApp;
  account: ImapAccount;
  filesDir: string;
  dbUrl: string;
  append(raw: string | Buffer): Promise<void>;
  list(folder: string): Promise<FolderEntry[]>;
  q<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The bytes of a stored file (a file in filesDir, or kept in its index row), or null. */
  storedBytes(fileId: string): Promise<Buffer | null>;
  /** Stops the app; `start()` brings a new instance up on the same database, inbox and files. */
  stopAppOnly(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Warnings and errors the app logged (JSON lines, parsed). */
  logs: Record<string, any>[];
}

/** A fresh database and an app reading `account`'s INBOX and sending through `sink`. */
/**
 * `channelEnv` adds to (or overrides) the channel variables, e.g. `{ LOKET_EMAIL_MAX_BYTES: '2000' }`.
 */
export async function startMailApp(
  suffix: string,
  account: ImapAccount,
  sink: SmtpSink,
  overrides: Partial<LoketConfig> = {},
  channelEnv: Record<string, string> = {},
): Promise<MailApp> {
  const db = await createTestDatabase(suffix);
  const filesDir = mkdtempSync(path.join(tmpdir(), 'loket-email-files-'));
  const config = { channels: configureChannels({ ...imapEnv(account), ...smtpEnv(sink), ...channelEnv }), filesDir, ...overrides };
  const logs: Record<string, any>[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const startTestApp = async (url: string, _clock: undefined, overrides: Partial<LoketConfig>): Promise<LoketApp> => {
    const started = await startLoket(testConfig({ kind: 'postgres', url, poolSize: 10 }, overrides), { log });
    await issueRoleTokens(started);
    return started;
  };
  let app: LoketApp;
  try {
    app = await startTestApp(db.url, undefined, config);
  } catch (err) {
    await db.drop().catch(() => undefined);
    throw err;
  }
  const handle: MailApp = {
    app,
    account,
    filesDir,
    dbUrl: db.url,
    logs,
    append: (raw) => appendRaw(account, [typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw]),
    list: (folder) => listMessages(account, folder),
    q: (sql, params) => handle.app.db.dataSource.query(sql, params),
    async storedBytes(fileId) {
      const onDisk = path.join(filesDir, fileId.slice(0, 2), fileId);
      if (existsSync(onDisk)) return readFileSync(onDisk);
      const [row] = await handle.q<{ content: Buffer | null }>(`SELECT content FROM stored_files WHERE id = $1`, [fileId]);
      return row?.content ? Buffer.from(row.content) : null;
    },
    stopAppOnly: () => handle.app.stop(),
    async start() {
      handle.app = await startTestApp(db.url, undefined, config);
    },
    async stop() {
      await handle.app.stop().catch(() => undefined);
      await db.drop().catch(() => undefined);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
  return handle;
}

export async function startServers(): Promise<{ dovecot: DovecotInstance; sink: SmtpSink }> {
  const dovecot = await startDovecot();
  const sink = await startSmtpSink();
  return { dovecot, sink };
}

// ---------------------------------------------------------------------------------------------
// Reading back what happened
// ---------------------------------------------------------------------------------------------

export interface EmailRow {
  id: string;
  dedupe_key: string;
  message_id: string | null;
  raw_file_id: string;
  outcome: string;
  reason: string | null;
  case_id: string | null;
}

/** The dedupe key Loket uses for a message with this Message-ID (with or without brackets). */
export function keyOf(messageId: string): string {
  return `email:${messageId.replace(/^<|>$/g, '').toLowerCase()}`;
}

export async function emailRow(m: MailApp, dedupeKey: string): Promise<EmailRow | null> {
  const [r] = await m.q<EmailRow>(
    `SELECT id::text, dedupe_key, message_id, raw_file_id, outcome, reason, case_id::text FROM email_messages WHERE dedupe_key = $1`,
    [dedupeKey],
  );
  return r ?? null;
}

/** Waits until the message with this dedupe key has a ledger row (it then is committed). */
export function waitEmailRow(m: MailApp, dedupeKey: string, ms = 30_000): Promise<EmailRow> {
  return eventually(() => emailRow(m, dedupeKey), `email_messages row ${dedupeKey}`, ms);
}

/** Waits until the INBOX is empty (every message handled and moved). */
export function waitInboxEmpty(m: MailApp, ms = 30_000): Promise<true> {
  return eventually(async () => (await m.list('INBOX')).length === 0, 'the INBOX to be empty', ms, 250);
}

export const CASE_QUERY = `query($id: ID, $reference: String) { case(id: $id, reference: $reference) {
  id reference kind channel status subject description dueAt receivedAt requester { name email } channelDetails { name value }
  timeline(first: 100) { totalCount edges { node { type actor text after } } } } }`;

export interface CaseView {
  id: string;
  reference: string;
  kind: string;
  channel: string;
  status: string;
  subject: string;
  description: string | null;
  dueAt: string | null;
  requester: { name: string | null; email: string | null } | null;
  timeline: { totalCount: number; edges: { node: { type: string; actor: string; text: string | null; after: Record<string, any> | null } }[] };
}

export async function caseById(m: MailApp, id: string): Promise<CaseView> {
  const data = await gqlOk<{ case: CaseView }>(as(m.app, 'COMPLAINT_OFFICER'), CASE_QUERY, { id });
  return data.case;
}

export function eventsOf(c: CaseView, type: string) {
  return c.timeline.edges.map((e) => e.node).filter((n) => n.type === type);
}

/** Waits until the case's timeline has at least `count` events of `type`. */
export function waitEvent(m: MailApp, caseId: string, type: string, count = 1, ms = 30_000): Promise<CaseView> {
  return eventually(async () => {
    const c = await caseById(m, caseId);
    return eventsOf(c, type).length >= count ? c : null;
  }, `${count} ${type} event(s) on case ${caseId}`, ms, 250);
}

export async function countCases(m: MailApp): Promise<number> {
  const [r] = await m.q<{ n: string }>(`SELECT count(*)::text AS n FROM cases`);
  return Number(r.n);
}

export async function outgoingTo(m: MailApp, recipient: string): Promise<{ kind: string; status: string; attempts: number; message_id: string | null }[]> {
  return m.q(`SELECT kind, status, attempts, message_id FROM outgoing_mails WHERE lower(recipient) = lower($1) ORDER BY created_at`, [recipient]);
}

/** Waits until no outgoing mail of this app is waiting or being sent. */
export function waitOutboxIdle(m: MailApp, ms = 60_000): Promise<true> {
  return eventually(async () => {
    const [r] = await m.q<{ n: string }>(`SELECT count(*)::text AS n FROM outgoing_mails WHERE status IN ('PENDING', 'SENDING')`);
    return Number(r.n) === 0;
  }, 'the outbox to be idle', ms, 250);
}

export function mailsTo(sink: SmtpSink, address: string) {
  return sink.messages.filter((m) => m.envelope.to.map((t) => t.toLowerCase()).includes(address.toLowerCase()));
}

export function headerValue(mail: { parsed: { headers: Map<string, unknown> } }, name: string): string | undefined {
  const v = mail.parsed.headers.get(name.toLowerCase());
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export async function readyz(m: MailApp): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${m.app.port}/readyz`);
  return { status: res.status, body: await res.json() };
}

/**
 * APPENDs raw messages byte for byte over a minimal IMAP session (LOGIN, APPEND with a
 * synchronizing literal per message, LOGOUT). node-imap cannot be used for this: its
 * append turns a Buffer into a UTF-8 string, so 8-bit non-UTF-8 messages get a literal
 * length that no longer matches their bytes and the server refuses the command.
 */
export function appendRaw(account: ImapAccount, raws: Buffer[], folder = 'INBOX', timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let buffer = Buffer.alloc(0);
    let step = 0; // 0 greeting, then per message: 1 waiting for "+", 2 waiting for tagged OK; 3 logged out
    let index = 0;
    let tag = 0;
    let settled = false;
    const quote = (v: string) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`appendRaw: timed out after ${timeoutMs} ms (message ${index + 1} of ${raws.length})`)), timeoutMs);
    const send = (line: string): void => void socket.write(`${line}\r\n`, 'latin1');
    const nextAppend = (): void => {
      if (index >= raws.length) {
        step = 3;
        send(`a${++tag} LOGOUT`);
        return;
      }
      step = 1;
      send(`a${++tag} APPEND ${quote(folder)} {${raws[index].length}}`);
    };
    const onLine = (line: string): void => {
      if (step === 0) {
        if (!line.startsWith('* OK')) return finish(new Error(`appendRaw: greeting ${line}`));
        step = -1;
        send(`a${++tag} LOGIN ${quote(account.user)} ${quote(account.password)}`);
        return;
      }
      if (step === -1) {
        if (line.startsWith(`a${tag} `)) {
          if (!line.startsWith(`a${tag} OK`)) return finish(new Error(`appendRaw: LOGIN refused: ${line}`));
          nextAppend();
        }
        return;
      }
      if (step === 1) {
        if (line.startsWith('+')) {
          step = 2;
          socket.write(raws[index]);
          socket.write('\r\n');
        } else if (line.startsWith(`a${tag} `)) finish(new Error(`appendRaw: APPEND of message ${index + 1} refused: ${line}`));
        return;
      }
      if (step === 2 && line.startsWith(`a${tag} `)) {
        if (!line.startsWith(`a${tag} OK`)) return finish(new Error(`appendRaw: APPEND of message ${index + 1} failed: ${line}`));
        index++;
        nextAppend();
        return;
      }
      if (step === 3 && line.startsWith(`a${tag} `)) finish();
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.subarray(0, end).toString('latin1');
        buffer = buffer.subarray(end + 2);
        onLine(line);
        if (settled) return;
      }
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(step === 3 ? undefined : new Error('appendRaw: connection closed early')));
    socket.connect(account.port, account.host);
  });
}

/** Appends many raw messages, one IMAP session per batch. */
export async function appendMany(account: ImapAccount, raws: Buffer[], batchSize = 25): Promise<void> {
  for (let i = 0; i < raws.length; i += batchSize) await appendRaw(account, raws.slice(i, i + batchSize));
}

/** The exact bytes of every message in a folder (node-imap's stream read as Buffers), by UID. */
export async function fetchAllRaw(account: ImapAccount, folder: string): Promise<Buffer[]> {
  const c = await connectImap(account);
  try {
    const total = await new Promise<number>((resolve, reject) => c.imap.openBox(folder, true, (err, box) => (err ? reject(err) : resolve(box.messages.total))));
    if (total === 0) return [];
    return await new Promise<Buffer[]>((resolve, reject) => {
      const out = new Map<number, Buffer[]>();
      const f = c.imap.seq.fetch('1:*', { bodies: '', struct: false });
      f.on('message', (msg, seqno) => {
        const chunks: Buffer[] = [];
        out.set(seqno, chunks);
        msg.on('body', (stream) => stream.on('data', (chunk: Buffer) => chunks.push(chunk)));
      });
      f.once('error', reject);
      f.once('end', () => resolve([...out.entries()].sort((a, b) => a[0] - b[0]).map(([, chunks]) => Buffer.concat(chunks))));
    });
  } finally {
    c.end();
  }
}
