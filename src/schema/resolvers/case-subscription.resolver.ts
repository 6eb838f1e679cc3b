import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { CaseProps } from '../../domain/case/case';
import { TimelineEvent } from '../../domain/case/timeline-event';
import { maySeeCase } from '../../domain/access/access-policy';
import { GraphQLContext, principalOf } from '../context';
import { decodeEventCursor } from '../event-cursor';
import { CaseStreamFilterInput } from '../inputs/case-filter.input';
import { CaseType } from '../types/case.type';
import { TimelineEventType } from '../types/timeline-event.type';
import { carriesIdentity, timelineEventFor } from '../../domain/access/timeline-privacy';

interface CaseCreatedArgs {
  filter?: CaseStreamFilterInput | null;
}
interface CaseEventsArgs {
  caseId?: string | null;
  after?: string | null;
}

function matches(filter: CaseStreamFilterInput | null | undefined, c: CaseProps): boolean {
  if (!filter) return true;
  if (filter.kind?.length && !filter.kind.includes(c.kind)) return false;
  if (filter.channel?.length && !filter.channel.includes(c.channel)) return false;
  if (filter.complaintClass?.length && (!c.complaintClass || !filter.complaintClass.includes(c.complaintClass))) return false;
  return true;
}

@Resolver()
export class CaseSubscriptionResolver {
  @Subscription(() => CaseType, {
    description: 'Every new case that matches the filter, on whichever server instance it was logged',
    subscribe: ({ args, context }) => {
      const { filter } = args as CaseCreatedArgs;
      const ctx = context as GraphQLContext;
      const p = principalOf(ctx);
      return ctx.services.stream.caseCreated((c) => maySeeCase(p, c) && matches(filter, c));
    },
  })
  caseCreated(
    @Root() c: CaseProps,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => CaseStreamFilterInput, { nullable: true }) _filter?: CaseStreamFilterInput | null,
  ): CaseType {
    return CaseType.from(c, ctx.services.clock.now(), principalOf(ctx));
  }

  @Subscription(() => TimelineEventType, {
    description: 'Timeline events of one case (or all cases), live; with `after`, missed events are replayed first',
    subscribe: async ({ args, context }) => {
      const { caseId, after } = args as CaseEventsArgs;
      const ctx = context as GraphQLContext;
      const afterId = after ? decodeEventCursor(after) : null;
      const p = principalOf(ctx);
      if (caseId) await ctx.services.queries.require(caseId, p);
      // A handler hears only the cases of their team, as they are when each event happens;
      // mail addresses only where the identity may be seen.
      return ctx.services.stream.caseEvents(caseId ?? null, afterId, (e, c) => (maySeeCase(p, c) ? timelineEventFor(p, c, e) : null));
    },
  })
  async caseEvents(
    @Root() e: TimelineEvent,
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID, { nullable: true }) _caseId?: string | null,
    @Arg('after', () => String, { nullable: true }) _after?: string | null,
  ): Promise<TimelineEventType> {
    // An address left in the event was allowed to this subscriber: audited like the requester.
    if (carriesIdentity(e)) await ctx.identityViews?.record(e.caseId);
    return TimelineEventType.from(e);
  }
}
