import { Field, ID, Int, ObjectType } from 'type-graphql';
import { mayReadAccessCode, maySeeIdentity } from '../../domain/access/access-policy';
import { Principal } from '../../domain/access/roles';
import { formatAccessCode } from '../../domain/case/access-code';
import { CasePause, CaseProps } from '../../domain/case/case';
import { isOpen } from '../../domain/case/case-status';
import { CaseKind, CaseStatus, Channel, ComplaintClass, DeliveryMethod, RejectionReason } from '../../domain/case/case-types';
import { maskNik, Requester } from '../../domain/case/requester';
import { missingRequirements, Requirements } from '../../domain/case/requirements';
import { CaseKindEnum, CaseStatusEnum, ChannelEnum, ComplaintClassEnum, DeliveryMethodEnum, RejectionReasonEnum } from './enums';
import { DateTimeScalar } from './scalars';

@ObjectType('Requester')
export class RequesterType {
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true, description: 'NIK, masked (e.g. 6171**********01)' }) nik!: string | null;
  @Field(() => String, { nullable: true }) organization!: string | null;
  @Field(() => String, { nullable: true, description: 'E.164, e.g. +6281234567890' }) phone!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) address!: string | null;

  static from(r: Requester): RequesterType {
    return Object.assign(new RequesterType(), { ...r, nik: r.nik ? maskNik(r.nik) : null });
  }
}

@ObjectType('Requirements', { description: 'Persyaratan of an information request' })
export class RequirementsType {
  @Field(() => Boolean) assignmentLetter!: boolean;
  @Field(() => Boolean) requestLetter!: boolean;
  @Field(() => Boolean) identityDocument!: boolean;
  @Field(() => Boolean) complete!: boolean;
  @Field(() => [String], { description: 'Names of the requirements still missing' }) missing!: string[];

  static from(r: Requirements): RequirementsType {
    const missing = missingRequirements(r);
    return Object.assign(new RequirementsType(), { ...r, missing, complete: missing.length === 0 });
  }
}

@ObjectType('Answer')
export class AnswerType {
  @Field(() => String) text!: string;
  @Field(() => DeliveryMethodEnum) deliveredVia!: DeliveryMethod;
  @Field(() => DateTimeScalar) answeredAt!: Date;
}

@ObjectType('AnswerDraft', { description: 'The draft answer a handler wrote, for the complaint officer to send' })
export class AnswerDraftType {
  @Field(() => String) text!: string;
  @Field(() => [ID]) attachmentFileIds!: string[];
  @Field(() => ID, { description: 'Staff user or token id of who wrote it' }) draftedBy!: string;
  @Field(() => DateTimeScalar) draftedAt!: Date;
}

@ObjectType('Rejection')
export class RejectionType {
  @Field(() => RejectionReasonEnum) reason!: RejectionReason;
  @Field(() => String, { nullable: true }) note!: string | null;
}

@ObjectType('ChannelDetail', { description: 'A fact recorded by the intake channel, e.g. callerNumber' })
export class ChannelDetailType {
  @Field(() => String) name!: string;
  @Field(() => String) value!: string;
}

@ObjectType('Case')
export class CaseType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Reference number told to the citizen, e.g. ADU-2026-000123' }) reference!: string;
  @Field(() => String, {
    nullable: true,
    description: 'With the reference, lets the citizen look up the status (GET /status, caseStatus), e.g. K7QM-3XPA. Null for handlers and for tools without PERSONAL_DATA_READ',
  })
  accessCode!: string | null;
  @Field(() => CaseKindEnum) kind!: CaseKind;
  @Field(() => ChannelEnum) channel!: Channel;
  @Field(() => CaseStatusEnum) status!: CaseStatus;
  @Field(() => ComplaintClassEnum, { nullable: true }) complaintClass!: ComplaintClass | null;
  @Field(() => String) subject!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => DateTimeScalar, { description: 'When the bureau received it' }) receivedAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When it was logged in Loket' }) loggedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the deadline clock started' }) clockStartedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) dueAt!: Date | null;
  @Field(() => Boolean, { description: 'Open and past its deadline' }) overdue!: boolean;
  @Field(() => [String], { description: 'e.g. CALENDAR_YEAR_MISSING:2027 when the deadline crossed a year without calendar data' })
  deadlineWarnings!: string[];
  /** Resolved by CaseFieldsResolver, which records the view; null when hidden or anonymous. */
  requesterView!: RequesterType | null;
  @Field(() => Boolean, { description: 'Identity hidden from handlers and clerks (default for complaints)' }) confidential!: boolean;
  @Field(() => Boolean, { description: 'No identity was given (anonymous) or it was erased' }) anonymous!: boolean;
  @Field(() => Boolean, { description: 'There is an identity, but the caller may not see it' }) identityHidden!: boolean;
  @Field(() => DateTimeScalar, { nullable: true, description: "When the requester's identity was erased" }) requesterErasedAt!: Date | null;
  @Field(() => RequirementsType, { nullable: true, description: 'Only for information requests' }) requirements!: RequirementsType | null;
  /** Resolved by CaseQueryResolver, which records the view: caller and fax numbers identify people. */
  channelDetailsView!: ChannelDetailType[];
  @Field(() => String, { nullable: true, description: 'Code of the team the case is assigned to (see Query.teams)' }) assignee!: string | null;
  @Field(() => ID, { nullable: true, description: 'The member of that team who works it (a staff user id)' }) assignedUserId!: string | null;
  @Field(() => AnswerDraftType, { nullable: true, description: 'The latest draft answer' }) answerDraft!: AnswerDraftType | null;
  @Field(() => AnswerType, { nullable: true }) answer!: AnswerType | null;
  @Field(() => RejectionType, { nullable: true }) rejection!: RejectionType | null;
  @Field(() => ID, { nullable: true }) mergedIntoId!: string | null;
  @Field(() => DateTimeScalar) updatedAt!: Date;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When SLA_WARNING fires for this dueAt; null without a running deadline' }) warnAt!: Date | null;
  @Field(() => Int, { description: 'Working minutes the clock was stopped (pauses ended so far)' }) pausedWorkingMinutes!: number;
  /** The stopped clock while WAITING (timeRemaining reads it). */
  pause!: CasePause | null;

  /** Maps the domain snapshot for this caller; `now` decides `overdue`. */
  static from(p: CaseProps, now: Date, viewer: Principal): CaseType {
    const hasIdentity = !!p.requester || Object.keys(p.channelDetails).length > 0;
    const visible = hasIdentity && maySeeIdentity(viewer, p);
    return Object.assign(new CaseType(), {
      ...p,
      accessCode: mayReadAccessCode(viewer) ? formatAccessCode(p.accessCode) : null,
      overdue: isOpen(p.status) && !!p.dueAt && p.dueAt.getTime() < now.getTime(),
      requester: undefined,
      requesterView: visible && p.requester ? RequesterType.from(p.requester) : null,
      anonymous: !hasIdentity,
      identityHidden: hasIdentity && !visible,
      requirements: p.requirements ? RequirementsType.from(p.requirements) : null,
      // Caller and fax numbers identify the person just as the requester fields do.
      channelDetails: undefined,
      channelDetailsView: visible ? Object.entries(p.channelDetails).map(([name, value]) => ({ name, value })) : [],
      answer: p.answer ? Object.assign(new AnswerType(), p.answer) : null,
      answerDraft: p.answerDraft ? Object.assign(new AnswerDraftType(), p.answerDraft) : null,
      rejection: p.rejection ? Object.assign(new RejectionType(), p.rejection) : null,
    });
  }
}
