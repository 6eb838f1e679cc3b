import { Ctx, Query, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { WhatsAppChannelStatusType } from '../types/whatsapp.types';

@Resolver()
export class WhatsAppResolver {
  @Query(() => WhatsAppChannelStatusType, { description: 'State of the WhatsApp channel (token errors, pending work)' })
  async whatsappChannelStatus(@Ctx() ctx: GraphQLContext): Promise<WhatsAppChannelStatusType> {
    return WhatsAppChannelStatusType.from(await ctx.services.whatsapp.status());
  }
}
