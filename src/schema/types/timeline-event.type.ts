import { Field, ID, ObjectType } from 'type-graphql';
import { TimelineEvent, TimelineEventType as EventType } from '../../domain/case/timeline-event';
import { encodeEventCursor } from '../event-cursor';
import { TimelineEventTypeEnum } from './enums';
import { DateTimeScalar, JSONObjectScalar } from './scalars';

@ObjectType('TimelineEvent', { description: 'One entry of a case history; never edited afterwards' })
export class TimelineEventType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Resume point for caseEvents(after:) and timeline(after:)' }) cursor!: string;
  @Field(() => ID) caseId!: string;
  @Field(() => TimelineEventTypeEnum) type!: EventType;
  @Field(() => String, { description: 'Who did it: a user, an API client or an intake adapter' }) actor!: string;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => JSONObjectScalar, { nullable: true }) before!: Record<string, unknown> | null;
  @Field(() => JSONObjectScalar, { nullable: true }) after!: Record<string, unknown> | null;
  @Field(() => String, { nullable: true }) text!: string | null;

  static from(e: TimelineEvent): TimelineEventType {
    const id = e.id ?? '';
    return Object.assign(new TimelineEventType(), { ...e, id, cursor: encodeEventCursor(id), actor: e.actor.id });
  }
}
