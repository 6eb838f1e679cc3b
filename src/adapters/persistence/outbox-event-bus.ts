import { Client } from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { Logger } from 'pino';
import { CaseChange, CaseEventBus } from '../../domain/events/case-event-bus.port';
import { TimelineEvent } from '../../domain/case/timeline-event';
import { OUTBOX_CHANNEL } from './intake-group-commit';
import { TypeormCaseRepository } from './typeorm-case.repository';

/** Events read (and handed on) per query while catching up. */
const BATCH = 500;
/** The listener reconnects at most this long after losing its connection (then at this pace). */
const MAX_RECONNECT_MS = 1_000;
/** Delivery retries after a failed read at most this far apart; nothing is skipped meanwhile. */
const MAX_RETRY_MS = 1_000;
/** A lost notification (or none at all) delays delivery by at most this. */
const POLL_MS = 2_000;
/** Pace of the checks whether the writers in flight at the probe have ended. */
const WRITER_POLL_MAX_MS = 50;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Turns committed timeline events into in-process case changes, strictly in event id order,
 * which is the order of the `caseEvents(after:)` cursor: a client that resumes from the last
 * cursor it received gets exactly what it has not seen.
 *
 * NOTIFY (PostgreSQL: its own LISTEN connection; PGlite: in-process listen) is only a wake-up.
 * On each wake-up the bus reads the events after the last one it delivered, up to a *safe
 * horizon*: an id below which nothing can still appear. Ids come from a sequence, drawn before
 * commit, so a lower id may commit after a higher one (two transactions in flight); delivering
 * the higher one first would let a client's cursor pass the lower one for good. The horizon:
 *  1. read the sequence's last value L;
 *  2. then read the transactions holding the event writers' shared advisory lock, which
 *     case_event_next_id() takes before it draws an id and which is held until the transaction
 *     ends. A transaction that drew an id <= L took the lock before step 1, so it is either over
 *     or in this list;
 *  3. wait until every listed transaction is over (the lock is released only after the commit
 *     is visible to new snapshots). Now every id <= L is committed or never will be: L is the
 *     horizon. Only transactions in flight at step 2 are waited for, so the horizon keeps up
 *     under constant load, a transaction's length behind.
 * A failed read (the database away) is retried from the same position, so nothing is lost;
 * after a lost connection the listener reconnects within a second and catches up at once.
 */
export class OutboxEventBus implements CaseEventBus {
  private readonly listeners = new Set<(change: CaseChange) => void>();
  private readonly commitListeners = new Set<() => void>();
  private client: Client | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private poll: NodeJS.Timeout | null = null;
  private stopped = false;
  private connected = false;
  /** Every event with an id up to this one is committed (or never will be) and was handed on. */
  private delivered: bigint | null = null;
  private pending = false;
  private pumping: Promise<void> | null = null;
  private failingSince: Date | null = null;

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

  deliveredUpTo(): string | null {
    return this.delivered === null ? null : String(this.delivered);
  }

  async start(): Promise<void> {
    if (this.source.kind === 'pglite') {
      this.unlisten = await this.source.pglite.listen(OUTBOX_CHANNEL, () => this.noticed());
      this.connected = true;
    } else {
      await this.connect(0);
    }
    // Live delivery starts after what is committed now; earlier events are for replays.
    this.delivered = await this.safeHorizon();
    this.poll = setInterval(() => this.wake(), POLL_MS);
    this.poll.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connected = false;
    if (this.poll) clearInterval(this.poll);
    await this.unlisten?.();
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
    await this.pumping;
  }

  private async connect(attempt: number): Promise<void> {
    if (this.stopped || this.source.kind !== 'postgres') return;
    const client = new Client({ connectionString: this.source.url, keepAlive: true });
    client.on('notification', (msg) => {
      if (msg.channel === OUTBOX_CHANNEL) this.noticed();
    });
    client.on('error', (err) => this.log.warn({ err: err.message }, 'outbox listener connection error'));
    client.on('end', () => {
      if (this.client !== client || this.stopped) return;
      this.client = null;
      this.connected = false;
      this.log.warn('outbox listener disconnected; reconnecting');
      void this.connect(1);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.connected = true;
      if (attempt > 0) {
        this.log.info({ attempts: attempt }, 'outbox listener reconnected; catching up');
        // Notices sent while away are lost; the table still has the events.
        this.noticed();
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      if (attempt === 0) throw err;
      const delay = Math.min(MAX_RECONNECT_MS, 100 * 2 ** Math.min(attempt, 4));
      if (attempt === 1) this.log.warn({ err: (err as Error).message }, 'outbox listener reconnect failed; retrying every second');
      setTimeout(() => void this.connect(attempt + 1), delay).unref();
    }
  }

  private noticed(): void {
    for (const l of this.commitListeners) {
      try {
        l();
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'commit listener failed');
      }
    }
    this.wake();
  }

  private wake(): void {
    if (this.stopped || this.delivered === null) return;
    this.pending = true;
    this.pumping ??= this.pump().finally(() => (this.pumping = null));
  }

  private async pump(): Promise<void> {
    let failures = 0;
    while (this.pending && !this.stopped) {
      this.pending = false;
      try {
        await this.catchUp();
        if (this.failingSince) {
          this.log.info({ since: this.failingSince.toISOString() }, 'case change delivery resumed');
          this.failingSince = null;
        }
        failures = 0;
      } catch (err) {
        if (this.stopped) return;
        failures++;
        if (!this.failingSince) {
          this.failingSince = new Date();
          this.log.warn({ err: (err as Error).message }, 'case change delivery delayed (database unavailable?); retrying, nothing is skipped');
        }
        this.pending = true;
        await sleep(Math.min(MAX_RETRY_MS, 50 * 2 ** Math.min(failures, 5)));
      }
    }
  }

  /** Hands on every event after `delivered` up to the safe horizon, in id order. */
  private async catchUp(): Promise<void> {
    const horizon = await this.safeHorizon();
    while (this.delivered! < horizon && !this.stopped) {
      if (this.listeners.size === 0) {
        this.delivered = horizon;
        return;
      }
      const { events, cases } = await this.repo.changesBetween(String(this.delivered), String(horizon), BATCH);
      let run: TimelineEvent[] = [];
      const flush = (): void => {
        if (run.length === 0) return;
        const c = cases.get(run[0].caseId);
        if (c) this.emit({ case: c, events: run, created: run.some((e) => e.type === 'CASE_CREATED') });
        run = [];
      };
      for (const e of events) {
        if (run.length > 0 && run[0].caseId !== e.caseId) flush();
        run.push(e);
      }
      flush();
      // Set in the same turn as the emits: a subscriber joining later replays up to here.
      this.delivered = events.length < BATCH ? horizon : BigInt(events[events.length - 1].id!);
    }
  }

  private emit(change: CaseChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'case change listener failed');
      }
    }
  }

  private async safeHorizon(): Promise<bigint> {
    const { lastId, writers } = await this.repo.eventHorizonProbe();
    let running = writers;
    let wait = 2;
    while (running.length > 0) {
      if (this.stopped) throw new Error('stopped');
      await sleep(wait);
      wait = Math.min(WRITER_POLL_MAX_MS, wait * 2);
      running = await this.repo.eventWritersRunning(running);
    }
    return BigInt(lastId);
  }
}
