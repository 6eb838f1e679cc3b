import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DropItem } from '../../domain/intake/drop-item';
import { DateTimeScalar } from './scalars';

@ObjectType('ScanItem', { description: 'A sheet from the scanner drop folder (LOKET_SCAN_INBOX), waiting to be transcribed into a case' })
export class ScanItemType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Stored file id (GET /files/{id})' }) fileId!: string;
  @Field(() => String, { description: 'Name the scanner gave the file' }) filename!: string;
  @Field(() => String) contentType!: string;
  @Field(() => Int) size!: number;
  @Field(() => DateTimeScalar, { description: 'When the file appeared in the folder' }) arrivedAt!: Date;
  @Field(() => String, { description: 'UNREGISTERED, REGISTERED or DISCARDED' }) status!: string;
  @Field(() => ID, { nullable: true, description: 'The case it became' }) caseId!: string | null;
  @Field(() => String, { nullable: true }) discardReason!: string | null;

  static from(d: DropItem): ScanItemType {
    return Object.assign(new ScanItemType(), d);
  }
}

@ObjectType('FaxItem', { description: 'A fax from the fax drop folder (LOKET_FAX_INBOX), waiting to be logged with logFax(input: { faxFileId })' })
export class FaxItemType {
  @Field(() => ID, { description: 'Pass as faxFileId to logFax' }) id!: string;
  @Field(() => String, { description: 'Stored file id (GET /files/{id})' }) fileId!: string;
  @Field(() => String, { description: 'Name the fax server gave the file' }) filename!: string;
  @Field(() => String) contentType!: string;
  @Field(() => Int) size!: number;
  @Field(() => DateTimeScalar, { description: 'When the file appeared in the folder' }) arrivedAt!: Date;
  @Field(() => String, { nullable: true, description: "The sender's number, from the file name or its sidecar" }) senderNumber!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the fax server received it, from the file name or its sidecar' })
  faxReceivedAt!: Date | null;
  @Field(() => String, { description: 'UNREGISTERED, REGISTERED or DISCARDED' }) status!: string;
  @Field(() => ID, { nullable: true }) caseId!: string | null;

  static from(d: DropItem): FaxItemType {
    return Object.assign(new FaxItemType(), d);
  }
}
