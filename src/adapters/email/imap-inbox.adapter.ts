import imaps, { ImapSimple } from 'imap-simple';
import { Logger } from 'pino';
import { ImapConfig } from './imap-config';

export type InboxState = 'STOPPED' | 'CONNECTING' | 'CONNECTED' | 'DISCONNECTED';

export interface InboxStatus {
  state: InboxState;
  lastError: string | null;
  lastCheckAt: Date | null;
  connectedSince: Date | null;
  processed: number;
  failed: number;
}

/**
 * What the inbox does with the messages of one fetch, in order: for each, null when its
 * outcome is committed (it is then moved out of the inbox), or the error that kept it.
 * Rejecting means none of them was handled.
 */
export type BatchHandler = (messages: { raw: Buffer; receivedAt: Date }[]) => Promise<(Error | null)[]>;
/** After this many failed attempts a message is handed to `giveUp` (quarantine) and moved. */
const MAX_ATTEMPTS = 3;
const MAX_BACKOFF_MS = 60_000;
const STOP_WAIT_MS = 5_000;
const CHECK_TIMEOUT_MS = 600_000;
/**
 * An IMAP command of a check unanswered this long means the connection is lost (it is then
 * re-established). Only the commands a check sends are timed: the IDLE that node-imap keeps
 * open between checks is quiet by design and is never taken for a silent server.
 */
const COMMAND_TIMEOUT_MS = 60_000;
/** An IDLE is ended and issued anew after this long (RFC 2177: at most every 29 minutes). */
const IDLE_RENEW_MS = 300_000;
/**
 * How often node-imap looks at the open IDLE (whether to renew it), or, on a server without
 * IDLE, sends a NOOP (a NOOP's answer reports new mail). Never more often than the poll.
 */
const KEEPALIVE_MAX_MS = 60_000;

/**
 * The kesra@ inbox over IMAP (imap-simple): new mail arrives through IDLE when the server
 * offers it, with polling as a fallback; each message is handled, and only then moved to
 * the processed folder. A dropped connection is re-established with backoff. One message
 * that keeps failing is given up on (quarantined) and never blocks the ones after it.
 *
 * IDLE is node-imap's keepalive: whenever its command queue runs empty (after every check)
 * it sends IDLE at once, in the same turn, if the server lists the capability, and NOOP
 * every keepalive interval if not. A new message while idling (its EXISTS) fires 'mail',
 * which starts a check; node-imap ends the open IDLE (DONE) for the check's first command.
 * A 'mail' during a check starts one more check after it. The poll (`pollSeconds`) checks
 * regardless: the whole fallback on a server without IDLE, a safety net (and a liveness
 * probe of a quiet connection) with it.
 */
export class ImapInbox {
  private conn: ImapSimple | null = null;
  private stopped = true;
  private draining: Promise<void> | null = null;
  private again = false;
  private attempts = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly failures = new Map<number, number>();
  readonly status: InboxStatus = { state: 'STOPPED', lastError: null, lastCheckAt: null, connectedSince: null, processed: 0, failed: 0 };

  constructor(
    private readonly config: ImapConfig,
    private readonly handle: BatchHandler,
    private readonly giveUp: (raw: Buffer, receivedAt: Date, reason: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
    this.pollTimer = setInterval(() => this.kick(), this.config.pollSeconds * 1000);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    // A check in flight may finish (its messages are committed before they are moved), but a
    // server that stopped answering must not hold the shutdown: wait a few seconds at most.
    if (this.draining) await Promise.race([this.draining.catch(() => undefined), new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
    const c = this.conn;
    this.conn = null;
    try {
      c?.end();
    } catch {
      /* already closed */
    }
    this.status.state = 'STOPPED';
  }

  /** Checks the inbox now (new mail, or a poll). */
  kick(): void {
    if (this.stopped || !this.conn) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    // A connection can die without a word while a command waits for its answer; a check that
    // takes this long is treated as a lost connection (the next connection picks up the rest).
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new Error('inbox check timed out')), CHECK_TIMEOUT_MS);
      timer.unref();
    });
    this.draining = Promise.race([this.drain(), timeout])
      .catch((err: Error) => this.lost(err))
      .finally(() => clearTimeout(timer))
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.status.state = 'CONNECTING';
    try {
      const conn = await imaps.connect({
        imap: {
          user: this.config.user,
          password: this.config.password,
          host: this.config.host,
          port: this.config.port,
          tls: this.config.tls,
          authTimeout: 10_000,
          connTimeout: 10_000,
          keepalive: { interval: Math.min(this.config.pollSeconds * 1000, KEEPALIVE_MAX_MS), idleInterval: IDLE_RENEW_MS, forceNoop: false },
        },
        onmail: () => this.kick(),
      } as imaps.ImapSimpleOptions);
      conn.on('error', (err: Error) => this.lost(err));
      conn.on('close', () => this.lost(new Error('connection closed')));
      conn.on('end', () => this.lost(new Error('connection ended')));
      await this.ensureFolder(conn, this.config.processedFolder);
      await answered(conn.openBox(this.config.mailbox), 'SELECT');
      if (this.stopped) {
        conn.end();
        return;
      }
      this.conn = conn;
      this.attempts = 0;
      this.status.state = 'CONNECTED';
      this.status.connectedSince = new Date();
      this.status.lastError = null;
      // How new mail will be noticed: pushed (IDLE), or at the next NOOP or poll.
      this.log.info({ mailbox: this.config.mailbox, idle: conn.imap.serverSupports('IDLE') }, 'imap inbox connected');
      this.kick();
    } catch (err) {
      this.lost(err as Error);
    }
  }

  private lost(err: Error): void {
    if (this.stopped) return;
    const wasConnected = this.conn !== null || this.status.state === 'CONNECTING';
    this.status.lastError = err.message;
    const c = this.conn;
    this.conn = null;
    try {
      c?.end();
    } catch {
      /* already closed */
    }
    if (this.reconnectTimer || !wasConnected) return;
    this.status.state = 'DISCONNECTED';
    this.status.connectedSince = null;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts++);
    this.log.warn({ err: err.message, delay }, 'imap inbox disconnected; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private async ensureFolder(conn: ImapSimple, name: string): Promise<void> {
    const boxes = await answered(conn.getBoxes(), 'LIST');
    if (!Object.keys(boxes).some((b) => b.toLowerCase() === name.toLowerCase())) await answered(conn.addBox(name), 'CREATE');
  }

  private async drain(): Promise<void> {
    const conn = this.conn;
    if (!conn) return;
    this.status.lastCheckAt = new Date();
    const listed = await answered(conn.search(['ALL'], { bodies: [], struct: false, size: true }), 'SEARCH');
    const batches = batchesOf(listed.map((m) => ({ uid: m.attributes.uid, size: (m.attributes as { size?: number }).size ?? 0 })));
    // The next batch is fetched while this one is recorded.
    let ahead: Promise<Fetched[]> | null = batches.length > 0 ? guarded(answered(fetchRaw(conn, batches[0]), 'FETCH')) : null;
    for (let b = 0; b < batches.length; b++) {
      const fetched = await ahead!;
      ahead = null;
      if (this.stopped || this.conn !== conn) return;
      if (b + 1 < batches.length) ahead = guarded(answered(fetchRaw(conn, batches[b + 1]), 'FETCH'));
      // Replies go after the mail they may answer, so that a thread in one batch joins up.
      const ordered = [...fetched.filter((m) => !looksLikeReply(m.raw)), ...fetched.filter((m) => looksLikeReply(m.raw))];
      const done = await this.handleBatch(ordered);
      // Moved only after their outcomes are committed; one MOVE for the batch.
      if (done.length > 0) await answered(conn.moveMessage(done.sort((x, y) => x - y).map(String), this.config.processedFolder), 'MOVE');
    }
  }

  /** The uids that are finished with (handled, or given up on) and may be moved. */
  private async handleBatch(batch: Fetched[]): Promise<number[]> {
    let errors: (Error | null)[];
    try {
      errors = await this.handle(batch.map(({ raw, receivedAt }) => ({ raw, receivedAt })));
    } catch (err) {
      errors = batch.map(() => err as Error);
    }
    const done: number[] = [];
    for (const [i, m] of batch.entries()) {
      const err = errors[i];
      if (!err) {
        this.status.processed++;
        this.failures.delete(m.uid);
        done.push(m.uid);
        continue;
      }
      const n = (this.failures.get(m.uid) ?? 0) + 1;
      this.failures.set(m.uid, n);
      this.status.failed++;
      this.log.error({ uid: m.uid, attempt: n, err: err.message }, 'email could not be processed');
      if (n < MAX_ATTEMPTS) continue; // left in the inbox; tried again on the next check
      try {
        await this.giveUp(m.raw, m.receivedAt, `PROCESSING_FAILED: ${err.message}`.slice(0, 500));
        this.failures.delete(m.uid);
        done.push(m.uid);
      } catch (e) {
        this.log.error({ uid: m.uid, err: (e as Error).message }, 'email could not be quarantined');
      }
    }
    return done;
  }
}

type Fetched = { uid: number; raw: Buffer; receivedAt: Date };

/** The answer to an IMAP command, or an error when the server stays silent too long. */
function answered<T>(p: Promise<T>, command: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${command} within ${COMMAND_TIMEOUT_MS / 1000} s`)), COMMAND_TIMEOUT_MS);
    timer.unref();
  });
  return guarded(Promise.race([guarded(p), silent]).finally(() => clearTimeout(timer)));
}

/** A fetch started ahead: its failure is reported when it is awaited, never as an unhandled rejection. */
function guarded<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** Messages fetched and handled per round trip (their outcomes commit together), by count and by size. */
const BATCH_MESSAGES = 200;
const BATCH_BYTES = 32 * 1024 * 1024;

/** Uids in ascending order, cut into batches of at most BATCH_MESSAGES and (but for one big message) BATCH_BYTES. */
export function batchesOf(messages: { uid: number; size: number }[]): number[][] {
  const sorted = [...messages].sort((a, b) => a.uid - b.uid);
  const out: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const m of sorted) {
    if (cur.length > 0 && (cur.length >= BATCH_MESSAGES || bytes + m.size > BATCH_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(m.uid);
    bytes += m.size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function looksLikeReply(raw: Buffer): boolean {
  const head = raw.subarray(0, Math.min(raw.length, 16_384)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  return /^(in-reply-to|references):/im.test(end >= 0 ? head.slice(0, end) : head);
}

/**
 * The exact bytes of the given messages. imap-simple's own fetch decodes bodies as UTF-8,
 * which corrupts 8-bit and other-charset mail, so this reads node-imap's streams as Buffers.
 * Every emitter here has an error listener: an error (of the fetch or of one body stream)
 * fails the fetch, so the messages stay in the inbox and are fetched again; it never reaches
 * the process as an unhandled 'error' event. A message whose body was cut off is left out.
 */
export function fetchRaw(conn: Pick<ImapSimple, 'imap'>, uids: number[]): Promise<{ uid: number; raw: Buffer; receivedAt: Date }[]> {
  return new Promise((resolve, reject) => {
    const out: { uid: number; raw: Buffer; receivedAt: Date }[] = [];
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    const f = conn.imap.fetch(uids, { bodies: '', struct: false });
    f.on('message', (m) => {
      const chunks: Buffer[] = [];
      let attrs: { uid?: number; date?: Date } = {};
      let complete = true;
      m.on('body', (stream) => {
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (err: Error) => {
          complete = false;
          fail(err);
        });
      });
      m.once('attributes', (a: { uid?: number; date?: Date }) => {
        attrs = a;
      });
      m.once('end', () => {
        if (complete && attrs.uid !== undefined) out.push({ uid: attrs.uid, raw: Buffer.concat(chunks), receivedAt: attrs.date ? new Date(attrs.date) : new Date() });
      });
    });
    f.on('error', fail);
    f.once('end', () => {
      if (!failed) resolve(out.sort((a, b) => a.uid - b.uid));
    });
  });
}
