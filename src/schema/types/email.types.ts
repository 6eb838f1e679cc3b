import { Field, ID, Int, ObjectType } from 'type-graphql';
import { EmailInboxStatus } from '../../domain/intake/email-channel-admin.port';
import { EmailRecord } from '../../domain/intake/email-ledger.port';
import { DateTimeScalar } from './scalars';

@ObjectType('EmailInboxStatus', { description: 'The kesra@ inbox intake' })
export class EmailInboxStatusType {
  @Field(() => Boolean, { description: 'False when LOKET_IMAP_URL is not set' }) configured!: boolean;
  @Field(() => String, { description: 'STOPPED, CONNECTING, CONNECTED or DISCONNECTED' }) state!: string;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastCheckAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) connectedSince!: Date | null;
  @Field(() => Int, { description: 'Messages handled since start' }) processed!: number;
  @Field(() => Int, { description: 'Failed attempts since start' }) failed!: number;

  static from(s: EmailInboxStatus): EmailInboxStatusType {
    return Object.assign(new EmailInboxStatusType(), s);
  }
}

@ObjectType('InboundEmail', { description: 'An inbound message and what became of it' })
export class InboundEmailType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) messageId!: string | null;
  @Field(() => String, { description: 'CREATED, JOINED, SUPPRESSED, DELIVERY_FAILURE, QUARANTINED or DISCARDED' }) outcome!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => ID, { nullable: true }) caseId!: string | null;
  @Field(() => String, { description: 'File id of the raw message as received' }) rawFileId!: string;
  @Field(() => DateTimeScalar) receivedAt!: Date;
  @Field(() => DateTimeScalar) processedAt!: Date;

  static from(r: EmailRecord): InboundEmailType {
    return Object.assign(new InboundEmailType(), r);
  }
}

@ObjectType('EmailReprocessResult')
export class EmailReprocessResultType {
  @Field(() => String) outcome!: string;
  @Field(() => ID, { nullable: true }) caseId!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}
