import { ParsedCall } from './cdr-record';

/** One line of the PBX's call log, as stored; `caseId` is set once a clerk logged the call. */
export interface CallRecord extends ParsedCall {
  id: string;
  caseId: string | null;
  importedAt: Date;
}

/** Dispositions that mean a person called: answered, or missed (no answer, busy). */
export const FOLLOW_UP_DISPOSITIONS = ['ANSWERED', 'NO ANSWER', 'BUSY'] as const;

export interface PhoneSettings {
  /** The complaint line's extension (126 at the bureau). */
  complaintExtension: string;
  /** The PBX's wall-clock zone for the times in Master.csv. */
  pbxTimeZone: string;
}

export const DEFAULT_PHONE_SETTINGS: PhoneSettings = { complaintExtension: '126', pbxTimeZone: 'Asia/Pontianak' };
