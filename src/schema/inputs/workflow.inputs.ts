import { Field, InputType } from 'type-graphql';
import { DeliveryMethod } from '../../domain/case/case-types';
import { DeliveryMethodEnum } from '../types/enums';
import { DateTimeScalar } from '../types/scalars';

@InputType('AnswerInput')
export class AnswerInput {
  @Field(() => String, { nullable: true, description: 'The answer (Jawaban Pengaduan / the data handed over); omit with fromDraft' })
  text?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Send the latest draft answer (draftAnswer) instead of a text' }) fromDraft?: boolean | null;
  @Field(() => DeliveryMethodEnum) deliveredVia!: DeliveryMethod;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was delivered; defaults to now' }) answeredAt?: Date | null;
}
