import { PreparedCase } from '../intake/intake.service';

/** A complaint-box opening: one batch of entries, each of which became a case. */
export interface BoxOpening {
  id: string;
  idempotencyKey: string | null;
  /** Hash of what was asked, so that a key reused for another batch is caught. */
  fingerprint: string;
  openedAt: Date;
  openedBy: string;
  witnesses: string[];
  recordedBy: string;
  recordedAt: Date;
  /** In entry order. */
  cases: { id: string; reference: string }[];
}

/** One visitor in the guest book (buku tamu). */
export interface Visit {
  id: string;
  name: string;
  institution: string | null;
  purpose: string;
  visitedAt: Date;
  caseId: string | null;
  caseReference: string | null;
  recordedBy: string;
  recordedAt: Date;
}

export interface DeskRecordRepository {
  /**
   * In ONE transaction: claims the idempotency key (if any), stores the prepared cases (with
   * their timeline, outbox rows and attachments) and the opening. When the key is already
   * claimed, nothing is written and the stored opening is returned with `created: false`.
   */
  recordBoxOpening(opening: Omit<BoxOpening, 'cases'>, cases: PreparedCase[]): Promise<{ created: boolean; opening: BoxOpening }>;
  insertVisit(visit: Omit<Visit, 'caseReference'>): Promise<Visit>;
  /** Visits with from <= visitedAt < to, in order of arrival. */
  visitsBetween(from: Date, to: Date): Promise<Visit[]>;
}
