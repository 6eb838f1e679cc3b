/** The two kinds of case the bureau's service standard defines. */
export const CASE_KINDS = ['INFORMATION_REQUEST', 'COMPLAINT'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** The seven intake channels named by the service standard. */
export const CHANNELS = ['WALK_IN', 'COMPLAINT_BOX', 'WHATSAPP', 'PHONE', 'FAX', 'EMAIL', 'LAPOR'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CASE_STATUSES = [
  'INCOMPLETE',
  'RECEIVED',
  'IN_PROGRESS',
  'ANSWERED',
  'CLOSED',
  'REJECTED',
  'MERGED',
  /** The clock is stopped: waiting for the requester or a third party (pauseCase / resumeCase). */
  'WAITING',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Complaint classes of "Jangka Waktu Penyelesaian Pengaduan". */
export const COMPLAINT_CLASSES = ['LIGHT', 'NORMATIVE', 'NON_SUPERVISORY', 'SUPERVISORY'] as const;
export type ComplaintClass = (typeof COMPLAINT_CLASSES)[number];

export const REJECTION_REASONS = ['OUT_OF_AUTHORITY', 'SPAM', 'WITHDRAWN'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** How an answer reached the requester. */
export const DELIVERY_METHODS = ['IN_PERSON', 'LETTER', 'EMAIL', 'WHATSAPP', 'PHONE', 'FAX', 'LAPOR'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** Why a case's clock was stopped (pauseCase). */
export const PAUSE_REASONS = ['WAITING_FOR_REQUESTER', 'WAITING_FOR_THIRD_PARTY'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];
