import { Arg, Args, ArgsType, Ctx, Extensions, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { GraphQLContext, principalOf } from '../context';
import { CaseFilterInput, toCaseFilter } from '../inputs/case-filter.input';
import { CaseType, ChannelDetailType, RequesterType } from '../types/case.type';
import { CaseConnectionType, pageInfo, TimelineConnectionType } from '../types/connections';
import { TimelineEventType } from '../types/timeline-event.type';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../domain/case/case-query.service';
import { TOTAL_COUNT_CAP } from '../../domain/case/case-repository.port';
import { CaseOrderEnum } from '../types/enums';
import { CaseOrder } from '../../domain/case/case-repository.port';
import { carriesIdentity, timelineEventFor } from '../../domain/access/timeline-privacy';

@ArgsType()
class CasesArgs {
  @Field(() => CaseFilterInput, { nullable: true }) filter?: CaseFilterInput | null;
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: 'Page size, 0..100' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => CaseOrderEnum, { nullable: true, description: 'Default RECEIVED_AT; DUE_AT when filter.deadlineState is given' }) orderBy?: CaseOrder | null;
}

@Resolver(() => CaseType)
export class CaseQueryResolver {
  @Query(() => CaseType, { nullable: true, description: 'One case by id or by reference number (e.g. ADU-2026-000123)' })
  async case(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('reference', () => String, { nullable: true }) reference?: string | null,
  ): Promise<CaseType | null> {
    const p = principalOf(ctx);
    const found = await ctx.services.queries.find({ id, reference }, p);
    return found ? CaseType.from(found, ctx.services.clock.now(), p) : null;
  }

  @Extensions({ maxPageSize: MAX_PAGE_SIZE })
  @Query(() => CaseConnectionType, { description: 'Cases, newest received first (or nearest deadline first: orderBy DUE_AT)' })
  async cases(@Ctx() ctx: GraphQLContext, @Args(() => CasesArgs) args: CasesArgs): Promise<CaseConnectionType> {
    const p = principalOf(ctx);
    const page = await ctx.services.queries.list({ ...toCaseFilter(args.filter), order: args.orderBy ?? undefined }, args.first, args.after, p);
    const now = ctx.services.clock.now();
    const edges = page.edges.map((e) => ({ cursor: e.cursor, node: CaseType.from(e.node, now, p) }));
    return { edges, pageInfo: pageInfo(edges, page.hasNextPage, args.after), total: page.total };
  }

  @FieldResolver(() => RequesterType, {
    nullable: true,
    description: 'Null when anonymous, erased, or hidden from this caller (see identityHidden). Every view is audited.',
  })
  async requester(@Root() c: CaseType, @Ctx() ctx: GraphQLContext): Promise<RequesterType | null> {
    if (!c.requesterView) return null;
    await ctx.identityViews?.record(c.id);
    return c.requesterView;
  }

  @FieldResolver(() => [ChannelDetailType], { description: 'Channel facts such as callerNumber; empty when the identity is hidden. Audited like requester.' })
  async channelDetails(@Root() c: CaseType, @Ctx() ctx: GraphQLContext): Promise<ChannelDetailType[]> {
    if (c.channelDetailsView.length > 0) await ctx.identityViews?.record(c.id);
    return c.channelDetailsView;
  }

  @Extensions({ maxPageSize: MAX_PAGE_SIZE })
  @FieldResolver(() => TimelineConnectionType, { description: 'What happened to the case, oldest first; mail addresses only where the identity may be seen (audited like requester)' })
  async timeline(
    @Root() c: CaseType,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<TimelineConnectionType> {
    const page = await ctx.services.queries.timeline(c.id, first, after);
    // Mail addresses on the timeline are identity: hidden like the requester, audited when shown.
    const nodes = page.edges.map((e) => timelineEventFor(principalOf(ctx), c, e.node));
    if (nodes.some(carriesIdentity)) await ctx.identityViews?.record(c.id);
    const edges = page.edges.map((e, i) => ({ cursor: e.cursor, node: TimelineEventType.from(nodes[i]) }));
    return { edges, pageInfo: pageInfo(edges, page.hasNextPage, after), totalCount: page.totalCount };
  }
}

/**
 * The totals of a case list, counted only when a client selects them (one capped count per
 * request, shared by both fields).
 */
@Resolver(() => CaseConnectionType)
export class CaseConnectionResolver {
  @FieldResolver(() => Int, {
    description:
      'How many cases match the filter: exact up to ' + TOTAL_COUNT_CAP.toLocaleString('en') + '; when more match, it is ' +
      TOTAL_COUNT_CAP.toLocaleString('en') + ' and totalCountIsCapped is true. Counted only when selected.',
  })
  async totalCount(@Root() c: CaseConnectionType): Promise<number> {
    return (await c.total()).count;
  }

  @FieldResolver(() => Boolean, {
    description: 'True when more cases match than totalCount says (totalCount stopped at its cap, ' + TOTAL_COUNT_CAP.toLocaleString('en') + ')',
  })
  async totalCountIsCapped(@Root() c: CaseConnectionType): Promise<boolean> {
    return (await c.total()).capped;
  }
}
