import { registerEnumType } from 'type-graphql';
import {
  CASE_KINDS, CASE_STATUSES, CHANNELS, COMPLAINT_CLASSES, DELIVERY_METHODS, REJECTION_REASONS,
  CaseKind, CaseStatus, Channel, ComplaintClass, DeliveryMethod, RejectionReason,
  PAUSE_REASONS, PauseReason,
} from '../../domain/case/case-types';
import { DEADLINE_STATES, DeadlineState } from '../../domain/sla/time-remaining';
import { CaseOrder } from '../../domain/case/case-repository.port';
import { SlaAlertType } from '../../domain/case/case';
import { TIMELINE_EVENT_TYPES, TimelineEventType } from '../../domain/case/timeline-event';

/** GraphQL enums whose values are exactly the domain's string literals. */
function asEnum<T extends string>(values: readonly T[]): Record<T, T> {
  return Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;
}

export const CaseKindEnum = asEnum<CaseKind>(CASE_KINDS);
export const ChannelEnum = asEnum<Channel>(CHANNELS);
export const CaseStatusEnum = asEnum<CaseStatus>(CASE_STATUSES);
export const ComplaintClassEnum = asEnum<ComplaintClass>(COMPLAINT_CLASSES);
export const RejectionReasonEnum = asEnum<RejectionReason>(REJECTION_REASONS);
export const DeliveryMethodEnum = asEnum<DeliveryMethod>(DELIVERY_METHODS);
export const TimelineEventTypeEnum = asEnum<TimelineEventType>(TIMELINE_EVENT_TYPES);

registerEnumType(CaseKindEnum, { name: 'CaseKind', description: 'Information request (Pelayanan Data, Laporan, dan Informasi) or complaint (Pengaduan)' });
registerEnumType(ChannelEnum, { name: 'Channel', description: 'The intake channel named by the service standard' });
registerEnumType(CaseStatusEnum, { name: 'CaseStatus' });
registerEnumType(ComplaintClassEnum, {
  name: 'ComplaintClass',
  description: 'LIGHT: 3 office hours; NORMATIVE: 5 working days; NON_SUPERVISORY: 14; SUPERVISORY: 60',
});
registerEnumType(RejectionReasonEnum, { name: 'RejectionReason' });
registerEnumType(DeliveryMethodEnum, { name: 'DeliveryMethod', description: 'How an answer reached the requester' });
registerEnumType(TimelineEventTypeEnum, { name: 'TimelineEventType' });

export const PauseReasonEnum = asEnum<PauseReason>(PAUSE_REASONS);
export const DeadlineStateEnum = asEnum<DeadlineState>(DEADLINE_STATES);
export const CaseOrderEnum = asEnum<CaseOrder>(['RECEIVED_AT', 'DUE_AT']);
export const SlaAlertTypeEnum = asEnum<SlaAlertType>(['SLA_WARNING', 'SLA_BREACHED']);

registerEnumType(PauseReasonEnum, { name: 'PauseReason', description: 'Why the clock of a case is stopped' });
registerEnumType(DeadlineStateEnum, {
  name: 'DeadlineState',
  description: 'ON_TRACK; AT_RISK: past the warning instant, not yet due; BREACHED: at or past the deadline; PAUSED: clock stopped; NONE: no running deadline',
});
registerEnumType(CaseOrderEnum, { name: 'CaseOrder', description: 'RECEIVED_AT: newest received first; DUE_AT: nearest deadline first, none last' });
registerEnumType(SlaAlertTypeEnum, { name: 'SlaAlertType', description: 'SLA_WARNING: the warning share of the working time has passed; SLA_BREACHED: the deadline has come' });
