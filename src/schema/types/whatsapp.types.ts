import { Field, Int, ObjectType } from 'type-graphql';
import { WhatsAppChannelStatus } from '../../domain/whatsapp/whatsapp-intake.service';
import { DateTimeScalar } from './scalars';

@ObjectType('WhatsAppChannelStatus', { description: 'The WhatsApp channel (WhatsApp Business Cloud API)' })
export class WhatsAppChannelStatusType {
  @Field(() => Boolean, { description: 'False when LOKET_WHATSAPP_PHONE_NUMBER_ID is not set' }) configured!: boolean;
  @Field(() => String, { description: 'OFF, OK or ERROR (e.g. the access token was revoked or expired)' }) state!: string;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastErrorAt!: Date | null;
  @Field(() => Int, { description: 'Webhook deliveries stored and not yet handled' }) pendingDeliveries!: number;
  @Field(() => Int, { description: 'Messages waiting in the outbox to be sent' }) pendingSends!: number;
  @Field(() => Int, { description: 'Media files waiting to be downloaded' }) pendingMedia!: number;

  static from(s: WhatsAppChannelStatus): WhatsAppChannelStatusType {
    return Object.assign(new WhatsAppChannelStatusType(), s);
  }
}
