import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { BoxOpening, Visit } from '../../domain/desk/desk-records.port';
import { RequesterInput } from '../inputs/intake.inputs';
import { DateTimeScalar } from './scalars';

@InputType('ComplaintBoxOpeningEntryInput')
export class ComplaintBoxOpeningEntryInput {
  @Field(() => String, { description: "The clerk's transcription: what the letter is about" }) subject!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Scans of the letter (ids from POST /files)' }) scanFileIds?: string[] | null;
  @Field(() => RequesterInput, { nullable: true, description: 'Leave out for an anonymous complaint' }) requester?: RequesterInput | null;
  @Field(() => Boolean, { nullable: true, description: 'Hide the identity; defaults to true' }) confidential?: boolean | null;
}

@InputType('ComplaintBoxOpeningInput')
export class ComplaintBoxOpeningInput {
  @Field(() => DateTimeScalar, { description: 'When the box was opened: the receivedAt of every entry' }) openedAt!: Date;
  @Field(() => String) openedBy!: string;
  @Field(() => [String], { nullable: true }) witnesses?: string[] | null;
  @Field(() => [ComplaintBoxOpeningEntryInput], { description: 'Stored together or not at all' }) entries!: ComplaintBoxOpeningEntryInput[];
  @Field(() => String, { nullable: true, description: 'The same key again returns the same opening and creates nothing' })
  idempotencyKey?: string | null;
}

@ObjectType('BoxOpeningCase')
export class BoxOpeningCaseType {
  @Field(() => ID) id!: string;
  @Field(() => String) reference!: string;
}

@ObjectType('BoxOpening', { description: 'A complaint-box (Kotak Pengaduan) opening and the cases of its entries' })
export class BoxOpeningType {
  @Field(() => ID) id!: string;
  @Field(() => DateTimeScalar) openedAt!: Date;
  @Field(() => String) openedBy!: string;
  @Field(() => [String]) witnesses!: string[];
  @Field(() => [BoxOpeningCaseType], { description: 'In entry order' }) cases!: BoxOpeningCaseType[];

  static from(o: BoxOpening): BoxOpeningType {
    return Object.assign(new BoxOpeningType(), {
      id: o.id,
      openedAt: o.openedAt,
      openedBy: o.openedBy,
      witnesses: o.witnesses,
      cases: o.cases.map((c) => Object.assign(new BoxOpeningCaseType(), c)),
    });
  }
}

@InputType('VisitInput')
export class VisitInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) institution?: string | null;
  @Field(() => String) purpose!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Time in; defaults to now' }) visitedAt?: Date | null;
  @Field(() => ID, { nullable: true, description: 'The case this visit led to, if any' }) caseId?: string | null;
}

@ObjectType('Visit', { description: 'A guest-book (buku tamu) entry' })
export class VisitType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) institution!: string | null;
  @Field(() => String) purpose!: string;
  @Field(() => DateTimeScalar) visitedAt!: Date;
  @Field(() => ID, { nullable: true }) caseId!: string | null;
  @Field(() => String, { nullable: true }) caseReference!: string | null;
  @Field(() => String, { description: 'Who recorded it (user or token id)' }) recordedBy!: string;

  static from(v: Visit): VisitType {
    return Object.assign(new VisitType(), v);
  }
}
