import { Field, ObjectType } from 'type-graphql';
import { CaseStatusView } from '../../domain/case/case-status-lookup.service';
import { CaseKind, CaseStatus } from '../../domain/case/case-types';
import { CaseKindEnum, CaseStatusEnum } from './enums';
import { DateTimeScalar } from './scalars';

@ObjectType('PublicCaseStatus', { description: "What the citizen sees of a case with its reference and access code: the matter's progress, never a person's data" })
export class PublicCaseStatusType {
  @Field(() => String) reference!: string;
  @Field(() => CaseKindEnum) kind!: CaseKind;
  @Field(() => String, { description: 'The kind as the service standard names it' }) kindText!: string;
  @Field(() => CaseStatusEnum, { description: 'Of the case it was merged into, if it was merged' }) status!: CaseStatus;
  @Field(() => String, { description: 'The status in plain Indonesian, e.g. "Sedang diproses"' }) statusText!: string;
  @Field(() => DateTimeScalar) receivedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Null while an information request is incomplete' }) dueAt!: Date | null;
  @Field(() => Boolean) answered!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) answeredAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'The reference of the case this one was merged into' }) mergedIntoReference!: string | null;

  static from(v: CaseStatusView): PublicCaseStatusType {
    return Object.assign(new PublicCaseStatusType(), v);
  }
}
