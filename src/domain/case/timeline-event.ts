export const TIMELINE_EVENT_TYPES = [
  'CASE_CREATED',
  'STATUS_CHANGED',
  'COMPLAINT_CLASSIFIED',
  'DEADLINE_CHANGED',
  /** A calendar change moved the deadline of an open case (before/after, and the change as `after.cause`). */
  'DEADLINE_MOVED',
  'REQUIREMENTS_UPDATED',
  'ASSIGNED',
  'NOTE_ADDED',
  'ANSWER_DRAFTED',
  'ANSWERED',
  'REJECTED',
  'MERGED_INTO',
  'MERGED_FROM',
  'DUPLICATE_INTAKE',
  'IDENTITY_ERASED',
  'INCOMING_MESSAGE',
  'MAIL_SENT',
  'DELIVERY_FAILED',
  /** What the messaging service reported of a message Loket sent (sent, delivered, read). */
  'MESSAGE_STATUS',
  'CASE_PAUSED',
  'CASE_RESUMED',
  'SLA_WARNING',
  'SLA_BREACHED',
  /** A follow-up (tindak lanjut) waits in the LAPOR! outbox (postLaporFollowUp). */
  'LAPOR_FOLLOW_UP_QUEUED',
  /** A follow-up was posted on LAPOR! (by the outbox worker, with LAPOR!'s answer, or recorded by hand). */
  'LAPOR_FOLLOW_UP',
  /** Posting to LAPOR! was given up after retries. */
  'LAPOR_FOLLOW_UP_FAILED',
  'LAPOR_FOLLOW_UP_WARNING',
  'LAPOR_FOLLOW_UP_BREACHED',
  /** LAPOR! closed the report (no reply for 10 working days after a follow-up, or closed there). */
  'LAPOR_CLOSED',
  /** Loket posted the report's status to LAPOR! (IN_PROGRESS when worked, FINISHED when answered). */
  'LAPOR_STATUS_POSTED',
  /**
   * The report's subject or description on LAPOR! differs from what Loket last knew (changed there,
   * or typed differently when registered by hand): the new text is on the timeline, the case's own
   * subject and description stay as received.
   */
  'LAPOR_REPORT_CHANGED',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

export type LaporEventType = Extract<TimelineEventType, `LAPOR_${string}`>;

/** Who did something: a staff user, an API client or an intake adapter. */
export interface Actor {
  id: string;
  kind: 'USER' | 'SYSTEM';
}

/**
 * One append-only entry in a case's history. `before`/`after` hold the changed values;
 * `text` holds human text (a note, an answer) that full-text search also covers.
 */
export interface TimelineEvent {
  /** Assigned by the store; increases with commit order within a case. */
  id?: string;
  caseId: string;
  type: TimelineEventType;
  actor: Actor;
  at: Date;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  text: string | null;
}
