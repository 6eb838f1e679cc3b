import { createHash } from 'node:crypto';
import { assertMayWork } from '../access/access-policy';
import { actorOf } from '../access/access.service';
import { Principal } from '../access/roles';
import { Case, CaseProps } from '../case/case';
import { CaseRepository } from '../case/case-repository.port';
import { retryOnConflict } from '../case/retry-on-conflict';
import { Actor, TimelineEvent } from '../case/timeline-event';
import { FileAccessService } from '../files/file-access.service';
import { FileStore } from '../files/file-store.port';
import { IntakeService } from '../intake/intake.service';
import { Clock } from '../shared/clock.port';
import { CaseNotFoundError, FieldProblem, LaporNotConnectedError, ValidationError } from '../shared/domain-error';
import { DeadlineService } from '../sla/deadline.service';
import { autoCloseAt, followUpClock, normalizeTrackingId } from './lapor-clock';
import { LaporAttachment, LaporFailureKind, LaporGateway, LaporGatewayError, LaporReport, LaporReporter, LaporUnmappableReportError } from './lapor-gateway.port';
import { LaporAgencyStatus, LaporCaseRecord, LaporChannelState, LaporQuarantineEntry, LaporStore } from './lapor-store.port';

const LAPOR_ACTOR: Actor = { id: 'lapor', kind: 'SYSTEM' };
const BATCH = 100;
const MAX_ATTEMPTS = 8;
const LEASE_MS = 5 * 60_000;
const MAX_TEXT = 20_000;

/** What a complaint officer types from the LAPOR! admin page (logLaporReport). */
export type LaporReportInput = Omit<LaporReport, 'attachments' | 'replies' | 'closed'> & {
  /** Stored files (uploaded by the officer or readable by them) instead of LAPOR!'s attachments. */
  attachmentFileIds: string[];
};

export interface LaporFollowUpInput {
  trackingId: string;
  text: string;
  /** When it was posted on LAPOR! (recordLaporFollowUp; defaults to now). */
  postedAt?: Date | null;
  attachmentFileIds: string[];
}

export interface LaporChannelStatus extends LaporChannelState {
  /** The HTTP API is configured (LOKET_LAPOR_URL / LOKET_LAPOR_TOKEN). */
  apiConfigured: boolean;
  state: 'OFF' | 'OK' | 'ERROR' | 'NOT_YET_RUN';
  pendingFollowUps: number;
}

/**
 * The SP4N-LAPOR! channel: reports come in by the API pull or by hand, both ending in the same
 * case (one per tracking ID); LAPOR!'s follow-up clock runs beside the bureau's own deadline;
 * follow-ups and answers go out through the outbox after the case change committed.
 */
export class LaporService {
  constructor(
    private readonly store: LaporStore,
    private readonly gateway: LaporGateway | null,
    private readonly intake: IntakeService,
    private readonly cases: CaseRepository,
    private readonly deadlines: DeadlineService,
    private readonly files: FileStore,
    private readonly fileAccess: Pick<FileAccessService, 'checkAttachable'> | null,
    private readonly clock: Clock,
    private readonly onFailure: (kind: LaporFailureKind, message: string) => void = () => undefined,
  ) {}

  get apiConfigured(): boolean {
    return this.gateway !== null;
  }

  caseInfo(caseId: string): Promise<LaporCaseRecord | null> {
    return this.store.byCaseId(caseId);
  }

  async caseIdForTrackingId(raw: string): Promise<string | null> {
    const t = normalizeTrackingId(raw);
    return t ? (await this.store.byTrackingId(t))?.caseId ?? null : null;
  }

  quarantined(first: number): Promise<LaporQuarantineEntry[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200) throw ValidationError.single('first', 'must be between 1 and 200');
    return this.store.quarantined(first);
  }

  /** The manual path: a complaint officer registers a report seen on the LAPOR! admin page. */
  async register(input: LaporReportInput, p: Principal, operation = 'Mutation.logLaporReport'): Promise<{ case: CaseProps; created: boolean }> {
    const trackingId = normalizeTrackingId(input.trackingId);
    const problems: FieldProblem[] = [];
    if (!trackingId) problems.push({ field: 'input.trackingId', message: 'is not a LAPOR! tracking ID' });
    if (input.dispositionedAt.getTime() < input.receivedAt.getTime()) problems.push({ field: 'input.dispositionedAt', message: 'must not be before receivedAt' });
    const files = [...new Set(input.attachmentFileIds.map((f) => f.trim()))];
    const wanted = files.map((fileId, i) => ({ fileId, field: `input.attachments[${i}]` }));
    if (this.fileAccess) problems.push(...(await this.fileAccess.checkAttachable(p, operation, wanted)));
    if (problems.length) throw new ValidationError(problems);
    return this.ingest(
      { ...input, trackingId: trackingId!, replies: [], closed: false },
      files.map((fileId, i) => ({ fileId, filename: `lapor-lampiran-${i + 1}` })),
      actorOf(p),
    );
  }

  /** The manual path: the follow-up an officer posted on the LAPOR! admin page, recorded on the case. */
  async recordFollowUp(input: LaporFollowUpInput, p: Principal): Promise<CaseProps> {
    return this.followUp(input, p, 'Mutation.recordLaporFollowUp', 'MANUAL');
  }

  /** Queues a follow-up to be posted through the API after commit (LAPOR_NOT_CONNECTED without it). */
  async postFollowUp(input: LaporFollowUpInput, p: Principal): Promise<CaseProps> {
    if (!this.gateway) throw new LaporNotConnectedError();
    return this.followUp(input, p, 'Mutation.postLaporFollowUp', 'API');
  }

  private async followUp(input: LaporFollowUpInput, p: Principal, operation: string, via: 'MANUAL' | 'API'): Promise<CaseProps> {
    const rec = await this.linked(input.trackingId);
    const text = input.text.trim();
    if (!text) throw ValidationError.single('input.text', 'must not be empty');
    if (text.length > MAX_TEXT) throw ValidationError.single('input.text', `must be at most ${MAX_TEXT} characters`);
    const now = this.clock.now();
    const postedAt = input.postedAt ?? now;
    if (postedAt.getTime() > now.getTime() + 5 * 60_000) throw ValidationError.single('input.postedAt', 'must not be in the future');
    const files = [...new Set(input.attachmentFileIds.map((f) => f.trim()))];
    const saved = await retryOnConflict(async () => {
      const c = await this.load(rec.caseId);
      assertMayWork(p, operation, c.snapshot());
      c.requireOpen('post a follow-up for');
      const problems = this.fileAccess ? await this.fileAccess.checkAttachable(p, operation, files.map((fileId, i) => ({ fileId, field: `input.attachments[${i}]` }))) : [];
      if (problems.length) throw new ValidationError(problems);
      const details = { trackingId: rec.trackingId, via, attachmentFileIds: files, ...(via === 'MANUAL' ? { postedAt: postedAt.toISOString() } : {}) };
      c.recordLaporEvent(via === 'MANUAL' ? 'LAPOR_FOLLOW_UP' : 'LAPOR_FOLLOW_UP_QUEUED', details, text, actorOf(p), now);
      files.forEach((fileId, i) => c.attachFile(fileId, `tindak-lanjut-${i + 1}`, 'LAPOR_FOLLOW_UP'));
      await this.cases.save([c]);
      return c.snapshot();
    });
    if (via === 'MANUAL') await this.markFollowedUp(rec, postedAt);
    return saved;
  }

  /** One pull: every report dispositioned or changed since the cursor becomes (or updates) its case. */
  async poll(signal?: AbortSignal): Promise<{ reports: number; created: number; replies: number; quarantined: number }> {
    const gateway = this.requireGateway();
    const counts = { reports: 0, created: 0, replies: 0, quarantined: 0 };
    const startedAt = this.clock.now();
    try {
      let cursor = await this.store.cursor('pull');
      for (let page = 0; page < 50; page++) {
        const pull = await gateway.pullDispositions(cursor);
        for (const d of pull.dispositions) {
          if (signal?.aborted) return counts;
          let report: LaporReport;
          try {
            report = await gateway.fetchReport(d.trackingId);
          } catch (err) {
            if (!(err instanceof LaporUnmappableReportError)) throw err;
            await this.store.quarantine({ trackingId: err.trackingId, reason: err.reason, payload: err.payload, quarantinedAt: this.clock.now() });
            counts.quarantined++;
            continue;
          }
          const r = await this.fromApi(report);
          if (!r) {
            counts.quarantined++;
            continue;
          }
          counts.reports++;
          if (r.created) counts.created++;
          counts.replies += r.replies;
        }
        if (!pull.nextCursor || pull.nextCursor === cursor) break;
        cursor = pull.nextCursor;
        await this.store.setCursor('pull', cursor);
        if (pull.dispositions.length === 0) break;
      }
      await this.setOk(startedAt);
      return counts;
    } catch (err) {
      await this.fail(err, startedAt);
      throw err;
    }
  }

  /** Follow-up warnings and breaches (once per case) and LAPOR!'s 10-working-day auto-close. */
  async runClocks(): Promise<{ warnings: number; breaches: number; closed: number }> {
    const counts = { warnings: 0, breaches: 0, closed: 0 };
    const now = this.clock.now();
    for (const due of await this.store.dueAlerts(now, BATCH)) {
      const rec = await this.store.byCaseId(due.caseId);
      const c = await this.cases.findById(due.caseId);
      if (rec && c) {
        c.recordLaporEvent(due.type, { trackingId: rec.trackingId, followUpDueAt: rec.followUpDueAt.toISOString() }, null, LAPOR_ACTOR, now);
        if (await this.cases.saveClaiming(c, { key: `lapor-alert:${due.type}:${rec.caseId}:${rec.followUpDueAt.toISOString()}`, fingerprint: 'lapor' })) {
          if (due.type === 'LAPOR_FOLLOW_UP_WARNING') counts.warnings++;
          else counts.breaches++;
        }
      }
      await this.store.markAlert(due.caseId, due.type, now);
    }
    for (const caseId of await this.store.dueAutoCloses(now, BATCH)) {
      const rec = await this.store.byCaseId(caseId);
      if (!rec) continue;
      await this.closeCase(rec, 'NO_REPLY_10_WORKING_DAYS');
      counts.closed++;
    }
    return counts;
  }

  /**
   * Turns committed case events into outbox rows: answers delivered via LAPOR and queued
   * follow-ups, and the statuses Loket posts (IN_PROGRESS once per case when it is first worked,
   * FINISHED when it is answered). The event is written in the case change's transaction, so
   * nothing is lost; each run reads again a little behind its cursor, because an event with a
   * smaller id can commit after a larger one was read, and the outbox takes each event once.
   */
  async collectOutgoing(): Promise<number> {
    const stored = await this.store.cursor('events');
    let cursor = lookBehind(stored, await this.store.cursor('events-floor'));
    let queued = 0;
    for (;;) {
      const events = await this.cases.eventsAfter(cursor, null, BATCH);
      for (const e of events) {
        const wanted = outgoingKinds(e);
        const rec = wanted.length ? await this.store.byCaseId(e.caseId) : null;
        if (rec) {
          for (const item of wanted) {
            if (item.kind === 'STATUS' && rec.status === 'CLOSED') continue; // LAPOR! closed it already
            const id = item.kind === 'STATUS' && item.status === 'IN_PROGRESS' ? `loket-status-${e.caseId}-IN_PROGRESS` : item.kind === 'STATUS' ? `loket-status-${e.id}` : `loket-${e.id}`;
            const after = e.after ?? {};
            const fileIds = item.kind !== 'STATUS' && Array.isArray(after.attachmentFileIds) ? (after.attachmentFileIds as string[]) : [];
            const text = item.kind === 'STATUS' ? item.status : e.text ?? '';
            if (await this.store.enqueue({ id, caseId: e.caseId, trackingId: rec.trackingId, kind: item.kind, text, attachmentFileIds: fileIds }, e.id!, this.clock.now())) queued++;
          }
        }
        cursor = e.id ?? cursor;
      }
      if (cursor && (!stored || BigInt(cursor) > BigInt(stored))) await this.store.setCursor('events', cursor);
      if (events.length < BATCH) return queued;
    }
  }

  /**
   * Called when the module starts with the API: the first time, the outbox starts at the newest
   * event, so answers and follow-ups recorded before the API was switched on (posted by hand on
   * LAPOR!) are not posted again. Runs before this instance serves requests.
   */
  async startOutgoing(): Promise<void> {
    if ((await this.store.cursor('events')) !== null) return;
    const latest = (await this.store.latestCaseEventId()) ?? '0';
    await this.store.setCursor('events-floor', latest);
    await this.store.setCursor('events', latest);
  }

  /**
   * Posts what the outbox holds: each item claimed by one instance, retried with backoff, given
   * up after MAX_ATTEMPTS. What LAPOR! answered is recorded on the case before the row is marked
   * sent, each at most once (claimed by the outbox id), so a crash in between only repeats the
   * post with the same `ref`.
   */
  async sendOutgoing(signal?: AbortSignal): Promise<{ sent: number; failed: number }> {
    const gateway = this.requireGateway();
    const counts = { sent: 0, failed: 0 };
    for (;;) {
      if (signal?.aborted) return counts;
      const item = await this.store.claimNext(this.clock.now(), LEASE_MS);
      if (!item) return counts;
      try {
        if (item.kind === 'STATUS') {
          const status = item.text as LaporAgencyStatus;
          await gateway.postStatus(item.trackingId, status);
          const now = this.clock.now();
          await this.recordOnCase(item.caseId, `lapor-out:${item.id}`, (c) =>
            c.recordLaporEvent('LAPOR_STATUS_POSTED', { trackingId: item.trackingId, status, outboxId: item.id }, null, LAPOR_ACTOR, now));
          await this.store.markSent(item.id, JSON.stringify({ status }), now);
        } else {
          const attachments: LaporAttachment[] = [];
          for (const [i, id] of item.attachmentFileIds.entries()) {
            const d = await this.files.describe(id);
            const content = d ? await this.files.get(id) : null;
            if (d && content) attachments.push({ filename: `lampiran-${i + 1}`, contentType: d.contentType, content });
          }
          const res = await gateway.postFollowUp(item.trackingId, { ref: item.id, text: item.text, attachments });
          const now = this.clock.now();
          const recorded = await this.recordOnCase(item.caseId, `lapor-out:${item.id}`, (c) =>
            c.recordLaporEvent('LAPOR_FOLLOW_UP', { trackingId: item.trackingId, via: 'API', kind: item.kind, laporId: res.id, laporStatus: res.status, outboxId: item.id }, null, LAPOR_ACTOR, now));
          const rec = await this.store.byCaseId(item.caseId);
          // A repeat after a crash: the follow-up was recorded, its clock change perhaps not.
          if (rec && (recorded || rec.status === 'DISPOSITIONED')) await this.markFollowedUp(rec, now);
          await this.store.markSent(item.id, JSON.stringify(res), now);
        }
        counts.sent++;
      } catch (err) {
        counts.failed++;
        const message = err instanceof Error ? err.message : String(err);
        const attempts = item.attempts;
        const giveUp = attempts >= MAX_ATTEMPTS || (err instanceof LaporGatewayError && err.kind === 'MALFORMED');
        const retryAt = giveUp ? null : new Date(this.clock.now().getTime() + retryDelayMs(attempts));
        await this.store.markFailed(item.id, message.slice(0, 500), retryAt);
        if (giveUp) {
          const now = this.clock.now();
          await this.recordOnCase(item.caseId, `lapor-out-failed:${item.id}`, (c) =>
            c.recordLaporEvent('LAPOR_FOLLOW_UP_FAILED', { trackingId: item.trackingId, kind: item.kind, outboxId: item.id, attempts, error: message.slice(0, 200) }, null, LAPOR_ACTOR, now));
        }
        if (err instanceof LaporGatewayError) {
          await this.fail(err, this.clock.now());
          return counts;
        }
        throw err;
      }
    }
  }

  async status(): Promise<LaporChannelStatus> {
    const s = await this.store.channelState();
    const pendingFollowUps = await this.store.pendingCount();
    const state = !this.gateway ? 'OFF' : s.errorKind ? 'ERROR' : s.lastSuccessAt ? 'OK' : 'NOT_YET_RUN';
    return { ...s, apiConfigured: !!this.gateway, state, pendingFollowUps };
  }

  /** A report from the API: the same case as the manual path; what cannot be mapped is quarantined. */
  private async fromApi(report: LaporReport): Promise<{ created: boolean; replies: number } | null> {
    const trackingId = normalizeTrackingId(report.trackingId);
    if (!trackingId) {
      await this.quarantineReport(report, 'tracking ID is not usable');
      return null;
    }
    let stored: StoredAttachment[] = [];
    const existing = await this.store.byTrackingId(trackingId);
    if (!existing && report.attachments.length) {
      const put = await this.files.putMany(report.attachments.map((a) => ({ content: a.content, contentType: a.contentType })));
      stored = put.map((f, i) => ({ fileId: f.id, filename: report.attachments[i]!.filename }));
    }
    let result: { case: CaseProps; created: boolean };
    try {
      result = await this.ingest({ ...report, trackingId }, stored, LAPOR_ACTOR);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await this.quarantineReport(report, err.problems.map((p) => `${p.field} ${p.message}`).join('; '));
      return null;
    }
    const rec = (await this.store.byTrackingId(trackingId))!;
    if (!result.created) await this.noteChange(rec, report);
    const replies = await this.takeReplies(rec, report);
    if (report.closed && rec.status !== 'CLOSED') await this.closeCase(rec, 'CLOSED_ON_LAPOR');
    return { created: result.created, replies };
  }

  /**
   * A report whose subject or description on LAPOR! differs from what Loket last knew (the
   * case's text, or the last change noted) gets a LAPOR_REPORT_CHANGED event with the new text,
   * once per change; the case keeps its subject and description as received (the work and the
   * deadline are about them) and stays the one case of the tracking ID.
   */
  private async noteChange(rec: LaporCaseRecord, report: LaporReport): Promise<void> {
    const c = await this.cases.findById(rec.caseId);
    if (!c) return;
    const events = await this.cases.eventsAfter(null, rec.caseId, 1000);
    const last = [...events].reverse().find((e) => e.type === 'LAPOR_REPORT_CHANGED');
    const known = last
      ? { subject: String(last.after?.subject ?? ''), description: last.text }
      : { subject: c.snapshot().subject, description: c.snapshot().description };
    const description = report.description?.trim() || null;
    if (known.subject === report.subject && (known.description?.trim() || null) === description) return;
    const fingerprint = createHash('sha256').update(JSON.stringify([report.subject, description])).digest('hex').slice(0, 32);
    await this.recordOnCase(rec.caseId, `lapor-changed:${rec.trackingId}:${last?.id ?? 'case'}:${fingerprint}`, (fresh) =>
      fresh.recordLaporEvent('LAPOR_REPORT_CHANGED', {
        trackingId: rec.trackingId,
        subject: report.subject,
        subjectChanged: known.subject !== report.subject,
        descriptionChanged: (known.description?.trim() || null) !== description,
      }, description, LAPOR_ACTOR, this.clock.now()));
  }

  private async takeReplies(rec: LaporCaseRecord, report: LaporReport): Promise<number> {
    let taken = 0;
    for (const reply of report.replies) {
      const put = reply.attachments.length ? await this.files.putMany(reply.attachments.map((a) => ({ content: a.content, contentType: a.contentType }))) : [];
      const attachments = put.map((f, i) => ({ fileId: f.id, filename: reply.attachments[i]!.filename }));
      // An officer changing the case meanwhile is no failure of the pull: try again on the fresh case.
      const took = await this.recordOnCase(rec.caseId, `lapor-reply:${rec.trackingId}:${reply.id}`, (c) => {
        attachments.forEach((a) => c.attachFile(a.fileId, a.filename, 'LAPOR_REPLY'));
        c.recordIncomingMessage({ channel: 'LAPOR', from: null, subject: `Tanggapan pelapor ${rec.trackingId}`, messageId: `lapor:${rec.trackingId}:${reply.id}`, attachments }, reply.text, LAPOR_ACTOR, this.clock.now());
      });
      if (took) {
        taken++;
        const fresh = (await this.store.byCaseId(rec.caseId)) ?? rec;
        if (fresh.status !== 'CLOSED') await this.store.update({ ...fresh, status: 'REPLIED', autoCloseAt: null });
      }
    }
    return taken;
  }

  private async closeCase(rec: LaporCaseRecord, reason: string): Promise<void> {
    await retryOnConflict(async () => {
      const c = await this.cases.findById(rec.caseId);
      if (!c) return;
      c.closeOnLapor(reason, LAPOR_ACTOR, this.clock.now());
      await this.cases.saveClaiming(c, { key: `lapor-closed:${rec.trackingId}`, fingerprint: 'lapor' });
    });
    const fresh = (await this.store.byCaseId(rec.caseId)) ?? rec;
    await this.store.update({ ...fresh, status: 'CLOSED', autoCloseAt: null });
  }

  /** Both ways in end here: one case per tracking ID (the dedupe key and the link's unique tracking ID). */
  private async ingest(report: Omit<LaporReport, 'attachments'>, attachments: StoredAttachment[], actor: Actor): Promise<{ case: CaseProps; created: boolean }> {
    const known = await this.store.byTrackingId(report.trackingId);
    if (known) {
      const c = await this.cases.findById(known.caseId);
      if (c) return { case: c.snapshot(), created: false };
    }
    const [prepared] = await this.intake.prepareEach(
      [
        {
          item: {
            kind: 'COMPLAINT',
            channel: 'LAPOR',
            subject: report.subject,
            description: report.description,
            // The bureau received it when LAPOR! dispositioned it to the bureau.
            receivedAt: report.dispositionedAt,
            // Anonim: LAPOR! hides the reporter from the agency, so the case has no requester at all.
            requester: report.anonim ? null : reporterInput(report.reporter),
            confidential: report.rahasia || report.anonim ? true : null,
          },
          decorate: (c: Case) => attachments.forEach((a) => c.attachFile(a.fileId, a.filename, 'LAPOR')),
        },
      ],
      actor,
    );
    if (prepared instanceof ValidationError) {
      throw new ValidationError(prepared.problems.map((p) => ({ ...p, field: `input.${p.field}` })));
    }
    const outcome = await this.cases.insertNew(prepared!.caseId, prepared!.scope, prepared!.build, { key: `lapor:${report.trackingId}`, fingerprint: 'lapor' });
    const caseId = outcome.created ? outcome.case.id : outcome.caseId;
    const time = await this.deadlines.calculator();
    const clock = followUpClock(report.dispositionedAt, time);
    await this.store.link({
      caseId,
      trackingId: report.trackingId,
      laporReceivedAt: report.receivedAt,
      dispositionedAt: report.dispositionedAt,
      followUpDueAt: clock.dueAt,
      followUpWarnAt: clock.warnAt,
      status: 'DISPOSITIONED',
      rahasia: report.rahasia,
      anonim: report.anonim,
      followedUpAt: null,
      autoCloseAt: null,
    });
    const c = outcome.created ? outcome.case : await this.cases.findById(caseId);
    if (!c) throw new CaseNotFoundError(`LAPOR! tracking ID`);
    return { case: c.snapshot(), created: outcome.created };
  }

  /** Records a fact on the case at most once (claimed by `key`); false when it was recorded already or the case is gone. */
  private async recordOnCase(caseId: string, key: string, record: (c: Case) => void): Promise<boolean> {
    return retryOnConflict(async () => {
      const c = await this.cases.findById(caseId);
      if (!c) return false;
      record(c);
      return this.cases.saveClaiming(c, { key, fingerprint: 'lapor' });
    });
  }

  private async markFollowedUp(rec: LaporCaseRecord, at: Date): Promise<void> {
    const fresh = (await this.store.byCaseId(rec.caseId)) ?? rec;
    if (fresh.status === 'CLOSED') return;
    const time = await this.deadlines.calculator();
    await this.store.update({ ...fresh, status: 'FOLLOWED_UP', followedUpAt: at, autoCloseAt: autoCloseAt(at, time) });
  }

  private async linked(raw: string): Promise<LaporCaseRecord> {
    const t = normalizeTrackingId(raw);
    const rec = t ? await this.store.byTrackingId(t) : null;
    if (!rec) throw new CaseNotFoundError('LAPOR! tracking ID');
    return rec;
  }

  private async load(caseId: string): Promise<Case> {
    const c = await this.cases.findById(caseId);
    if (!c) throw new CaseNotFoundError(`id ${caseId}`);
    return c;
  }

  private async quarantineReport(report: LaporReport, reason: string): Promise<void> {
    const payload = JSON.stringify({ ...report, reporter: report.reporter ? '[hidden]' : null, attachments: report.attachments.map((a) => a.filename), replies: report.replies.length });
    await this.store.quarantine({ trackingId: report.trackingId || null, reason, payload, quarantinedAt: this.clock.now() });
  }

  private requireGateway(): LaporGateway {
    if (!this.gateway) throw new LaporNotConnectedError();
    return this.gateway;
  }

  private async setOk(at: Date): Promise<void> {
    await this.store.setChannelState({ lastPullAt: at, lastSuccessAt: this.clock.now(), errorKind: null, lastError: null });
  }

  private async fail(err: unknown, at: Date): Promise<void> {
    const kind: LaporFailureKind = err instanceof LaporGatewayError ? err.kind : 'MALFORMED';
    const message = err instanceof Error ? err.message.slice(0, 500) : 'unknown failure';
    const s = await this.store.channelState();
    await this.store.setChannelState({ ...s, lastPullAt: at, errorKind: kind, lastError: message });
    this.onFailure(kind, message);
  }
}

interface StoredAttachment {
  fileId: string;
  filename: string;
}

type Outgoing = { kind: 'ANSWER' | 'FOLLOW_UP' } | { kind: 'STATUS'; status: LaporAgencyStatus };

/** What a committed event sends to LAPOR! (when its case came through LAPOR!). */
function outgoingKinds(e: TimelineEvent): Outgoing[] {
  if (e.type === 'LAPOR_FOLLOW_UP_QUEUED') return [{ kind: 'FOLLOW_UP' }];
  if (e.type === 'ANSWERED') return [...(e.after?.deliveredVia === 'LAPOR' ? [{ kind: 'ANSWER' as const }] : []), { kind: 'STATUS', status: 'FINISHED' }];
  if (e.type === 'STATUS_CHANGED' && e.after?.status === 'IN_PROGRESS') return [{ kind: 'STATUS', status: 'IN_PROGRESS' }];
  return [];
}

/** How far behind its cursor collectOutgoing reads again (events, not time; see collectOutgoing). */
const EVENT_LOOK_BEHIND = 500n;

/** Where a run starts reading: a little behind the cursor, never before the floor (where the API was switched on). */
function lookBehind(cursor: string | null, floor: string | null): string | null {
  if (!cursor) return floor;
  if (!/^\d+$/.test(cursor)) return cursor;
  let back = BigInt(cursor) - EVENT_LOOK_BEHIND;
  if (floor && /^\d+$/.test(floor) && back < BigInt(floor)) back = BigInt(floor);
  return back > 0n ? back.toString() : null;
}

/** 30 s after the first failed attempt, doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** (Math.max(1, attempts) - 1));
}

function reporterInput(r: LaporReporter | null) {
  if (!r) return null;
  const v = { name: r.name ?? null, email: r.email ?? null, phone: r.phone ?? null, nik: r.nik ?? null, address: r.address ?? null };
  return Object.values(v).some((x) => x) ? v : null;
}
