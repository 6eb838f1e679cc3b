import { LaporFailureKind, LaporStatus } from './lapor-gateway.port';

/** A case that came through SP4N-LAPOR!: one per tracking ID. */
export interface LaporCaseRecord {
  caseId: string;
  trackingId: string;
  /** When LAPOR! received the report from the citizen. */
  laporReceivedAt: Date;
  dispositionedAt: Date;
  /** LAPOR!'s follow-up deadline: 5 working days from disposition (office calendar). */
  followUpDueAt: Date;
  /** When LAPOR_FOLLOW_UP_WARNING is due. */
  followUpWarnAt: Date;
  status: LaporStatus;
  rahasia: boolean;
  anonim: boolean;
  /** The last follow-up posted (by hand or through the API). */
  followedUpAt: Date | null;
  /** When LAPOR! closes the report if the reporter does not reply (10 working days after the follow-up). */
  autoCloseAt: Date | null;
}

export type LaporAlertType = 'LAPOR_FOLLOW_UP_WARNING' | 'LAPOR_FOLLOW_UP_BREACHED';

export type LaporOutboxKind = 'ANSWER' | 'FOLLOW_UP' | 'STATUS';

/** The report statuses the agency posts to LAPOR!. */
export type LaporAgencyStatus = 'IN_PROGRESS' | 'FINISHED';

/** A follow-up or status waiting to be posted to LAPOR! (written from the committed case event). */
export interface LaporOutboxItem {
  id: string;
  caseId: string;
  trackingId: string;
  kind: LaporOutboxKind;
  /** The follow-up's text; for a STATUS row, the LaporAgencyStatus to post. */
  text: string;
  attachmentFileIds: string[];
  attempts: number;
}

/** A report that could not be mapped to a case, kept with the reason. */
export interface LaporQuarantineEntry {
  id: string;
  trackingId: string | null;
  reason: string;
  /** The raw payload as received (for the developer documentation's sake). */
  payload: string;
  quarantinedAt: Date;
}

/** The channel's last state, shared by every instance. */
export interface LaporChannelState {
  lastPullAt: Date | null;
  lastSuccessAt: Date | null;
  errorKind: LaporFailureKind | null;
  lastError: string | null;
}

/** The module's own tables. */
export interface LaporStore {
  /** Links the case to its tracking ID (once: an existing link is returned unchanged). */
  link(rec: LaporCaseRecord): Promise<LaporCaseRecord>;
  byTrackingId(trackingId: string): Promise<LaporCaseRecord | null>;
  byCaseId(caseId: string): Promise<LaporCaseRecord | null>;
  update(rec: LaporCaseRecord): Promise<void>;
  /** Cases whose follow-up warning or deadline has come (no follow-up yet), oldest first. */
  dueAlerts(now: Date, limit: number): Promise<{ caseId: string; type: LaporAlertType }[]>;
  /** Marks an alert as raised; false when it was raised already. */
  markAlert(caseId: string, type: LaporAlertType, now: Date): Promise<boolean>;
  /** Followed-up reports whose auto-close instant has passed. */
  dueAutoCloses(now: Date, limit: number): Promise<string[]>;
  /** The id of the newest case event (any case), null when there is none. */
  latestCaseEventId(): Promise<string | null>;
  cursor(name: string): Promise<string | null>;
  setCursor(name: string, value: string): Promise<void>;
  /** Enqueues once per id and per source event and kind; false when it was there already. */
  enqueue(item: Omit<LaporOutboxItem, 'attempts'>, sourceEventId: string, now: Date): Promise<boolean>;
  /**
   * Claims the next due item (no other instance sends it meanwhile); null when none. A STATUS
   * row waits while a follow-up or answer of the same case from an earlier event is unsent.
   */
  claimNext(now: Date, leaseMs: number): Promise<LaporOutboxItem | null>;
  markSent(id: string, response: string, now: Date): Promise<void>;
  /** A failed attempt: retried at `retryAt`, or given up (`retryAt` null). */
  markFailed(id: string, error: string, retryAt: Date | null): Promise<void>;
  quarantine(entry: Omit<LaporQuarantineEntry, 'id'>): Promise<void>;
  quarantined(first: number): Promise<LaporQuarantineEntry[]>;
  /** Outbox rows not sent yet (pending or being sent; given-up rows are not counted). */
  pendingCount(): Promise<number>;
  channelState(): Promise<LaporChannelState>;
  setChannelState(state: LaporChannelState): Promise<void>;
}
