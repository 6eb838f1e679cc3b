import { CaseKind, Channel, ComplaintClass } from '../case/case-types';
import { RequesterInput } from '../case/requester';
import { Requirements } from '../case/requirements';

/** What every channel hands to the core: one thing that arrived at the bureau. */
export interface IntakeItem {
  kind: CaseKind;
  channel: Channel;
  subject: string;
  description?: string | null;
  /** When the bureau received it; defaults to now. Can be earlier than logging. */
  receivedAt?: Date | null;
  complaintClass?: ComplaintClass | null;
  requester?: RequesterInput | null;
  /** Hide the identity from handlers; defaults to true for complaints, false for information requests. */
  confidential?: boolean | null;
  requirements?: { [K in keyof Requirements]?: boolean | null } | null;
  /** Channel facts (caller number, fax number...), normalized by the adapter. */
  channelDetails?: Record<string, string>;
  /**
   * Makes the intake idempotent: the same key (with the same content) returns the same case.
   * Adapters namespace it (`api:`, `email:`...).
   */
  dedupeKey?: string | null;
}
