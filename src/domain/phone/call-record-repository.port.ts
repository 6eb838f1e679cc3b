import { CallRecord } from './call-record';

export interface CallRecordRepository {
  /** Stores the records whose dedupe key is new; returns how many were stored. */
  insertNew(records: CallRecord[]): Promise<number>;
  findById(id: string): Promise<CallRecord | null>;
  /**
   * Calls to `extension` that started in [from, to), with one of `dispositions`, that no case
   * refers to; one per call (the legs of a ring group count once), oldest first.
   */
  unlinked(extension: string, dispositions: readonly string[], from: Date, to: Date, limit: number): Promise<CallRecord[]>;
  /**
   * Links the record (and the other legs of the same call) to the case, unless it is linked to
   * another case already. True when the record is now linked to `caseId`.
   */
  linkToCase(record: CallRecord, caseId: string): Promise<boolean>;
}
