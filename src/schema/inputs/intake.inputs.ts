import { Field, ID, InputType } from 'type-graphql';
import { CaseKind, ComplaintClass } from '../../domain/case/case-types';
import { CaseKindEnum, ComplaintClassEnum } from '../types/enums';
import { DateTimeScalar } from '../types/scalars';

@InputType('RequesterInput')
export class RequesterInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: '16-digit NIK' }) nik?: string | null;
  @Field(() => String, { nullable: true }) organization?: string | null;
  @Field(() => String, { nullable: true, description: 'Normalized to +62...' }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
}

@InputType('RequirementsInput')
export class RequirementsInput {
  @Field(() => Boolean, { nullable: true }) assignmentLetter?: boolean | null;
  @Field(() => Boolean, { nullable: true }) requestLetter?: boolean | null;
  @Field(() => Boolean, { nullable: true }) identityDocument?: boolean | null;
  @Field(() => ID, { nullable: true, description: 'Scan of the assignment letter (surat tugas); ticks it and attaches the file' })
  assignmentLetterFileId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Scan of the request letter (surat permintaan); ticks it and attaches the file' })
  requestLetterFileId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Scan of the identity document (tanda pengenal); ticks it and attaches the file' })
  identityDocumentFileId?: string | null;
}

/** Fields every desk intake shares; the concrete inputs inherit them. */
@InputType()
abstract class DeskIntakeInput {
  @Field(() => String) subject!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the bureau received it; defaults to now' }) receivedAt?: Date | null;
  @Field(() => RequesterInput, { nullable: true, description: 'Leave out for an anonymous complaint' }) requester?: RequesterInput | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Hide the identity from handlers and clerks; complaints default to true (the complainant may agree otherwise)',
  })
  confidential?: boolean | null;
  @Field(() => String, { nullable: true, description: 'The same key again returns the same case and creates nothing' })
  idempotencyKey?: string | null;
}

@InputType('LogPhoneCallInput')
export class LogPhoneCallInput extends DeskIntakeInput {
  @Field(() => CaseKindEnum) kind!: CaseKind;
  @Field(() => ComplaintClassEnum, { nullable: true }) complaintClass?: ComplaintClass | null;
  @Field(() => String, { nullable: true, description: 'The number the call came from, as the clerk wrote it; must be a phone number (08..., +62..., (0561) ...)' })
  callerNumber?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'The PBX call record of this call (from unloggedCalls): fills callerNumber and receivedAt when absent, and links the record to the case',
  })
  callRecordId?: string | null;
}

@InputType('LogFaxInput')
export class LogFaxInput extends DeskIntakeInput {
  @Field(() => CaseKindEnum) kind!: CaseKind;
  @Field(() => ComplaintClassEnum, { nullable: true }) complaintClass?: ComplaintClass | null;
  @Field(() => String, {
    nullable: true,
    description: "The sender's fax number, a phone number (08..., +62..., (0561) ...); when absent and faxFileId is given, the number the fax server recorded",
  })
  faxNumber?: string | null;
  @Field(() => ID, {
    nullable: true,
    description:
      'Id of a waiting fax from unregisteredFaxes (a FaxItem id, not a stored file id): the fax file is attached to the case, its sender fills faxNumber and its time receivedAt when absent',
  })
  faxFileId?: string | null;
}

@InputType('LogWalkInInput')
export class LogWalkInInput extends DeskIntakeInput {
  @Field(() => CaseKindEnum) kind!: CaseKind;
  @Field(() => ComplaintClassEnum, { nullable: true }) complaintClass?: ComplaintClass | null;
  @Field(() => RequirementsInput, { nullable: true }) requirements?: RequirementsInput | null;
}

@InputType('ComplaintBoxEntryInput')
export class ComplaintBoxEntryInput extends DeskIntakeInput {}
