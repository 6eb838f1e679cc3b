import { CaseProps } from '../case/case';
import { TimelineEvent } from '../case/timeline-event';

/** What every server instance hears after a transaction that changed a case commits. */
export interface CaseChange {
  case: CaseProps;
  events: TimelineEvent[];
  created: boolean;
}

/** Delivers committed case changes to this instance's listeners, whichever instance made them. */
export interface CaseEventBus {
  /** Changes are handed on in timeline event id order (the order of event cursors). */
  subscribe(listener: (change: CaseChange) => void): () => void;
  /**
   * The event id up to which every event is committed (or never will be) and was handed on;
   * everything after it will still be. Null before the bus started.
   */
  deliveredUpTo(): string | null;
}
