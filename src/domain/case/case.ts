import { randomUUID } from 'node:crypto';
import { RequirementsMissingError, InvalidTransitionError, NoDraftError, ValidationError } from '../shared/domain-error';
import { OutgoingMail, OutgoingMailKind } from '../notifications/outgoing-mail';
import { isCanonicalAccessCode } from './access-code';
import { assertTransition, isOpen } from './case-status';
import { CaseKind, CaseStatus, Channel, ComplaintClass, DeliveryMethod, PauseReason, RejectionReason } from './case-types';
import { Requester } from './requester';
import { isComplete, missingRequirements, Requirements } from './requirements';
import { Actor, LaporEventType, TimelineEvent, TimelineEventType } from './timeline-event';

/** A computed deadline; warnings say when the calendar could not be fully trusted. */
export interface Deadline {
  dueAt: Date;
  warnings: readonly { code: string; year: number }[];
  /** When SLA_WARNING is due (a share of the working time between clock start and dueAt); none when absent. */
  warnAt?: Date | null;
}

/** Working-time arithmetic on the office calendar, for clock stops. */
export interface WorkingTime {
  /** Working milliseconds from `from` to `to`; negative when `to` is before `from`. */
  workingMsBetween(from: Date, to: Date): number;
  /** The instant `ms` working milliseconds after `from` (always inside office time). */
  addWorkingMs(from: Date, ms: number): Date;
}

/** A stopped clock: what is needed to restart it where it stopped. */
export interface CasePause {
  since: Date;
  reason: PauseReason;
  note: string | null;
  /** The status the case had, and returns to on resume. */
  resumeTo: CaseStatus;
  /** Working ms that were left until the deadline (<= 0: already past it). */
  remainingMs: number;
  /** Working ms between the warning instant and the deadline; null when there was no warning instant. */
  warnLeadMs: number | null;
  dueAtBefore: Date;
  warnAtBefore: Date | null;
}

export type SlaAlertType = 'SLA_WARNING' | 'SLA_BREACHED';

const SLA_ACTOR: Actor = { id: 'sla', kind: 'SYSTEM' };
const MINUTE_MS = 60_000;

export interface Answer {
  text: string;
  deliveredVia: DeliveryMethod;
  answeredAt: Date;
}

/** A stored file (scan, letter) linked to a case; `source` says how it came (COMPLAINT_BOX, REQUIREMENT...). */
export interface CaseAttachment {
  caseId: string;
  fileId: string;
  filename: string;
  source: string;
}

/** An answer a handler (or the officer) wrote; the complaint officer sends it (answerCase fromDraft). */
export interface AnswerDraft {
  text: string;
  /** Stored files (letters, data) to go with the answer; linked to the case when drafted. */
  attachmentFileIds: string[];
  draftedBy: string;
  draftedAt: Date;
}

export interface Rejection {
  reason: RejectionReason;
  note: string | null;
}

export interface CaseProps {
  id: string;
  reference: string;
  /**
   * With the reference, lets the citizen look up the status (GET /status, caseStatus);
   * canonical form (8 symbols, no dash). It unlocks nothing personal.
   */
  accessCode: string;
  kind: CaseKind;
  channel: Channel;
  status: CaseStatus;
  complaintClass: ComplaintClass | null;
  subject: string;
  description: string | null;
  receivedAt: Date;
  loggedAt: Date;
  /** When the deadline clock started: receipt, or the moment an information request became complete. */
  clockStartedAt: Date | null;
  dueAt: Date | null;
  deadlineWarnings: string[];
  /** When SLA_WARNING is due for this dueAt; null without a deadline and while paused. */
  warnAt: Date | null;
  /** Set while the clock is stopped (status WAITING). */
  pause: CasePause | null;
  /** Working minutes the clock was stopped, all pauses ended so far. */
  pausedWorkingMinutes: number;
  requester: Requester | null;
  /** Identity hidden from handlers and clerks; the default for complaints (Perpres 76/2013). */
  confidential: boolean;
  /** Set when the requester's identity was erased on request or by retention. */
  requesterErasedAt: Date | null;
  requirements: Requirements | null;
  /** Channel facts such as the caller's or fax number; never used for decisions. */
  channelDetails: Record<string, string>;
  /** Code of the team the case is assigned to (see the teams table). */
  assignee: string | null;
  /** The member of that team who works it, when the officer named one. */
  assignedUserId: string | null;
  /** The latest draft answer, until the case is answered (the timeline keeps every draft). */
  answerDraft: AnswerDraft | null;
  answer: Answer | null;
  rejection: Rejection | null;
  mergedIntoId: string | null;
  updatedAt: Date;
  /** Optimistic concurrency: the store refuses an update based on a stale version. */
  version: number;
}

/** Whole working minutes, rounded toward zero (a minute not yet complete is not counted). */
const toMinutes = (ms: number): number => Math.trunc(ms / MINUTE_MS) || 0;

const toWarnings = (d: Deadline): string[] => d.warnings.map((w) => `${w.code}:${w.year}`);

/**
 * The case aggregate. Every change goes through a method that enforces the rules and appends
 * a timeline event to `pendingEvents`, which the repository stores in the same transaction.
 */
export class Case {
  private events: TimelineEvent[] = [];
  private mails: OutgoingMail[] = [];
  private attachments: CaseAttachment[] = [];

  private constructor(private props: CaseProps) {}

  static restore(props: CaseProps): Case {
    return new Case({ ...props });
  }

  /** A new case as the intake use case builds it; status and clock follow from kind and requirements. */
  static open(
    props: Omit<
      CaseProps,
      | 'status' | 'clockStartedAt' | 'dueAt' | 'deadlineWarnings' | 'assignee' | 'assignedUserId' | 'answerDraft' | 'answer' | 'rejection' | 'mergedIntoId' | 'updatedAt' | 'version' | 'requesterErasedAt'
      | 'warnAt' | 'pause' | 'pausedWorkingMinutes'
    >,
    deadline: (clockStart: Date) => Deadline,
    actor: Actor,
  ): Case {
    if (!isCanonicalAccessCode(props.accessCode)) throw new RangeError('accessCode must be a canonical access code');
    const incomplete = props.kind === 'INFORMATION_REQUEST' && !isComplete(props.requirements ?? { assignmentLetter: false, requestLetter: false, identityDocument: false });
    const clock = incomplete ? null : props.receivedAt;
    const d = clock ? deadline(clock) : null;
    const c = new Case({
      ...props,
      requirements: props.kind === 'INFORMATION_REQUEST' ? props.requirements ?? { assignmentLetter: false, requestLetter: false, identityDocument: false } : null,
      complaintClass: props.kind === 'COMPLAINT' ? props.complaintClass : null,
      status: incomplete ? 'INCOMPLETE' : 'RECEIVED',
      clockStartedAt: clock,
      dueAt: d?.dueAt ?? null,
      deadlineWarnings: d ? toWarnings(d) : [],
      warnAt: d?.warnAt ?? null,
      pause: null,
      pausedWorkingMinutes: 0,
      assignee: null,
      assignedUserId: null,
      answerDraft: null,
      answer: null,
      rejection: null,
      mergedIntoId: null,
      requesterErasedAt: null,
      updatedAt: props.loggedAt,
      version: 0,
    });
    c.record('CASE_CREATED', actor, props.loggedAt, null, {
      status: c.props.status,
      kind: c.props.kind,
      channel: c.props.channel,
      complaintClass: c.props.complaintClass,
      dueAt: c.props.dueAt?.toISOString() ?? null,
    });
    return c;
  }

  get id(): string { return this.props.id; }
  get reference(): string { return this.props.reference; }
  get accessCode(): string { return this.props.accessCode; }
  get kind(): CaseKind { return this.props.kind; }
  get status(): CaseStatus { return this.props.status; }
  get version(): number { return this.props.version; }
  get complaintClass(): ComplaintClass | null { return this.props.complaintClass; }
  get clockStartedAt(): Date | null { return this.props.clockStartedAt; }
  get receivedAt(): Date { return this.props.receivedAt; }

  /** A read-only copy of the state. */
  snapshot(): Readonly<CaseProps> {
    return { ...this.props };
  }

  /** Events produced since load; the repository drains them on save. */
  pendingEvents(): readonly TimelineEvent[] {
    return this.events;
  }

  clearPendingEvents(): void {
    this.events = [];
    this.mails = [];
    this.attachments = [];
  }

  /** Files this change links to the case; stored with it (linking the same file twice is a no-op). */
  pendingAttachments(): readonly CaseAttachment[] {
    return this.attachments;
  }

  /** Links a stored file (a scan, a letter) to the case, in the same transaction as the change. */
  attachFile(fileId: string, filename: string, source: string): void {
    this.attachments.push({ caseId: this.props.id, fileId, filename, source });
  }

  /** Mails this change asks to send; stored with it, sent after commit. */
  pendingMails(): readonly OutgoingMail[] {
    return this.mails;
  }

  /** Asks for an email to the requester, sent after this change commits (at most once). */
  requestMail(kind: OutgoingMailKind, to: string, content: { subject: string; text: string }, thread: { inReplyTo: string | null; references: string[] }): void {
    this.mails.push({ id: randomUUID(), caseId: this.props.id, kind, to, subject: content.subject, text: content.text, ...thread });
  }

  /** A further message about this case (an email reply, a follow-up) joins it on the timeline. */
  recordIncomingMessage(
    message: { channel: string; from: string | null; subject: string; messageId: string | null; attachments: { fileId: string; filename: string }[] },
    text: string | null,
    actor: Actor,
    now: Date,
  ): void {
    this.record('INCOMING_MESSAGE', actor, now, null, { ...message }, text);
  }

  /** An email Loket sent for this case was accepted by the mail server. */
  recordMailSent(kind: OutgoingMailKind, messageId: string, to: string, actor: Actor, now: Date): void {
    this.record('MAIL_SENT', actor, now, null, { kind, messageId, to });
  }

  /** An email Loket sent for this case bounced. */
  recordDeliveryFailure(messageId: string, reason: string, actor: Actor, now: Date): void {
    this.record('DELIVERY_FAILED', actor, now, null, { messageId, reason });
  }

  /** A message Loket sent for this case (not an email) was reported sent, delivered or read by its channel. */
  recordMessageStatus(channel: string, messageId: string, status: string, actor: Actor, now: Date): void {
    this.record('MESSAGE_STATUS', actor, now, null, { channel, messageId, status });
  }

  /** Classifying (or reclassifying) a complaint recomputes the deadline from the clock start. */
  classify(cls: ComplaintClass, deadline: Deadline, actor: Actor, now: Date): void {
    if (this.props.kind !== 'COMPLAINT') {
      throw ValidationError.single('caseId', 'only complaints have a complaint class');
    }
    this.requireOpen('classify');
    const before = { complaintClass: this.props.complaintClass, dueAt: this.props.dueAt?.toISOString() ?? null };
    this.props.complaintClass = cls;
    this.setDeadline(deadline);
    this.record('COMPLAINT_CLASSIFIED', actor, now, before, {
      complaintClass: cls,
      dueAt: this.props.dueAt?.toISOString() ?? null,
    });
  }

  /**
   * Ticks or unticks requirements of an information request. When the last one is ticked,
   * the request becomes RECEIVED and its clock starts now (via `deadlineFrom`).
   */
  updateRequirements(changes: Partial<Requirements>, deadlineFrom: (clockStart: Date) => Deadline, actor: Actor, now: Date): void {
    if (this.props.kind !== 'INFORMATION_REQUEST' || !this.props.requirements) {
      throw ValidationError.single('caseId', 'only information requests have requirements');
    }
    this.requireOpen('update requirements of');
    const before = { ...this.props.requirements };
    const after: Requirements = { ...before };
    for (const [k, v] of Object.entries(changes) as [keyof Requirements, boolean | undefined][]) {
      if (v !== undefined && v !== null) after[k] = v;
    }
    if (this.props.status !== 'INCOMPLETE' && !isComplete(after)) {
      throw new InvalidTransitionError(this.props.status, 'INCOMPLETE', 'requirements of a complete request cannot be withdrawn');
    }
    this.props.requirements = after;
    this.record('REQUIREMENTS_UPDATED', actor, now, { ...before }, { ...after });
    if (this.props.status === 'INCOMPLETE' && isComplete(after)) {
      this.props.clockStartedAt = now;
      this.setDeadline(deadlineFrom(now));
      this.changeStatus('RECEIVED', actor, now, { dueAt: this.props.dueAt?.toISOString() ?? null });
    }
  }

  /**
   * Assigns the case to a team and optionally one of its members (the caller checked both exist);
   * a received case starts being worked. The person appears on the event only when there is one.
   */
  assign(assignee: string, actor: Actor, now: Date, assignedUserId: string | null = null): void {
    this.requireOpen('assign');
    const name = assignee.trim();
    if (!name) throw ValidationError.single('assignee', 'must not be empty');
    const withPerson = assignedUserId !== null || this.props.assignedUserId !== null;
    const before = { assignee: this.props.assignee, ...(withPerson ? { assignedUserId: this.props.assignedUserId } : {}) };
    this.props.assignee = name;
    this.props.assignedUserId = assignedUserId;
    this.record('ASSIGNED', actor, now, before, { assignee: name, ...(withPerson ? { assignedUserId } : {}) });
    if (this.props.status === 'RECEIVED') this.changeStatus('IN_PROGRESS', actor, now);
  }

  addNote(text: string, actor: Actor, now: Date): void {
    const t = text.trim();
    if (!t) throw ValidationError.single('text', 'must not be empty');
    this.record('NOTE_ADDED', actor, now, null, null, t);
  }

  /**
   * Stores a draft answer (replacing an earlier one) for the officer to send; the timeline keeps
   * each draft. `drafter` is who wrote it (a user id or token id).
   */
  draftAnswer(text: string, attachmentFileIds: readonly string[], drafter: string, actor: Actor, now: Date): void {
    const t = text.trim();
    if (!t) throw ValidationError.single('text', 'must not be empty');
    this.requireOpen('draft an answer for');
    const files = [...new Set(attachmentFileIds)];
    this.props.answerDraft = { text: t, attachmentFileIds: files, draftedBy: drafter, draftedAt: now };
    this.record('ANSWER_DRAFTED', actor, now, null, { attachmentFileIds: files }, t);
  }

  /** Sends the latest draft as the answer (NO_DRAFT when there is none). */
  answerFromDraft(deliveredVia: DeliveryMethod, answeredAt: Date, actor: Actor, now: Date): void {
    const draft = this.props.answerDraft;
    if (!draft) throw new NoDraftError(this.props.id);
    this.answer(draft.text, deliveredVia, answeredAt, actor, now, {
      fromDraft: true, draftedBy: draft.draftedBy, draftedAt: draft.draftedAt.toISOString(), attachmentFileIds: draft.attachmentFileIds,
    });
  }

  /** Records the answer and how it was delivered. An incomplete request cannot be answered. */
  answer(text: string, deliveredVia: DeliveryMethod, answeredAt: Date, actor: Actor, now: Date, details: Record<string, unknown> = {}): void {
    const t = text.trim();
    if (!t) throw ValidationError.single('text', 'must not be empty');
    if (this.props.status === 'INCOMPLETE' && this.props.requirements) {
      throw new RequirementsMissingError(missingRequirements(this.props.requirements));
    }
    if (this.props.status === 'RECEIVED') this.changeStatus('IN_PROGRESS', actor, now);
    assertTransition(this.props.status, 'ANSWERED');
    this.props.answer = { text: t, deliveredVia, answeredAt };
    const onTime = this.props.dueAt ? answeredAt.getTime() <= this.props.dueAt.getTime() : null;
    this.record('ANSWERED', actor, now, null, { deliveredVia, answeredAt: answeredAt.toISOString(), onTime, ...details }, t);
    this.changeStatus('ANSWERED', actor, now);
  }

  close(actor: Actor, now: Date): void {
    this.changeStatus('CLOSED', actor, now);
  }

  reject(reason: RejectionReason, note: string | null, actor: Actor, now: Date): void {
    assertTransition(this.props.status, 'REJECTED');
    this.props.rejection = { reason, note: note?.trim() || null };
    this.record('REJECTED', actor, now, null, { reason }, this.props.rejection.note);
    this.changeStatus('REJECTED', actor, now);
  }

  /** Merges this case into `target`: this one ends MERGED, the target records where it came from. */
  mergeInto(target: Case, actor: Actor, now: Date): void {
    if (target.id === this.id) throw ValidationError.single('targetId', 'a case cannot be merged into itself');
    if (target.kind !== this.kind) throw ValidationError.single('targetId', 'cases of different kinds cannot be merged');
    if (!isOpen(target.status)) throw new InvalidTransitionError(target.status, target.status, 'the target case is no longer open');
    assertTransition(this.props.status, 'MERGED');
    this.props.mergedIntoId = target.id;
    this.record('MERGED_INTO', actor, now, null, { targetId: target.id, targetReference: target.reference });
    this.changeStatus('MERGED', actor, now);
    target.record('MERGED_FROM', actor, now, null, { sourceId: this.id, sourceReference: this.reference });
  }

  /** A repeated intake (same matter, new contact) is kept on the case's timeline. */
  recordDuplicateIntake(details: Record<string, unknown>, text: string | null, actor: Actor, now: Date): void {
    this.record('DUPLICATE_INTAKE', actor, now, null, details, text);
  }

  /**
   * Removes the requester's identity (erasure on request, or retention). The case and its
   * statistics remain; channel facts that identify the person go too.
   */
  eraseRequester(reason: 'REQUEST' | 'RETENTION', actor: Actor, now: Date): boolean {
    if (!this.props.requester && Object.keys(this.props.channelDetails).length === 0) return false;
    this.props.requester = null;
    this.props.channelDetails = {};
    this.props.requesterErasedAt = now;
    this.record('IDENTITY_ERASED', actor, now, null, { reason });
    return true;
  }

  /**
   * A calendar change recomputed this open case's deadline. A new due instant is recorded as
   * DEADLINE_MOVED (old and new deadline, `cause` the change); when only the calendar warnings
   * differ they are updated without an event (the deadline people work to did not move).
   */
  moveDeadline(d: Deadline, cause: Record<string, unknown>, actor: Actor, now: Date): 'MOVED' | 'WARNINGS_ONLY' | 'UNCHANGED' {
    this.requireOpen('move the deadline of');
    const warnings = toWarnings(d);
    const sameWarnings = warnings.length === this.props.deadlineWarnings.length && warnings.every((w, i) => w === this.props.deadlineWarnings[i]);
    if (this.props.dueAt?.getTime() === d.dueAt.getTime()) {
      if (sameWarnings) return 'UNCHANGED';
      this.props.deadlineWarnings = warnings;
      return 'WARNINGS_ONLY';
    }
    const before = { dueAt: this.props.dueAt?.toISOString() ?? null, deadlineWarnings: [...this.props.deadlineWarnings] };
    this.setDeadline(d);
    this.record('DEADLINE_MOVED', actor, now, before, { dueAt: d.dueAt.toISOString(), deadlineWarnings: warnings, cause });
    return 'MOVED';
  }

  /**
   * Stops the clock (status WAITING): the working time left until the deadline is kept, and no
   * SLA warning or breach fires until `resume`. Pausing a paused case is INVALID_TRANSITION.
   */
  pause(reason: PauseReason, note: string | null, time: WorkingTime, actor: Actor, now: Date): void {
    const from = this.props.status;
    assertTransition(from, 'WAITING');
    const dueAt = this.props.dueAt;
    if (!dueAt) throw new InvalidTransitionError(from, 'WAITING', 'a case without a running deadline cannot be paused');
    const remainingMs = time.workingMsBetween(now, dueAt);
    const warnAt = this.props.warnAt;
    const t = note?.trim() || null;
    this.props.pause = {
      since: now,
      reason,
      note: t,
      resumeTo: from,
      remainingMs,
      warnLeadMs: warnAt ? time.workingMsBetween(warnAt, dueAt) : null,
      dueAtBefore: dueAt,
      warnAtBefore: warnAt,
    };
    this.props.dueAt = null;
    this.props.warnAt = null;
    this.record('CASE_PAUSED', actor, now, { dueAt: dueAt.toISOString() }, { reason, remainingWorkingMinutes: toMinutes(remainingMs) }, t);
    this.changeStatus('WAITING', actor, now);
  }

  /**
   * Restarts the clock: the new deadline is now plus the working time that was left (a case
   * already past its deadline when paused keeps that deadline), and the case returns to the
   * status it had. The paused working time is added to `pausedWorkingMinutes`.
   */
  resume(time: WorkingTime, actor: Actor, now: Date): void {
    const pause = this.props.pause;
    if (this.props.status !== 'WAITING' || !pause) {
      throw new InvalidTransitionError(this.props.status, 'IN_PROGRESS', 'only a paused case can be resumed');
    }
    assertTransition('WAITING', pause.resumeTo);
    const pausedMs = Math.max(0, time.workingMsBetween(pause.since, now));
    if (pause.remainingMs > 0) {
      this.props.dueAt = time.addWorkingMs(now, pause.remainingMs);
      const lead = pause.warnLeadMs;
      this.props.warnAt = lead === null ? null : time.addWorkingMs(now, Math.max(0, pause.remainingMs - lead));
    } else {
      this.props.dueAt = pause.dueAtBefore;
      this.props.warnAt = pause.warnAtBefore;
    }
    const paused = toMinutes(pausedMs);
    this.props.pausedWorkingMinutes += paused;
    this.props.pause = null;
    this.record('CASE_RESUMED', actor, now, { dueAt: pause.dueAtBefore.toISOString(), pausedSince: pause.since.toISOString() }, {
      reason: pause.reason,
      pausedWorkingMinutes: paused,
      totalPausedWorkingMinutes: this.props.pausedWorkingMinutes,
      dueAt: this.props.dueAt.toISOString(),
    });
    this.changeStatus(pause.resumeTo, actor, now);
  }

  /**
   * An SLA warning or breach for the current deadline, on the timeline (the scheduler's alert
   * job stores it at most once per case, type and deadline). Changes nothing else.
   */
  recordSlaAlert(type: SlaAlertType, details: { workingMinutesLeft: number }, now: Date): void {
    const dueAt = this.props.dueAt;
    if (!isOpen(this.props.status) || !dueAt) throw new InvalidTransitionError(this.props.status, this.props.status, 'no running deadline');
    this.record(type, SLA_ACTOR, now, null, {
      dueAt: dueAt.toISOString(),
      warnAt: this.props.warnAt?.toISOString() ?? null,
      workingMinutesLeft: details.workingMinutesLeft,
    });
  }

  /** An SP4N-LAPOR! fact on the timeline (follow-up posted or queued, clock alerts). Changes nothing else. */
  recordLaporEvent(type: Exclude<LaporEventType, 'LAPOR_CLOSED'>, details: Record<string, unknown>, text: string | null, actor: Actor, now: Date): void {
    this.record(type, actor, now, null, details, text);
  }

  /**
   * LAPOR! closed the report: recorded on the timeline; an answered case is closed with it (a
   * case still being worked stays open: the bureau's own work is not finished by LAPOR!).
   */
  closeOnLapor(reason: string, actor: Actor, now: Date): boolean {
    this.record('LAPOR_CLOSED', actor, now, null, { reason, status: this.props.status });
    if (this.props.status !== 'ANSWERED') return false;
    this.changeStatus('CLOSED', actor, now, { reason: `LAPOR:${reason}` });
    return true;
  }

  /** Gives a running deadline stored without a warning instant (before SLA warnings existed) its instant. */
  fillMissingWarnAt(warnAt: (clockStart: Date, dueAt: Date) => Date): boolean {
    const { dueAt, clockStartedAt } = this.props;
    if (!isOpen(this.props.status) || !dueAt || !clockStartedAt || this.props.warnAt) return false;
    this.props.warnAt = warnAt(clockStartedAt, dueAt);
    return true;
  }

  private setDeadline(d: Deadline): void {
    this.props.dueAt = d.dueAt;
    this.props.deadlineWarnings = toWarnings(d);
    this.props.warnAt = d.warnAt ?? null;
  }

  /** INVALID_TRANSITION unless the case can still be worked (checked before slower lookups). */
  requireOpen(action: string): void {
    if (!isOpen(this.props.status)) {
      throw new InvalidTransitionError(this.props.status, this.props.status, `cannot ${action} a case that is ${this.props.status}`);
    }
  }

  private changeStatus(to: CaseStatus, actor: Actor, now: Date, extra: Record<string, unknown> = {}): void {
    const from = this.props.status;
    assertTransition(from, to);
    this.props.status = to;
    this.record('STATUS_CHANGED', actor, now, { status: from }, { status: to, ...extra });
  }

  private record(
    type: TimelineEventType,
    actor: Actor,
    at: Date,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
    text: string | null = null,
  ): void {
    this.props.updatedAt = at;
    this.events.push({ caseId: this.props.id, type, actor, at, before, after, text });
  }
}
