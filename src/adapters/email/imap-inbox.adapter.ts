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

/** What the inbox does with one message; resolve to move it out of the inbox. */
export type MessageHandler = (raw: Buffer, receivedAt: Date) => Promise<void>;
/** After this many failed attempts a message is handed to `giveUp` (quarantine) and moved. */
const MAX_ATTEMPTS = 3;
const MAX_BACKOFF_MS = 60_000;
const STOP_WAIT_MS = 5_000;
const CHECK_TIMEOUT_MS = 600_000;

/**
 * The kesra@ inbox over IMAP (imap-simple): new mail arrives through IDLE when the server
 * offers it, with polling as a fallback; each message is handled, and only then moved to
 * the processed folder. A dropped connection is re-established with backoff. One message
 * that keeps failing is given up on (quarantined) and never blocks the ones after it.
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
    private readonly handle: MessageHandler,
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
          keepalive: { interval: 10_000, idleInterval: 300_000, forceNoop: true },
        },
        onmail: () => this.kick(),
      } as imaps.ImapSimpleOptions);
      conn.on('error', (err: Error) => this.lost(err));
      conn.on('close', () => this.lost(new Error('connection closed')));
      conn.on('end', () => this.lost(new Error('connection ended')));
      await this.ensureFolder(conn, this.config.processedFolder);
      await conn.openBox(this.config.mailbox);
      if (this.stopped) {
        conn.end();
        return;
      }
      this.conn = conn;
      this.attempts = 0;
      this.status.state = 'CONNECTED';
      this.status.connectedSince = new Date();
      this.status.lastError = null;
      this.log.info({ mailbox: this.config.mailbox }, 'imap inbox connected');
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
    const boxes = await conn.getBoxes();
    if (!Object.keys(boxes).some((b) => b.toLowerCase() === name.toLowerCase())) await conn.addBox(name);
  }

  private async drain(): Promise<void> {
    const conn = this.conn;
    if (!conn) return;
    this.status.lastCheckAt = new Date();
    const listed = await conn.search(['ALL'], { bodies: [], struct: false });
    const uids = listed.map((m) => m.attributes.uid).sort((a, b) => a - b);
    for (let i = 0; i < uids.length; i += FETCH_BATCH) {
      if (this.stopped || this.conn !== conn) return;
      const fetched = await fetchRaw(conn, uids.slice(i, i + FETCH_BATCH));
      // Replies go after the mail they may answer, so that a thread in one batch joins up.
      const fresh = fetched.filter((m) => !looksLikeReply(m.raw));
      const replies = fetched.filter((m) => looksLikeReply(m.raw));
      const done: number[] = [];
      for (const group of [fresh, replies]) {
        await runLimited(group, HANDLE_CONCURRENCY, async (m) => {
          if (await this.handleOne(m)) done.push(m.uid);
        });
      }
      // Moved only after their outcome is committed; one MOVE for the batch.
      if (done.length > 0) await conn.moveMessage(done.sort((a, b) => a - b).map(String), this.config.processedFolder);
    }
  }

  /** True when the message is finished with (handled, or given up on) and may be moved. */
  private async handleOne(m: { uid: number; raw: Buffer; receivedAt: Date }): Promise<boolean> {
    try {
      await this.handle(m.raw, m.receivedAt);
      this.status.processed++;
    } catch (err) {
      const n = (this.failures.get(m.uid) ?? 0) + 1;
      this.failures.set(m.uid, n);
      this.status.failed++;
      this.log.error({ uid: m.uid, attempt: n, err: (err as Error).message }, 'email could not be processed');
      if (n < MAX_ATTEMPTS) return false; // left in the inbox; tried again on the next check
      await this.giveUp(m.raw, m.receivedAt, `PROCESSING_FAILED: ${(err as Error).message}`.slice(0, 500));
    }
    this.failures.delete(m.uid);
    return true;
  }
}

/** Messages fetched and handled per round trip, and handled at once (their intakes commit together). */
const FETCH_BATCH = 100;
const HANDLE_CONCURRENCY = 40;

function looksLikeReply(raw: Buffer): boolean {
  const head = raw.subarray(0, Math.min(raw.length, 16_384)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  return /^(in-reply-to|references):/im.test(end >= 0 ? head.slice(0, end) : head);
}

async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}

/**
 * The exact bytes of the given messages. imap-simple's own fetch decodes bodies as UTF-8,
 * which corrupts 8-bit and other-charset mail, so this reads node-imap's streams as Buffers.
 */
function fetchRaw(conn: ImapSimple, uids: number[]): Promise<{ uid: number; raw: Buffer; receivedAt: Date }[]> {
  return new Promise((resolve, reject) => {
    const out: { uid: number; raw: Buffer; receivedAt: Date }[] = [];
    const f = conn.imap.fetch(uids, { bodies: '', struct: false });
    f.on('message', (m) => {
      const chunks: Buffer[] = [];
      let attrs: { uid?: number; date?: Date } = {};
      m.on('body', (stream) => stream.on('data', (c: Buffer) => chunks.push(c)));
      m.once('attributes', (a: { uid?: number; date?: Date }) => {
        attrs = a;
      });
      m.once('end', () => {
        if (attrs.uid !== undefined) out.push({ uid: attrs.uid, raw: Buffer.concat(chunks), receivedAt: attrs.date ? new Date(attrs.date) : new Date() });
      });
    });
    f.once('error', reject);
    f.once('end', () => resolve(out.sort((a, b) => a.uid - b.uid)));
  });
}
