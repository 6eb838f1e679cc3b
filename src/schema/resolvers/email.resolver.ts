import { Arg, Ctx, Extensions, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { MAX_QUARANTINE_PAGE_SIZE } from '../../domain/intake/email-channel-admin.port';
import { GraphQLContext } from '../context';
import { EmailInboxStatusType, EmailReprocessResultType, InboundEmailType } from '../types/email.types';

@Resolver()
export class EmailResolver {
  @Query(() => EmailInboxStatusType, { description: 'State of the email intake (IMAP connection, counts)' })
  emailInboxStatus(@Ctx() ctx: GraphQLContext): EmailInboxStatusType {
    return EmailInboxStatusType.from(ctx.services.email.status());
  }

  @Extensions({ maxPageSize: MAX_QUARANTINE_PAGE_SIZE })
  @Query(() => [InboundEmailType], { description: 'Messages that could not be parsed or stored, oldest first' })
  async quarantinedEmails(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number | null,
    @Arg('after', () => ID, { nullable: true }) after?: string | null,
  ): Promise<InboundEmailType[]> {
    return (await ctx.services.email.quarantined(first ?? 50, after ?? null)).map(InboundEmailType.from);
  }

  @Mutation(() => EmailReprocessResultType, { description: 'Runs a quarantined message through the intake again' })
  async reprocessQuarantinedEmail(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<EmailReprocessResultType> {
    return ctx.services.email.reprocess(id);
  }

  @Mutation(() => InboundEmailType, { description: 'Sets a quarantined message aside for good' })
  async discardQuarantinedEmail(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<InboundEmailType> {
    return InboundEmailType.from(await ctx.services.email.discard(id, reason));
  }
}
