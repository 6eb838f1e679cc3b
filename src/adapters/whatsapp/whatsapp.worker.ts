import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CaseRepository } from '../../domain/case/case-repository.port';
import { FileStore } from '../../domain/files/file-store.port';
import { Clock } from '../../domain/shared/clock.port';
import { WhatsAppChannelStatus, WhatsAppIntakeService } from '../../domain/whatsapp/whatsapp-intake.service';
import { parseWebhook } from '../../domain/whatsapp/whatsapp-message';
import { planAnswer } from '../../domain/whatsapp/whatsapp-texts';
import { GraphApiClient, GraphApiError, OutgoingMessage } from './graph-api.client';
import { WhatsAppSettings } from './whatsapp-settings';
import { WhatsAppStore } from './whatsapp-store';

const MAX_DELIVERY_ATTEMPTS = 20;
const MAX_MEDIA_ATTEMPTS = 10;
const MAX_SEND_ATTEMPTS = 15;
const SEND_LEASE_MS = 120_000;
const BATCH = 50;
const MEDIA_LABEL: Record<string, string> = { image: 'Foto', audio: 'Audio', video: 'Video', document: 'Dokumen' };
const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'video/mp4': 'mp4', 'application/pdf': 'pdf' };

/** Backoff after `attempts` failures: 5 s doubling, at most an hour. */
const backoffMs = (attempts: number): number => Math.min(5_000 * 2 ** Math.min(attempts, 20), 3_600_000);

/**
 * The channel's after-commit work, one pass at a time on this instance (and the inbox on one
 * instance at a time, by lease, so that messages of one number land in order): stored
 * deliveries into cases, media downloads, answers into the outbox, and the outbox sends.
 */
export class WhatsAppWorker {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly holder = `${process.pid}:${randomUUID()}`;
  private state: { state: 'OK' | 'ERROR'; lastError: string | null; lastErrorAt: Date | null } = { state: 'OK', lastError: null, lastErrorAt: null };

  constructor(
    private readonly s: WhatsAppSettings,
    private readonly store: WhatsAppStore,
    private readonly intake: WhatsAppIntakeService,
    private readonly graph: GraphApiClient,
    private readonly cases: CaseRepository,
    private readonly files: FileStore,
    private readonly clock: Clock,
    private readonly statusPageUrl: string,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.s.pollSeconds * 1000);
    this.timer.unref();
    this.kick();
  }

  /** Runs a pass now (or right after the one in progress). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (err) {
          this.log.warn({ err: (err as Error).message }, 'whatsapp worker pass failed; retried on the next pass');
        }
      } while (this.again && !this.stopped);
      this.running = null;
    })();
  }

  /** Waits until no pass is running and none is asked for (tests, the bench). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.store.release('inbox', this.holder).catch(() => undefined);
  }

  async status(): Promise<WhatsAppChannelStatus> {
    const c = await this.store.counts();
    return { configured: true, ...this.state, pendingDeliveries: c.deliveries, pendingSends: c.sends, pendingMedia: c.media };
  }

  get healthy(): boolean {
    return this.state.state === 'OK';
  }

  private async pass(): Promise<void> {
    await this.drainInbox();
    await this.queueAnswers();
    await this.downloadMedia();
    await this.sendOutbox();
  }

  private async drainInbox(): Promise<void> {
    if (!(await this.store.lease('inbox', this.holder, 120_000))) return;
    for (;;) {
      const batch = await this.store.pendingDeliveries(BATCH);
      for (const d of batch) {
        if (this.stopped) return;
        try {
          let parsed: unknown;
          try {
            parsed = JSON.parse(d.body.toString('utf8'));
          } catch {
            parsed = {}; // kept raw; nothing to handle
            this.log.warn({ delivery: d.id }, 'whatsapp delivery is not JSON; kept raw, nothing handled');
          }
          const delivery = parseWebhook(parsed);
          if (delivery.phoneNumberIds.length && !delivery.phoneNumberIds.includes(this.s.phoneNumberId)) {
            this.log.warn({ delivery: d.id }, 'whatsapp delivery for another phone number id; ignored');
          } else {
            for (const m of delivery.messages) await this.intake.handleMessage(m, d.id);
            for (const st of delivery.statuses) await this.intake.handleStatus(st);
            await this.store.forgetIfErased(d.id, delivery.messages.map((m) => m.wamid), delivery.statuses.map((st) => st.wamid));
          }
          await this.store.finishDelivery(d.id, this.clock.now());
        } catch (err) {
          // English message of the failure; message texts and numbers are not in it.
          this.log.error({ delivery: d.id, err: (err as Error).message }, 'whatsapp delivery could not be handled; retried');
          await this.store.failDelivery(d.id, (err as Error).message, MAX_DELIVERY_ATTEMPTS);
          return; // keep the order: the next deliveries wait for this one
        }
        await this.store.lease('inbox', this.holder, 120_000);
      }
      if (batch.length < BATCH) return;
    }
  }

  private async queueAnswers(): Promise<void> {
    for (const a of await this.store.unsentAnswers(BATCH)) {
      const c = await this.cases.findById(a.caseId);
      const phone = c?.snapshot().requester?.phone;
      if (!c || !phone) {
        await this.store.enqueueAnswer(a.eventId, a.caseId, '-', [{ kind: 'ANSWER', payload: { type: 'none' }, held: false }]);
        await this.intake.recordSendFailure(a.caseId, `answer-${a.eventId}`, 'WhatsApp: pemohon tidak mempunyai nomor telepon');
        continue;
      }
      const waId = phone.replace(/\D/g, '');
      const thread = await this.store.threadOf(waId);
      const plan = planAnswer(c.snapshot(), a.text, thread?.lastInboundAt ?? null, this.clock.now(), { name: this.s.answerTemplate, language: this.s.templateLanguage }, this.statusPageUrl);
      if (plan.kind === 'TEXT') await this.store.enqueueAnswer(a.eventId, a.caseId, waId, [{ kind: 'ANSWER', payload: { type: 'text', text: plan.text }, held: false }]);
      else {
        await this.store.enqueueAnswer(a.eventId, a.caseId, waId, [
          { kind: 'ANSWER_TEMPLATE', payload: { type: 'template', ...plan.template }, held: false },
          { kind: 'ANSWER_FOLLOW_UP', payload: { type: 'text', text: plan.followUp }, held: true },
        ]);
      }
    }
  }

  private async downloadMedia(): Promise<void> {
    for (const m of await this.store.pendingMedia(this.clock.now(), BATCH)) {
      const label = MEDIA_LABEL[m.kind] ?? 'Berkas';
      try {
        const got = await this.graph.download(m.mediaId, this.s.maxMediaBytes);
        this.ok();
        const expected = m.sha256 ?? got.sha256;
        if (expected && !sha256Matches(got.content, expected)) throw new GraphApiError('TEMPORARY', 200, null, 'media sha256 does not match');
        const stored = await this.files.put(got.content, got.mimeType);
        const filename = m.filename ?? `whatsapp-${m.kind}.${EXTENSION[got.mimeType.split(';')[0]] ?? 'bin'}`;
        await this.intake.noteOnCase(m.caseId, `whatsapp-media:${m.wamid}`, `[${label} dari WhatsApp tersimpan dan terlampir: "${filename}"]`, { fileId: stored.id, filename });
        await this.store.mediaDone(m.wamid, 'STORED', stored.id, null);
      } catch (err) {
        const e = err instanceof GraphApiError ? err : new GraphApiError('TEMPORARY', 0, null, (err as Error).message);
        if (e.kind === 'AUTH') this.authFailed(e);
        if (e.kind === 'NOT_FOUND' || e.kind === 'PERMANENT' || m.attempts + 1 >= MAX_MEDIA_ATTEMPTS) {
          const why = e.kind === 'NOT_FOUND'
            ? 'media sudah kedaluwarsa atau tidak ada lagi di server WhatsApp'
            : e.kind === 'PERMANENT' ? 'berkas melebihi batas ukuran atau ditolak' : 'pengunduhan terus gagal';
          await this.intake.noteOnCase(m.caseId, `whatsapp-media:${m.wamid}`, `[${label} dari WhatsApp tidak dapat diambil: ${why}. Mohon minta pengirim mengirim ulang berkasnya.]`, null);
          await this.store.mediaDone(m.wamid, e.kind === 'NOT_FOUND' ? 'EXPIRED' : 'FAILED', null, e.message);
        } else {
          await this.store.mediaRetry(m.wamid, new Date(this.clock.now().getTime() + (e.retryAfterSeconds ?? 0) * 1000 + backoffMs(m.attempts)), e.message);
        }
      }
    }
  }

  private async sendOutbox(): Promise<void> {
    for (const row of await this.store.claimSends(this.clock.now(), BATCH, SEND_LEASE_MS)) {
      if (this.stopped) return;
      const p = row.payload as { type: string; text?: string; name?: string; language?: string; parameters?: string[] };
      if (p.type === 'none') {
        await this.store.markFailed(row.id, 'no recipient');
        continue;
      }
      const msg: OutgoingMessage = p.type === 'template'
        ? { type: 'template', name: p.name ?? '', language: p.language ?? 'id', parameters: p.parameters ?? [] }
        : { type: 'text', text: p.text ?? '' };
      try {
        const wamid = await this.graph.send(row.toWaId, msg);
        this.ok();
        await this.store.markSent(row.id, wamid, this.clock.now());
      } catch (err) {
        const e = err instanceof GraphApiError ? err : new GraphApiError('TEMPORARY', 0, null, (err as Error).message);
        if (e.kind === 'AUTH') this.authFailed(e);
        if ((e.kind === 'PERMANENT' || e.kind === 'NOT_FOUND') || row.attempts + 1 >= MAX_SEND_ATTEMPTS) {
          this.log.error({ send: row.id, kind: row.kind, err: e.message }, 'whatsapp send failed for good');
          await this.store.markFailed(row.id, e.message);
          await this.intake.recordSendFailure(row.caseId, row.id, `WhatsApp ${e.code ?? e.httpStatus}: ${e.message}`);
        } else {
          const wait = Math.max((e.retryAfterSeconds ?? 0) * 1000, backoffMs(row.attempts));
          await this.store.markRetry(row.id, new Date(this.clock.now().getTime() + wait), e.message);
          // Throttled or down: the other rows wait for the next pass instead of hammering the API.
          return;
        }
      }
    }
  }

  private ok(): void {
    if (this.state.state === 'ERROR') this.log.info('whatsapp channel: the Graph API accepts the access token again');
    this.state = { ...this.state, state: 'OK' };
  }

  private authFailed(e: GraphApiError): void {
    if (this.state.state !== 'ERROR') this.log.error({ httpStatus: e.httpStatus, code: e.code }, 'whatsapp channel: the access token was refused (revoked or expired); set a new LOKET_WHATSAPP_ACCESS_TOKEN');
    this.state = { state: 'ERROR', lastError: `access token refused (${e.code ?? e.httpStatus})`, lastErrorAt: this.clock.now() };
  }
}

function sha256Matches(content: Buffer, expected: string): boolean {
  const digest = createHash('sha256').update(content).digest();
  return expected.toLowerCase() === digest.toString('hex') || expected === digest.toString('base64');
}
