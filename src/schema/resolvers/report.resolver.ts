import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { ReportDimension } from '../../domain/reports/report-filter';
import { GraphQLContext, principalOf } from '../context';
import { CaseReportFilterInput, CaseStatisticsType, ReportDimensionEnum } from '../types/report.types';
import { DateTimeScalar } from '../types/scalars';
import { toReportFilter } from '../inputs/report-filter.input';

@Resolver()
export class ReportResolver {
  @Query(() => CaseStatisticsType, {
    description:
      'Supervisors and admins: received, answered, answered on time, open and overdue now, median and 90th percentile handling time in working hours and paused time, for the cases received in [from, to) (at most five years), grouped by any combination of dimensions. GET /reports/cases.csv gives the cases themselves.',
  })
  async caseStatistics(
    @Ctx() ctx: GraphQLContext,
    @Arg('from', () => DateTimeScalar, { description: 'receivedAt >= from' }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: 'receivedAt < to' }) to: Date,
    @Arg('groupBy', () => [ReportDimensionEnum], { nullable: true, defaultValue: [] }) groupBy?: ReportDimension[] | null,
    @Arg('filter', () => CaseReportFilterInput, { nullable: true }) filter?: CaseReportFilterInput | null,
  ): Promise<CaseStatisticsType> {
    return CaseStatisticsType.from(await ctx.services.reports.statistics(principalOf(ctx), toReportFilter(from, to, filter), groupBy ?? []));
  }
}
