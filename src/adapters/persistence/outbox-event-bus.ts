import { Client } from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { Logger } from 'pino';
import { CaseChange, CaseEventBus } from '../../domain/events/case-event-bus.port';
import { OUTBOX_CHANNEL, OutboxPayload } from './intake-group-commit';
import { TypeormCaseRepository } from './typeorm-case.repository';

const SEEN_LIMIT = 10_000;
const MAX_BACKOFF_MS = 10_000;

/**
 * Turns committed outbox rows into in-process case changes. Every instance LISTENs on the
 * outbox channel (PostgreSQL: its own connection, reconnecting with backoff and catching up
 * from the outbox table; PGlite: in-process listen), loads what changed once, and hands it to
 * its local listeners (the GraphQL subscriptions).
 */
export class OutboxEventBus implements CaseEventBus {
  private readonly listeners = new Set<(change: CaseChange) => void>();
  private readonly seen = new Set<string>();
  private readonly commitListeners = new Set<() => void>();
  private client: Client | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = false;
  private connected = false;
  private lostAt: Date | null = null;
  /** Notices are handled one after another so that listeners see commit order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: TypeormCaseRepository,
    private readonly source: { kind: 'postgres'; url: string } | { kind: 'pglite'; pglite: PGlite },
    private readonly log: Logger,
  ) {}

  subscribe(listener: (change: CaseChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called on every committed change, cheaply (nothing is loaded for it). */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  get isListening(): boolean {
    return this.connected;
  }

  async start(): Promise<void> {
    if (this.source.kind === 'pglite') {
      this.unlisten = await this.source.pglite.listen(OUTBOX_CHANNEL, (payload) => this.enqueue(payload));
      this.connected = true;
      return;
    }
    await this.connect(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connected = false;
    await this.unlisten?.();
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
    await this.chain;
  }

  private async connect(attempt: number): Promise<void> {
    if (this.stopped || this.source.kind !== 'postgres') return;
    const client = new Client({ connectionString: this.source.url, keepAlive: true });
    client.on('notification', (msg) => {
      if (msg.channel === OUTBOX_CHANNEL && msg.payload) this.enqueue(msg.payload);
    });
    client.on('error', (err) => this.log.warn({ err: err.message }, 'outbox listener connection error'));
    client.on('end', () => {
      if (this.client !== client || this.stopped) return;
      this.client = null;
      this.connected = false;
      this.lostAt = new Date();
      this.log.warn('outbox listener disconnected; reconnecting');
      void this.connect(1);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.client = client;
      this.connected = true;
      if (this.lostAt) {
        // Notices sent while we were away are lost; the outbox table still has them.
        const since = new Date(this.lostAt.getTime() - 60_000);
        this.lostAt = null;
        for (const p of await this.repo.outboxSince(since)) this.enqueue(JSON.stringify(p));
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      if (attempt === 0) throw err;
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempt, 6));
      this.log.warn({ err: (err as Error).message, delay }, 'outbox listener reconnect failed');
      setTimeout(() => void this.connect(attempt + 1), delay).unref();
    }
  }

  private enqueue(raw: string): void {
    this.chain = this.chain.then(() => this.handle(raw)).catch((err: Error) => {
      this.log.error({ err: err.message }, 'failed to deliver a case change');
    });
  }

  private async handle(raw: string): Promise<void> {
    const notice = JSON.parse(raw) as OutboxPayload;
    if (this.seen.has(notice.outboxId)) return;
    this.seen.add(notice.outboxId);
    if (this.seen.size > SEEN_LIMIT) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    for (const l of this.commitListeners) l();
    if (this.listeners.size === 0) return;
    const loaded = await this.repo.loadChange(notice.caseId, notice.eventIds);
    if (!loaded) return;
    const change: CaseChange = { ...loaded, created: notice.created };
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'case change listener failed');
      }
    }
  }
}
