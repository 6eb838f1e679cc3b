import type { Case, SlaAlertType } from '../case/case';

/** An SLA alert that is due: the case's warning instant or deadline has come, and it was not fired for this deadline. */
export interface DueSlaAlert {
  caseId: string;
  type: SlaAlertType;
  /** The deadline the alert is for; an alert fires once per case, type and deadline. */
  dueAt: Date;
}

/** Where fired SLA alerts are kept, keyed by (case, type, dueAt). */
export interface SlaAlertStore {
  /**
   * Open cases whose warning instant (not yet due) or deadline is at or before `now` and whose
   * alert for the current deadline was not fired yet, nearest deadline first.
   */
  dueSlaAlerts(now: Date, limit: number): Promise<DueSlaAlert[]>;
  /**
   * In ONE transaction: claims (case, type, dueAt), only while the case is still open with that
   * deadline, and stores the case's pending timeline event with its outbox row. False when the
   * alert was already fired (by another instance or an earlier try) or the case changed.
   */
  recordSlaAlert(c: Case, alert: DueSlaAlert, firedAt: Date): Promise<boolean>;
  /** Ids of open cases with a deadline but no warning instant (stored before SLA warnings existed). */
  casesWithoutWarnAt(limit: number): Promise<string[]>;
}
