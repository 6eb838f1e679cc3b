import { Ctx, Query, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { ScheduledJobType } from '../types/scheduled-job.types';

@Resolver()
export class SchedulerResolver {
  @Query(() => [ScheduledJobType], { description: 'The periodic jobs: schedule, last run and outcome, who runs them now' })
  async scheduledJobs(@Ctx() ctx: GraphQLContext): Promise<ScheduledJobType[]> {
    return (await ctx.services.scheduledJobs.statuses()).map(ScheduledJobType.from);
  }
}
