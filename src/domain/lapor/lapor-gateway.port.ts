/**
 * SP4N-LAPOR! (lapor.go.id) as the core sees it: reports dispositioned to the bureau, their
 * attachments and the reporter's replies, and the follow-ups (tindak lanjut) and statuses the
 * bureau posts back. The HTTP format lives only in src/adapters/lapor.
 */

/** Where a report stands on LAPOR!, as Loket tracks it. */
export const LAPOR_STATUSES = ['DISPOSITIONED', 'FOLLOWED_UP', 'REPLIED', 'CLOSED'] as const;
export type LaporStatus = (typeof LAPOR_STATUSES)[number];

export interface LaporAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A reply of the reporter on LAPOR! (after a follow-up). */
export interface LaporReply {
  /** LAPOR!'s id of the reply: stable, used to take each reply once. */
  id: string;
  at: Date;
  text: string;
  attachments: LaporAttachment[];
}

export interface LaporReporter {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  nik?: string | null;
  address?: string | null;
}

/** One report as LAPOR! holds it. */
export interface LaporReport {
  trackingId: string;
  /** When LAPOR! received it from the citizen. */
  receivedAt: Date;
  /** When LAPOR! dispositioned it to the bureau (the follow-up clock starts here). */
  dispositionedAt: Date;
  subject: string;
  description: string | null;
  /** Hidden from the public. */
  rahasia: boolean;
  /** Reporter hidden from the agency: no reporter data at all. */
  anonim: boolean;
  reporter: LaporReporter | null;
  attachments: LaporAttachment[];
  replies: LaporReply[];
  /** LAPOR! closed it (a follow-up and no reply for 10 working days, or closed by LAPOR!). */
  closed: boolean;
}

/** One disposition in a pull: the report's tracking ID and when it last changed. */
export interface LaporDisposition {
  trackingId: string;
  changedAt: Date;
}

export interface LaporPull {
  dispositions: LaporDisposition[];
  /** The cursor for the next pull (opaque). */
  nextCursor: string | null;
}

/** What LAPOR! answered to a posted follow-up. */
export interface LaporPostResult {
  /** LAPOR!'s id of the follow-up. */
  id: string;
  /** LAPOR!'s own status word, as returned. */
  status: string;
}

/** Why a call to LAPOR! failed; the channel shows it (laporChannelStatus, readiness). */
export type LaporFailureKind = 'AUTH_REJECTED' | 'UNREACHABLE' | 'MALFORMED';

/** A failed call. `message` is English and carries no personal data or token. */
export class LaporGatewayError extends Error {
  constructor(readonly kind: LaporFailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LaporGatewayError';
  }
}

/** A report LAPOR! returned that cannot be mapped to a case; quarantined with the reason. */
export class LaporUnmappableReportError extends Error {
  constructor(readonly trackingId: string | null, readonly reason: string, readonly payload: string) {
    super(`LAPOR! report cannot be mapped: ${reason}`);
    this.name = 'LaporUnmappableReportError';
  }
}

/** The port. Every method throws LaporGatewayError; fetchReport may throw LaporUnmappableReportError. */
export interface LaporGateway {
  /** Reports dispositioned to the bureau (or changed) since `cursor` (null: from the start). */
  pullDispositions(cursor: string | null): Promise<LaporPull>;
  /** One report with its attachments and the reporter's replies. */
  fetchReport(trackingId: string): Promise<LaporReport>;
  /** Posts a follow-up; `ref` is Loket's id of it (sent along so LAPOR! can refuse a repeat). */
  postFollowUp(trackingId: string, followUp: { ref: string; text: string; attachments: LaporAttachment[] }): Promise<LaporPostResult>;
  /** Posts the report's status as the agency sets it (IN_PROGRESS: being worked; FINISHED: answered). */
  postStatus(trackingId: string, status: 'IN_PROGRESS' | 'FINISHED'): Promise<void>;
}
