import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LaporCaseRecord, LaporQuarantineEntry } from '../../domain/lapor/lapor-store.port';
import { LaporChannelStatus } from '../../domain/lapor/lapor.service';
import { RequesterInput } from '../inputs/intake.inputs';
import { DateTimeScalar } from './scalars';

@ObjectType('LaporInfo', { description: 'SP4N-LAPOR! facts of a case that came through LAPOR!' })
export class LaporInfoType {
  @Field(() => String, { description: 'The citizen\'s handle on LAPOR! (lapor.go.id/pengaduan/<trackingId>)' }) trackingId!: string;
  @Field(() => DateTimeScalar, { description: 'When LAPOR! received the report from the citizen' }) laporReceivedAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When LAPOR! dispositioned it to the bureau' }) dispositionedAt!: Date;
  @Field(() => DateTimeScalar, { description: "LAPOR!'s follow-up deadline: 5 working days from disposition (office calendar)" }) followUpDueAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When LAPOR_FOLLOW_UP_WARNING fires' }) followUpWarnAt!: Date;
  @Field(() => String, { description: 'DISPOSITIONED (no follow-up yet), FOLLOWED_UP, REPLIED (the reporter answered), CLOSED' }) status!: string;
  @Field(() => Boolean) rahasia!: boolean;
  @Field(() => Boolean) anonim!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) followedUpAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When LAPOR! closes the report if the reporter does not reply (10 working days after the follow-up)' }) autoCloseAt!: Date | null;

  static from(r: LaporCaseRecord): LaporInfoType {
    return Object.assign(new LaporInfoType(), r);
  }
}

@ObjectType('LaporChannelStatus', { description: 'State of the SP4N-LAPOR! channel' })
export class LaporChannelStatusType {
  @Field(() => Boolean, { description: 'LOKET_LAPOR_URL and LOKET_LAPOR_TOKEN are set' }) apiConfigured!: boolean;
  @Field(() => String, { description: 'OFF (manual path only), NOT_YET_RUN, OK, ERROR' }) state!: string;
  @Field(() => String, { nullable: true, description: 'AUTH_REJECTED, UNREACHABLE or MALFORMED while in ERROR' }) errorKind!: string | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastPullAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastSuccessAt!: Date | null;
  @Field(() => Int) pendingFollowUps!: number;

  static from(s: LaporChannelStatus): LaporChannelStatusType {
    return Object.assign(new LaporChannelStatusType(), s);
  }
}

@ObjectType('LaporQuarantinedReport', { description: 'A LAPOR! report that could not be mapped to a case' })
export class LaporQuarantinedReportType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) trackingId!: string | null;
  @Field(() => String) reason!: string;
  @Field(() => DateTimeScalar) quarantinedAt!: Date;

  static from(e: LaporQuarantineEntry): LaporQuarantinedReportType {
    return Object.assign(new LaporQuarantinedReportType(), { id: e.id, trackingId: e.trackingId, reason: e.reason, quarantinedAt: e.quarantinedAt });
  }
}

@InputType('LogLaporReportInput', { description: 'A report as the LAPOR! admin page shows it' })
export class LogLaporReportInput {
  @Field(() => String) trackingId!: string;
  @Field(() => DateTimeScalar, { description: 'When LAPOR! received it' }) receivedAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When LAPOR! dispositioned it to the bureau (the case is received then)' }) dispositionedAt!: Date;
  @Field(() => String) subject!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Boolean, { description: 'Hidden from the public: the case is confidential' }) rahasia!: boolean;
  @Field(() => Boolean, { description: 'Reporter hidden from the agency: the case has no requester at all' }) anonim!: boolean;
  @Field(() => RequesterInput, { nullable: true, description: 'Ignored when anonim' }) reporter?: RequesterInput | null;
  @Field(() => [ID], { nullable: true, description: 'Stored files (uploaded by the caller, or readable by them)' }) attachments?: string[] | null;
}

@InputType('LaporFollowUpInput')
export class LaporFollowUpInput {
  @Field(() => String) trackingId!: string;
  @Field(() => String) text!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was posted on LAPOR! (recordLaporFollowUp; default now)' }) postedAt?: Date | null;
  @Field(() => [ID], { nullable: true }) attachments?: string[] | null;
}
