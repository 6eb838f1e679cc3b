import { CaseProps } from '../domain/case/case';
import { CaseRepository } from '../domain/case/case-repository.port';
import { TimelineEvent } from '../domain/case/timeline-event';
import { CaseChange, CaseEventBus } from '../domain/events/case-event-bus.port';

const REPLAY_BATCH = 500;
/** A subscriber that falls this far behind is disconnected rather than buffering without end. */
const MAX_QUEUE = 10_000;

export class SubscriberTooSlowError extends Error {
  constructor() {
    super('Subscriber fell too far behind; resubscribe with the last cursor');
  }
}

/** A push-to-pull queue: live items are buffered until the consumer asks for them. */
class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private failed: Error | null = null;
  private done = false;

  constructor(private readonly onClose: () => void) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: item, done: false });
    } else if (this.items.length >= MAX_QUEUE) {
      this.fail(new SubscriberTooSlowError());
    } else this.items.push(item);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift() as T, done: false });
    if (this.failed) return Promise.reject(this.failed);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Ends the stream with an error for the consumer. */
  fail(err: Error): void {
    if (this.done) return;
    this.failed = err;
    this.items = [];
    this.finish();
  }

  throw(err: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      if (this.failed) w(Promise.reject(this.failed) as never);
      else w({ value: undefined, done: true });
    }
  }
}

/**
 * Live case streams for the GraphQL subscriptions of this instance, fed by the event bus
 * (which hears committed changes from every instance).
 */
export class CaseStream {
  private readonly created = new Set<(c: CaseProps) => void>();
  private readonly events = new Set<(e: TimelineEvent, c: CaseProps) => void>();

  private detach: (() => void) | null = null;

  constructor(
    private readonly bus: CaseEventBus,
    private readonly cases: CaseRepository,
  ) {}

  /** Listens to the bus only while someone is subscribed: no subscriber, no loading of changes. */
  private attach(): void {
    this.detach ??= this.bus.subscribe((change: CaseChange) => {
      if (change.created) for (const l of this.created) l(change.case);
      for (const e of change.events) for (const l of this.events) l(e, change.case);
    });
  }

  private release(): void {
    if (this.subscriberCount === 0 && this.detach) {
      this.detach();
      this.detach = null;
    }
  }

  get subscriberCount(): number {
    return this.created.size + this.events.size;
  }

  /** New cases that pass `accept`, from now on. */
  caseCreated(accept: (c: CaseProps) => boolean): AsyncIterableIterator<CaseProps> {
    const listener = (c: CaseProps): void => {
      if (accept(c)) queue.push(c);
    };
    const queue = new AsyncQueue<CaseProps>(() => {
      this.created.delete(listener);
      this.release();
    });
    this.created.add(listener);
    this.attach();
    return queue;
  }

  /** Live timeline events, each with its case as committed, mapped by `view` (null: not for this subscriber). */
  liveEvents<T>(view: (e: TimelineEvent, c: CaseProps) => T | null): AsyncIterableIterator<T> {
    const listener = (e: TimelineEvent, c: CaseProps): void => {
      const item = view(e, c);
      if (item !== null) queue.push(item);
    };
    const queue = new AsyncQueue<T>(() => {
      this.events.delete(listener);
      this.release();
    });
    this.events.add(listener);
    this.attach();
    return queue;
  }

  /**
   * Timeline events (of one case, or all), live, in event id (cursor) order. With `afterId`,
   * the events stored since then are replayed first, up to the bus's position when the
   * subscription started; the bus hands on everything after that position live, in order,
   * so there is no gap and no duplicate.
   */
  caseEvents(
    caseId: string | null,
    afterId: string | null,
    viewOf: (e: TimelineEvent, c: CaseProps) => TimelineEvent | null = (e) => e,
  ): AsyncIterableIterator<TimelineEvent> {
    let replaying = afterId !== null;
    const held: [TimelineEvent, CaseProps][] = [];
    // The last event id handed to this subscriber (or its cursor): never anything at or below it.
    let last = afterId === null ? -1n : BigInt(afterId);
    const deliver = (event: TimelineEvent, c: CaseProps): void => {
      const id = BigInt(event.id ?? '0');
      if (id <= last) return;
      last = id;
      const e = viewOf(event, c);
      if (e) queue.push(e);
    };
    const listener = (event: TimelineEvent, c: CaseProps): void => {
      if (caseId && event.caseId !== caseId) return;
      if (replaying) held.push([event, c]);
      else deliver(event, c);
    };
    const queue = new AsyncQueue<TimelineEvent>(() => {
      this.events.delete(listener);
      this.release();
    });
    this.events.add(listener);
    this.attach();
    if (afterId === null) return queue;
    // Read in the same turn as the listener was added: the bus hands on everything after it.
    const upTo = this.bus.deliveredUpTo();

    // Replayed events come without their case; look each case up once.
    const casesSeen = new Map<string, CaseProps | null>();
    const caseOf = async (id: string): Promise<CaseProps | null> => {
      if (!casesSeen.has(id)) casesSeen.set(id, (await this.cases.findById(id))?.snapshot() ?? null);
      return casesSeen.get(id)!;
    };
    void (async () => {
      let cursor: string = afterId;
      for (;;) {
        const batch = await this.cases.eventsAfter(cursor, caseId, REPLAY_BATCH, upTo);
        for (const event of batch) {
          const c = await caseOf(event.caseId);
          if (c) deliver(event, c);
        }
        if (batch.length < REPLAY_BATCH) break;
        cursor = batch[batch.length - 1].id ?? cursor;
      }
      replaying = false;
      for (const [e, c] of held.splice(0)) deliver(e, c);
    })().catch((err: Error) => queue.fail(err));
    return queue;
  }
}
