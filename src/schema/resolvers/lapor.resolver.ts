import { Arg, Ctx, Extensions, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { LaporService } from '../../domain/lapor/lapor.service';
import { GraphQLContext, principalOf } from '../context';
import { CaseType } from '../types/case.type';
import { LaporChannelStatusType, LaporFollowUpInput, LaporInfoType, LaporQuarantinedReportType, LogLaporReportInput } from '../types/lapor.types';

const lapor = (ctx: GraphQLContext): LaporService => {
  if (!ctx.services.lapor) throw new Error('the lapor module is not started');
  return ctx.services.lapor;
};

@Resolver(() => CaseType)
export class LaporResolver {
  @Mutation(() => CaseType, { description: 'Registers a SP4N-LAPOR! report by hand; a second registration (or the API pull) of the same tracking ID gives the same case' })
  async logLaporReport(@Ctx() ctx: GraphQLContext, @Arg('input', () => LogLaporReportInput) input: LogLaporReportInput): Promise<CaseType> {
    const p = principalOf(ctx);
    const r = await lapor(ctx).register(
      {
        trackingId: input.trackingId,
        receivedAt: input.receivedAt,
        dispositionedAt: input.dispositionedAt,
        subject: input.subject,
        description: input.description ?? null,
        rahasia: input.rahasia,
        anonim: input.anonim,
        reporter: input.reporter ?? null,
        attachmentFileIds: input.attachments ?? [],
      },
      p,
    );
    return CaseType.from(r.case, ctx.services.clock.now(), p);
  }

  @Mutation(() => CaseType, { description: 'Records a follow-up (tindak lanjut) posted by hand on the LAPOR! admin page' })
  async recordLaporFollowUp(@Ctx() ctx: GraphQLContext, @Arg('input', () => LaporFollowUpInput) input: LaporFollowUpInput): Promise<CaseType> {
    const p = principalOf(ctx);
    const c = await lapor(ctx).recordFollowUp({ ...input, attachmentFileIds: input.attachments ?? [] }, p);
    return CaseType.from(c, ctx.services.clock.now(), p);
  }

  @Mutation(() => CaseType, { description: 'Queues a follow-up to be posted through the LAPOR! API after commit (LAPOR_NOT_CONNECTED without the API)' })
  async postLaporFollowUp(@Ctx() ctx: GraphQLContext, @Arg('input', () => LaporFollowUpInput) input: LaporFollowUpInput): Promise<CaseType> {
    const p = principalOf(ctx);
    const c = await lapor(ctx).postFollowUp({ ...input, postedAt: null, attachmentFileIds: input.attachments ?? [] }, p);
    return CaseType.from(c, ctx.services.clock.now(), p);
  }

  @Query(() => LaporChannelStatusType, { description: 'State of the SP4N-LAPOR! channel (error state, last pull)' })
  async laporChannelStatus(@Ctx() ctx: GraphQLContext): Promise<LaporChannelStatusType> {
    return LaporChannelStatusType.from(await lapor(ctx).status());
  }

  @Extensions({ maxPageSize: 200 })
  @Query(() => [LaporQuarantinedReportType], { description: 'LAPOR! reports that could not be mapped to a case, oldest first' })
  async quarantinedLaporReports(@Ctx() ctx: GraphQLContext, @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number | null): Promise<LaporQuarantinedReportType[]> {
    return (await lapor(ctx).quarantined(first ?? 50)).map(LaporQuarantinedReportType.from);
  }

  @FieldResolver(() => LaporInfoType, { nullable: true, description: 'SP4N-LAPOR! tracking ID and follow-up clock; null for other channels' })
  async lapor(@Root() c: CaseType, @Ctx() ctx: GraphQLContext): Promise<LaporInfoType | null> {
    if (c.channel !== 'LAPOR' || !ctx.services.lapor) return null;
    const r = await ctx.services.lapor.caseInfo(c.id);
    return r ? LaporInfoType.from(r) : null;
  }
}
