import { Field, ID, Int, ObjectType } from 'type-graphql';
import { SlaAlertType } from '../../domain/case/case';
import { DeadlineState, TimeRemaining } from '../../domain/sla/time-remaining';
import { CaseType } from './case.type';
import { DeadlineStateEnum, SlaAlertTypeEnum } from './enums';
import { DateTimeScalar } from './scalars';

@ObjectType('TimeRemaining', { description: 'Where a case stands against its deadline, in working time on the office calendar' })
export class TimeRemainingType {
  @Field(() => DeadlineStateEnum) state!: DeadlineState;
  @Field(() => Int, {
    nullable: true,
    description: 'Working minutes until dueAt (0 or negative once breached; as at the pause while PAUSED); null for NONE',
  })
  workingMinutes!: number | null;
  @Field(() => DateTimeScalar, { nullable: true }) dueAt!: Date | null;

  static from(t: TimeRemaining): TimeRemainingType {
    return Object.assign(new TimeRemainingType(), t);
  }
}

@ObjectType('SlaAlert', { description: 'An SLA warning or breach of a case (also on its timeline)' })
export class SlaAlertObjectType {
  @Field(() => ID, { description: 'The timeline event id' }) id!: string;
  @Field(() => SlaAlertTypeEnum) type!: SlaAlertType;
  @Field(() => DateTimeScalar, { description: 'When it was raised' }) at!: Date;
  @Field(() => DateTimeScalar, { description: 'The deadline it is about' }) dueAt!: Date;
  @Field(() => Int, { description: 'Working minutes left until dueAt when raised (0 or negative for a breach)' }) workingMinutesLeft!: number;
  @Field(() => CaseType) case!: CaseType;
}
