import { Field, InputType } from 'type-graphql';
import { CaseFilter } from '../../domain/case/case-repository.port';
import { CaseKind, CaseStatus, Channel, ComplaintClass } from '../../domain/case/case-types';
import { CaseKindEnum, CaseStatusEnum, ChannelEnum, ComplaintClassEnum, DeadlineStateEnum, SlaAlertTypeEnum } from '../types/enums';
import { DeadlineState } from '../../domain/sla/time-remaining';
import { SlaAlertType } from '../../domain/case/case';
import { DateTimeScalar } from '../types/scalars';

@InputType('CaseFilter')
export class CaseFilterInput {
  @Field(() => [CaseKindEnum], { nullable: true }) kind?: CaseKind[] | null;
  @Field(() => [ChannelEnum], { nullable: true }) channel?: Channel[] | null;
  @Field(() => [CaseStatusEnum], { nullable: true }) status?: CaseStatus[] | null;
  @Field(() => [ComplaintClassEnum], { nullable: true }) complaintClass?: ComplaintClass[] | null;
  @Field(() => Boolean, { nullable: true, description: 'true: open and past the deadline' }) overdue?: boolean | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'receivedAt >= this' }) receivedFrom?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'receivedAt < this' }) receivedTo?: Date | null;
  @Field(() => String, { nullable: true, description: 'Full-text search (Indonesian) over subject, description and timeline text' })
  text?: string | null;
  @Field(() => String, { nullable: true, description: 'Code of the team the cases are assigned to' }) assignee?: string | null;
  @Field(() => Boolean, { nullable: true, description: "true: only the cases assigned to the caller in person (a handler's own queue)" })
  assignedToMe?: boolean | null;
  @Field(() => [DeadlineStateEnum], { nullable: true, description: 'Cases in any of these deadline states now; ordered nearest deadline first unless orderBy says otherwise' })
  deadlineState?: DeadlineState[] | null;
  @Field(() => String, { nullable: true, description: 'The case of this SP4N-LAPOR! tracking ID' }) laporTrackingId?: string | null;
}

@InputType('SlaAlertFilter', { description: 'Which SLA alerts a live subscription receives' })
export class SlaAlertFilterInput {
  @Field(() => [CaseKindEnum], { nullable: true }) kind?: CaseKind[] | null;
  @Field(() => [ChannelEnum], { nullable: true }) channel?: Channel[] | null;
  @Field(() => [String], { nullable: true, description: 'Assignee (handling team) of the case' }) team?: string[] | null;
  @Field(() => [SlaAlertTypeEnum], { nullable: true }) type?: SlaAlertType[] | null;
}

@InputType('CaseStreamFilter', { description: 'Which new cases a live subscription receives' })
export class CaseStreamFilterInput {
  @Field(() => [CaseKindEnum], { nullable: true }) kind?: CaseKind[] | null;
  @Field(() => [ChannelEnum], { nullable: true }) channel?: Channel[] | null;
  @Field(() => [ComplaintClassEnum], { nullable: true }) complaintClass?: ComplaintClass[] | null;
}

export function toCaseFilter(f: CaseFilterInput | null | undefined): CaseFilter {
  if (!f) return {};
  return {
    kinds: f.kind ?? undefined,
    channels: f.channel ?? undefined,
    statuses: f.status ?? undefined,
    complaintClasses: f.complaintClass ?? undefined,
    overdue: f.overdue ?? undefined,
    receivedFrom: f.receivedFrom ?? undefined,
    receivedTo: f.receivedTo ?? undefined,
    text: f.text ?? undefined,
    assignee: f.assignee ?? undefined,
    deadlineStates: f.deadlineState ?? undefined,
    assignedToMe: f.assignedToMe ?? undefined,
    laporTrackingId: f.laporTrackingId?.trim().toUpperCase() || undefined,
  };
}
