import { Case } from '../case/case';
import { CaseRepository } from '../case/case-repository.port';
import { retryOnConflict } from '../case/retry-on-conflict';
import { Actor } from '../case/timeline-event';
import { IntakeService } from '../intake/intake.service';
import { Clock } from '../shared/clock.port';
import { DomainError } from '../shared/domain-error';
import { WaOutcome, WhatsAppInboxStore } from './whatsapp-inbox.port';
import { phoneOfWaId, referenceInText, WaMessage, WaStatus } from './whatsapp-message';
import { whatsappAcknowledgement } from './whatsapp-texts';

export const WHATSAPP_ACTOR: Actor = { id: 'system:whatsapp', kind: 'SYSTEM' };
const MAX_SUBJECT = 120;
const MAX_NAME = 200;
/** A conversation joins a case that can still take a message; a finished one starts a new case. */
const FINISHED = new Set(['CLOSED', 'REJECTED', 'MERGED']);
/** Status callbacks recorded on the timeline (failed becomes DELIVERY_FAILED). */
const RECORDED_STATUSES = new Set(['sent', 'delivered', 'read']);

export interface WhatsAppIntakeOptions {
  /** A message from a number with a case younger than this (since its last message) joins it. */
  threadWindowMs: number;
  statusPageUrl: string;
}

/**
 * What becomes of a WhatsApp message: a reference number in its text joins that case; else a
 * message from a number with a recent conversation joins its case; else it is a new COMPLAINT
 * on channel WHATSAPP (name = profile name, phone = the number; confidential) with an
 * acknowledgement. A message that carries nothing to act on (a sticker, a reaction, a system
 * notice) only joins a known case as a note, and is otherwise ignored. Every step is keyed by
 * the wamid, so a repeated delivery changes nothing.
 */
export class WhatsAppIntakeService {
  constructor(
    private readonly intake: IntakeService,
    private readonly cases: CaseRepository,
    private readonly store: WhatsAppInboxStore,
    private readonly clock: Clock,
    private readonly options: WhatsAppIntakeOptions,
  ) {}

  async handleMessage(msg: WaMessage, deliveryId: string): Promise<WaOutcome> {
    if (await this.store.isHandled(msg.wamid)) return 'IGNORED';
    const key = `whatsapp:${msg.wamid}`;
    const at = Number.isNaN(msg.at.getTime()) ? this.clock.now() : msg.at;
    const done = async (outcome: WaOutcome, c: { id: string } | null, ack: string | null = null): Promise<WaOutcome> => {
      await this.store.recordHandled({
        wamid: msg.wamid, deliveryId, type: msg.type, outcome, caseId: c?.id ?? null,
        thread: c && outcome !== 'IGNORED' ? { waId: msg.waId, caseId: c.id, at } : null,
        media: c && msg.media && msg.media.kind !== 'sticker' ? msg.media : null,
        acknowledgement: c && ack ? { caseId: c.id, toWaId: msg.waId, text: ack } : null,
      });
      return outcome;
    };
    // A crash after the case was written and before the ledger: finish what that run began.
    const earlier = await this.intake.caseIdForKey(key);
    if (earlier) {
      const c = await this.cases.findById(earlier);
      const created = c?.snapshot().channelDetails.whatsappMessageId === msg.wamid;
      return done(created ? 'CREATED' : 'JOINED', { id: earlier }, created && c ? whatsappAcknowledgement(c.snapshot(), this.options.statusPageUrl) : null);
    }
    const target = await this.findThread(msg, at);
    if (target) {
      const outcome: WaOutcome = msg.role === 'NOTE' ? 'NOTED' : 'JOINED';
      await this.onCase(target.id, key, (c, now) => {
        if (msg.role === 'NOTE') c.addNote(msg.text, WHATSAPP_ACTOR, now);
        else c.recordIncomingMessage({ channel: 'WHATSAPP', from: null, subject: '', messageId: msg.wamid, attachments: [] }, msg.text, WHATSAPP_ACTOR, now);
      });
      return done(outcome, target);
    }
    if (msg.role === 'NOTE') return done('IGNORED', null);
    const result = await this.intake.intake(
      {
        kind: 'COMPLAINT',
        channel: 'WHATSAPP',
        subject: subjectOf(msg.text),
        description: msg.text,
        receivedAt: at,
        requester: { name: msg.profileName?.slice(0, MAX_NAME) ?? null, phone: phoneOfWaId(msg.waId) },
        confidential: true,
        channelDetails: { whatsappMessageId: msg.wamid },
        dedupeKey: key,
      },
      WHATSAPP_ACTOR,
    );
    return done('CREATED', result.case, whatsappAcknowledgement(result.case, this.options.statusPageUrl));
  }

  /** A status callback of a message Loket sent, on its case's timeline (once per message and status). */
  async handleStatus(st: WaStatus): Promise<'RECORDED' | 'IGNORED'> {
    const caseId = await this.store.caseOfSentMessage(st.wamid);
    if (!caseId) return 'IGNORED';
    if (st.status !== 'failed' && !RECORDED_STATUSES.has(st.status)) return 'IGNORED';
    await this.onCase(caseId, `whatsapp-status:${st.wamid}:${st.status}`, (c, now) => {
      if (st.status === 'failed') {
        const reason = st.errors.map((e) => `WhatsApp ${e.code ?? '?'}: ${e.title}`).join('; ') || 'WhatsApp: pengiriman gagal';
        c.recordDeliveryFailure(st.wamid, reason, WHATSAPP_ACTOR, now);
      } else c.recordMessageStatus('WHATSAPP', st.wamid, st.status.toUpperCase(), WHATSAPP_ACTOR, now);
    });
    return 'RECORDED';
  }

  /** A note on a case from the channel (a file that arrived later, a media id that expired). */
  async noteOnCase(caseId: string, key: string, text: string, attach: { fileId: string; filename: string } | null): Promise<void> {
    await this.onCase(caseId, key, (c, now) => {
      c.addNote(text, WHATSAPP_ACTOR, now);
      if (attach) c.attachFile(attach.fileId, attach.filename, 'WHATSAPP');
    });
  }

  /** A send the WhatsApp API refused for good, on the case for the officer (DELIVERY_FAILED). */
  async recordSendFailure(caseId: string, sendId: string, reason: string): Promise<void> {
    await this.onCase(caseId, `whatsapp-send-failed:${sendId}`, (c, now) => c.recordDeliveryFailure(`whatsapp-send:${sendId}`, reason, WHATSAPP_ACTOR, now));
  }

  private async findThread(msg: WaMessage, at: Date): Promise<Case | null> {
    const ref = referenceInText(msg.text);
    if (ref) {
      const byRef = await this.cases.findByReference(ref);
      if (byRef) return byRef;
    }
    const thread = await this.store.threadOf(msg.waId);
    if (!thread || at.getTime() - thread.lastInboundAt.getTime() > this.options.threadWindowMs) return null;
    const c = await this.cases.findById(thread.caseId);
    return c && !FINISHED.has(c.status) ? c : null;
  }

  private async onCase(caseId: string, key: string, apply: (c: Case, now: Date) => void): Promise<void> {
    await retryOnConflict(async () => {
      const c = await this.cases.findById(caseId);
      if (!c) throw new WhatsAppCaseVanishedError(caseId);
      apply(c, this.clock.now());
      await this.cases.saveClaiming(c, { key, fingerprint: 'whatsapp' });
    });
  }
}

function subjectOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const s = line.length > MAX_SUBJECT ? `${line.slice(0, MAX_SUBJECT - 1)}…` : line;
  return s ? `WhatsApp: ${s}` : 'Pesan WhatsApp';
}

class WhatsAppCaseVanishedError extends DomainError {
  readonly code = 'CASE_NOT_FOUND' as const;
  constructor(caseId: string) {
    super(`Case ${caseId} named by a WhatsApp message no longer exists`);
  }
}

/** What the GraphQL API shows of the channel (whatsappChannelStatus). */
export interface WhatsAppChannelStatus {
  configured: boolean;
  /** OFF (not configured), OK, or ERROR (e.g. the access token was revoked or expired). */
  state: 'OFF' | 'OK' | 'ERROR';
  lastError: string | null;
  lastErrorAt: Date | null;
  pendingDeliveries: number;
  pendingSends: number;
  pendingMedia: number;
}

/** The status port the module provides. */
export interface WhatsAppChannelStatusSource {
  status(): Promise<WhatsAppChannelStatus>;
  /** Runs a pass of the channel's worker now and resolves when nothing is in progress (tests, the bench). */
  idle?(): Promise<void>;
}
