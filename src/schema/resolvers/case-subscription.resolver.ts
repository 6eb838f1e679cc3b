import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { CaseProps } from '../../domain/case/case';
import { TimelineEvent } from '../../domain/case/timeline-event';
import { GraphQLContext } from '../context';
import { decodeEventCursor } from '../event-cursor';
import { CaseStreamFilterInput } from '../inputs/case-filter.input';
import { CaseType } from '../types/case.type';
import { TimelineEventType } from '../types/timeline-event.type';

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
      return (context as GraphQLContext).services.stream.caseCreated((c) => matches(filter, c));
    },
  })
  caseCreated(
    @Root() c: CaseProps,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => CaseStreamFilterInput, { nullable: true }) _filter?: CaseStreamFilterInput | null,
  ): CaseType {
    return CaseType.from(c, ctx.services.clock.now());
  }

  @Subscription(() => TimelineEventType, {
    description: 'Timeline events of one case (or all cases), live; with `after`, missed events are replayed first',
    subscribe: async ({ args, context }) => {
      const { caseId, after } = args as CaseEventsArgs;
      const ctx = context as GraphQLContext;
      const afterId = after ? decodeEventCursor(after) : null;
      if (caseId) await ctx.services.queries.requireExists(caseId);
      return ctx.services.stream.caseEvents(caseId ?? null, afterId);
    },
  })
  caseEvents(
    @Root() e: TimelineEvent,
    @Arg('caseId', () => ID, { nullable: true }) _caseId?: string | null,
    @Arg('after', () => String, { nullable: true }) _after?: string | null,
  ): TimelineEventType {
    return TimelineEventType.from(e);
  }
}
