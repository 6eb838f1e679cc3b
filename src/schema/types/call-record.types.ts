import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CallRecord } from '../../domain/phone/call-record';
import { CallRecordImport } from '../../domain/phone/call-record.service';
import { DateTimeScalar } from './scalars';

@ObjectType('CallRecord', { description: 'One call from the PBX call log (Asterisk Master.csv)' })
export class CallRecordType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: "The PBX's uniqueid, when it logs one" }) uniqueId!: string | null;
  @Field(() => String, { nullable: true, description: 'Normalized to +62... when it is a phone number' }) callerNumber!: string | null;
  @Field(() => String, { nullable: true, description: 'Caller ID name, as sent by the network' }) callerName!: string | null;
  @Field(() => String, { description: 'The extension dialled (126 for the complaint line)' }) extension!: string;
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) answer!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) end!: Date | null;
  @Field(() => Int, { description: 'Seconds from start to end' }) duration!: number;
  @Field(() => Int, { description: 'Seconds from answer to end' }) billsec!: number;
  @Field(() => String, { description: 'ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION' }) disposition!: string;
  @Field(() => ID, { nullable: true, description: 'The case this call was logged as' }) caseId!: string | null;

  static from(r: CallRecord): CallRecordType {
    const { id, uniqueId, callerNumber, callerName, extension, start, answer, end, duration, billsec, disposition, caseId } = r;
    return Object.assign(new CallRecordType(), { id, uniqueId, callerNumber, callerName, extension, start, answer, end, duration, billsec, disposition, caseId });
  }
}

@ObjectType('SkippedCallRecordLine')
export class SkippedCallRecordLineType {
  @Field(() => Int, { description: '1-based line number in the file' }) line!: number;
  @Field(() => String) reason!: string;
}

@ObjectType('CallRecordImport')
export class CallRecordImportType {
  @Field(() => Int, { description: 'Calls stored by this import' }) imported!: number;
  @Field(() => Int, { description: 'Calls that were imported before (a re-import adds nothing)' }) duplicates!: number;
  @Field(() => [SkippedCallRecordLineType], { description: 'Lines that are not call records (at most 200 listed)' }) skipped!: SkippedCallRecordLineType[];
  @Field(() => Int, { description: 'All skipped lines' }) skippedCount!: number;

  static from(r: CallRecordImport): CallRecordImportType {
    return Object.assign(new CallRecordImportType(), {
      imported: r.imported,
      duplicates: r.duplicates,
      skippedCount: r.skippedCount,
      skipped: r.skipped.map((s) => Object.assign(new SkippedCallRecordLineType(), s)),
    });
  }
}
