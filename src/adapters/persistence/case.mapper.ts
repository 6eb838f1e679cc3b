import { Case, CasePause, CaseProps } from '../../domain/case/case';
import { CaseKind, CaseStatus, Channel, ComplaintClass, DeliveryMethod, PauseReason, RejectionReason } from '../../domain/case/case-types';
import { Requester } from '../../domain/case/requester';
import { Requirements } from '../../domain/case/requirements';
import { TimelineEvent, TimelineEventType } from '../../domain/case/timeline-event';
import { CaseRow } from './entities/case.entity-schema';
import { CaseEventRow } from './entities/case-event.entity-schema';
import { NikProtector } from './nik-protector';

const date = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
const dateOrNull = (v: Date | string | null): Date | null => (v === null ? null : date(v));

export const CASE_COLUMNS = [
  'id', 'reference', 'kind', 'channel', 'status', 'complaint_class', 'subject', 'description',
  'received_at', 'logged_at', 'clock_started_at', 'due_at', 'deadline_warnings', 'requester',
  'requirements', 'channel_details', 'assignee', 'answer', 'rejection', 'merged_into_id', 'updated_at',
  'confidential', 'requester_erased_at', 'nik_ciphertext', 'nik_index', 'access_code',
  'warn_at', 'pause', 'paused_working_minutes',
  'assigned_user_id', 'answer_draft',
] as const;

/** SQL casts per column so that string parameters land in the right types on pg and PGlite. */
export const CASE_CASTS: Record<(typeof CASE_COLUMNS)[number], string> = {
  id: 'uuid', reference: 'text', kind: 'text', channel: 'text', status: 'text', complaint_class: 'text',
  subject: 'text', description: 'text', received_at: 'timestamptz', logged_at: 'timestamptz',
  clock_started_at: 'timestamptz', due_at: 'timestamptz', deadline_warnings: 'text[]', requester: 'jsonb',
  requirements: 'jsonb', channel_details: 'jsonb', assignee: 'text', answer: 'jsonb', rejection: 'jsonb',
  merged_into_id: 'uuid', updated_at: 'timestamptz', confidential: 'boolean', requester_erased_at: 'timestamptz',
  nik_ciphertext: 'text', nik_index: 'text', access_code: 'text',
  warn_at: 'timestamptz', pause: 'jsonb', paused_working_minutes: 'int',
  assigned_user_id: 'uuid', answer_draft: 'jsonb',
};

/** Maps cases between rows and the domain; the NIK never reaches a row in plain text. */
export class CaseMapper {
  constructor(private readonly nik: NikProtector) {}

  rowToProps(row: CaseRow): CaseProps {
    const requester = row.requester
      ? ({ ...row.requester, nik: row.nik_ciphertext ? this.nik.decrypt(row.nik_ciphertext) : null } as Requester)
      : null;
    return {
      id: row.id,
      reference: row.reference,
      accessCode: row.access_code,
      kind: row.kind as CaseKind,
      channel: row.channel as Channel,
      status: row.status as CaseStatus,
      complaintClass: row.complaint_class as ComplaintClass | null,
      subject: row.subject,
      description: row.description,
      receivedAt: date(row.received_at),
      loggedAt: date(row.logged_at),
      clockStartedAt: dateOrNull(row.clock_started_at),
      dueAt: dateOrNull(row.due_at),
      deadlineWarnings: row.deadline_warnings ?? [],
      requester,
      confidential: row.confidential,
      requesterErasedAt: dateOrNull(row.requester_erased_at),
      requirements: row.requirements as Requirements | null,
      channelDetails: row.channel_details ?? {},
      assignee: row.assignee,
      assignedUserId: row.assigned_user_id ?? null,
      answerDraft: row.answer_draft
        ? { ...row.answer_draft, attachmentFileIds: row.answer_draft.attachmentFileIds ?? [], draftedAt: new Date(row.answer_draft.draftedAt) }
        : null,
      answer: row.answer
        ? { text: row.answer.text, deliveredVia: row.answer.deliveredVia as DeliveryMethod, answeredAt: new Date(row.answer.answeredAt) }
        : null,
      rejection: row.rejection ? { reason: row.rejection.reason as RejectionReason, note: row.rejection.note } : null,
      mergedIntoId: row.merged_into_id,
      warnAt: dateOrNull(row.warn_at),
      pause: row.pause ? pauseFromJson(row.pause) : null,
      pausedWorkingMinutes: Number(row.paused_working_minutes ?? 0),
      updatedAt: date(row.updated_at),
      version: Number(row.version),
    };
  }

  encryptNik(nik: string): string {
    return this.nik.encrypt(nik);
  }

  nikIndex(nik: string): string {
    return this.nik.blindIndex(nik);
  }

  rowToCase(row: CaseRow): Case {
    return Case.restore(this.rowToProps(row));
  }

  /** Column values in the order of CASE_COLUMNS, JSON already serialized for `::jsonb` casts. */
  propsToParams(p: CaseProps): unknown[] {
    const { nik, ...rest } = p.requester ?? { nik: null };
    return [
      p.id,
      p.reference,
      p.kind,
      p.channel,
      p.status,
      p.complaintClass,
      p.subject,
      p.description,
      p.receivedAt.toISOString(),
      p.loggedAt.toISOString(),
      p.clockStartedAt?.toISOString() ?? null,
      p.dueAt?.toISOString() ?? null,
      p.deadlineWarnings,
      p.requester ? JSON.stringify(rest) : null,
      p.requirements ? JSON.stringify(p.requirements) : null,
      JSON.stringify(p.channelDetails),
      p.assignee,
      p.answer ? JSON.stringify({ ...p.answer, answeredAt: p.answer.answeredAt.toISOString() }) : null,
      p.rejection ? JSON.stringify(p.rejection) : null,
      p.mergedIntoId,
      p.updatedAt.toISOString(),
      p.confidential,
      p.requesterErasedAt?.toISOString() ?? null,
      nik ? this.nik.encrypt(nik) : null,
      nik ? this.nik.blindIndex(nik) : null,
      p.accessCode,
      p.warnAt?.toISOString() ?? null,
      p.pause ? JSON.stringify(p.pause) : null,
      p.pausedWorkingMinutes,
      p.assignedUserId,
      p.answerDraft ? JSON.stringify({ ...p.answerDraft, draftedAt: p.answerDraft.draftedAt.toISOString() }) : null,
    ];
  }
}

/** The stored pause (dates as ISO strings in JSON) back to the domain's. */
function pauseFromJson(j: Record<string, unknown>): CasePause {
  return {
    since: new Date(j.since as string),
    reason: j.reason as PauseReason,
    note: (j.note as string | null) ?? null,
    resumeTo: j.resumeTo as CaseStatus,
    remainingMs: Number(j.remainingMs),
    warnLeadMs: j.warnLeadMs === null || j.warnLeadMs === undefined ? null : Number(j.warnLeadMs),
    dueAtBefore: new Date(j.dueAtBefore as string),
    warnAtBefore: j.warnAtBefore ? new Date(j.warnAtBefore as string) : null,
  };
}

export function eventRowToEvent(row: CaseEventRow): TimelineEvent {
  return {
    id: String(row.id),
    caseId: row.case_id,
    type: row.type as TimelineEventType,
    actor: { id: row.actor_id, kind: row.actor_kind as 'USER' | 'SYSTEM' },
    at: date(row.at),
    before: row.before,
    after: row.after,
    text: row.text,
  };
}
