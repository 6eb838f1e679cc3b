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
  subscribe(listener: (change: CaseChange) => void): () => void;
}
