import { WaMedia } from './whatsapp-message';

export type WaOutcome = 'CREATED' | 'JOINED' | 'NOTED' | 'IGNORED';

/** One handled message, and what comes with it; written in ONE transaction, idempotently. */
export interface WaHandled {
  wamid: string;
  deliveryId: string;
  type: string;
  outcome: WaOutcome;
  caseId: string | null;
  /** The conversation to remember (threading, the 24-hour window); null for an ignored message. */
  thread: { waId: string; caseId: string; at: Date } | null;
  /** A file to download later, attached to the case when it arrives. */
  media: WaMedia | null;
  /** The acknowledgement of a new case (at most one per case). */
  acknowledgement: { caseId: string; toWaId: string; text: string } | null;
}

/** The WhatsApp channel's own records: handled messages, conversations, pending work. */
export interface WhatsAppInboxStore {
  /** Whether this message (by wamid) was handled before. */
  isHandled(wamid: string): Promise<boolean>;
  /** The conversation of a number: its case and the time of its last message. */
  threadOf(waId: string): Promise<{ caseId: string; lastInboundAt: Date } | null>;
  /**
   * Records the handled message with its conversation, media download and acknowledgement
   * (each at most once: a repeat writes nothing new) and releases the answers held for the
   * citizen's reply. One transaction.
   */
  recordHandled(h: WaHandled): Promise<void>;
  /** The send of a message Loket made with this wamid: its case, if known. */
  caseOfSentMessage(wamid: string): Promise<string | null>;
}
