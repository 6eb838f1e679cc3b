import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { maySeeCase } from '../../domain/access/access-policy';
import { CaseProps, SlaAlertType } from '../../domain/case/case';
import { PauseReason } from '../../domain/case/case-types';
import { TimelineEvent } from '../../domain/case/timeline-event';
import { GraphQLContext, principalOf } from '../context';
import { SlaAlertFilterInput } from '../inputs/case-filter.input';
import { CaseType } from '../types/case.type';
import { PauseReasonEnum } from '../types/enums';
import { SlaAlertObjectType, TimeRemainingType } from '../types/sla.types';

const SLA_TYPES: readonly string[] = ['SLA_WARNING', 'SLA_BREACHED'];

function matches(filter: SlaAlertFilterInput | null | undefined, type: SlaAlertType, c: CaseProps): boolean {
  if (!filter) return true;
  if (filter.type?.length && !filter.type.includes(type)) return false;
  if (filter.kind?.length && !filter.kind.includes(c.kind)) return false;
  if (filter.channel?.length && !filter.channel.includes(c.channel)) return false;
  if (filter.team?.length && (!c.assignee || !filter.team.includes(c.assignee))) return false;
  return true;
}

interface SlaAlertsArgs {
  filter?: SlaAlertFilterInput | null;
}

/** An alert as pushed: the event and the case it is about, as committed. */
interface AlertRoot {
  event: TimelineEvent;
  case: CaseProps;
}

/** Clock stops, the time left on a case, and live SLA alerts. */
@Resolver(() => CaseType)
export class CaseClockResolver {
  @Mutation(() => CaseType, { description: 'Stops the clock (status WAITING): no SLA warning or breach until resumeCase' })
  async pauseCase(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID) caseId: string,
    @Arg('reason', () => PauseReasonEnum) reason: PauseReason,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ): Promise<CaseType> {
    const p = principalOf(ctx);
    return CaseType.from(await ctx.services.caseClock.pause(caseId, reason, note ?? null, p), ctx.services.clock.now(), p);
  }

  @Mutation(() => CaseType, { description: 'Restarts the clock: the deadline moves by the working time paused; back to the status before the pause' })
  async resumeCase(@Ctx() ctx: GraphQLContext, @Arg('caseId', () => ID) caseId: string): Promise<CaseType> {
    const p = principalOf(ctx);
    return CaseType.from(await ctx.services.caseClock.resume(caseId, p), ctx.services.clock.now(), p);
  }

  @FieldResolver(() => TimeRemainingType, { description: 'Working time left until the deadline' })
  async timeRemaining(@Root() c: CaseType, @Ctx() ctx: GraphQLContext): Promise<TimeRemainingType> {
    return TimeRemainingType.from(await ctx.services.caseClock.timeRemaining(c));
  }

  @Subscription(() => SlaAlertObjectType, {
    description: 'SLA warnings and breaches, live, of the cases the caller may see (a handler: their team)',
    subscribe: ({ args, context }) => {
      const { filter } = args as SlaAlertsArgs;
      const ctx = context as GraphQLContext;
      const p = principalOf(ctx);
      return ctx.services.stream.liveEvents<AlertRoot>((e, c) =>
        SLA_TYPES.includes(e.type) && maySeeCase(p, c) && matches(filter, e.type as SlaAlertType, c) ? { event: e, case: c } : null,
      );
    },
  })
  slaAlerts(
    @Root() root: AlertRoot,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => SlaAlertFilterInput, { nullable: true }) _filter?: SlaAlertFilterInput | null,
  ): SlaAlertObjectType {
    const after = root.event.after ?? {};
    return Object.assign(new SlaAlertObjectType(), {
      id: root.event.id ?? '',
      type: root.event.type as SlaAlertType,
      at: root.event.at,
      dueAt: new Date(String(after.dueAt)),
      workingMinutesLeft: Number(after.workingMinutesLeft ?? 0),
      case: CaseType.from(root.case, ctx.services.clock.now(), principalOf(ctx)),
    });
  }
}
