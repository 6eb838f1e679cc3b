import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CaseKind, CaseStatus, Channel, ComplaintClass } from '../../domain/case/case-types';
import { CaseStatistics, CaseStatisticsGroup } from '../../domain/reports/case-report.service';
import { REPORT_DIMENSIONS, ReportDimension } from '../../domain/reports/report-filter';
import { CaseKindEnum, CaseStatusEnum, ChannelEnum, ComplaintClassEnum } from './enums';
import { DateTimeScalar } from './scalars';

export const ReportDimensionEnum = Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, d])) as Record<ReportDimension, ReportDimension>;
registerEnumType(ReportDimensionEnum, {
  name: 'ReportDimension',
  description: 'What caseStatistics groups by: TEAM is the assigned team (null: not assigned); MONTH the month of receipt in the office time zone (Asia/Pontianak), "2026-11"',
});

@InputType('CaseReportFilter', { description: 'Narrows a report (and GET /reports/cases.csv) beyond its receipt range; each list: any of these' })
export class CaseReportFilterInput {
  @Field(() => [CaseKindEnum], { nullable: true }) kind?: CaseKind[] | null;
  @Field(() => [ChannelEnum], { nullable: true }) channel?: Channel[] | null;
  @Field(() => [CaseStatusEnum], { nullable: true }) status?: CaseStatus[] | null;
  @Field(() => [ComplaintClassEnum], { nullable: true }) complaintClass?: ComplaintClass[] | null;
  @Field(() => [String], { nullable: true, description: 'Codes of the assigned teams' }) team?: string[] | null;
}

@ObjectType('CaseStatisticsKey', { description: 'The group: each dimension grouped by has its value; the others are null' })
export class CaseStatisticsKeyType {
  @Field(() => ChannelEnum, { nullable: true }) channel!: Channel | null;
  @Field(() => CaseKindEnum, { nullable: true }) kind!: CaseKind | null;
  @Field(() => ComplaintClassEnum, { nullable: true, description: 'Null for information requests' }) complaintClass!: ComplaintClass | null;
  @Field(() => CaseStatusEnum, { nullable: true, description: 'Status now' }) status!: CaseStatus | null;
  @Field(() => String, { nullable: true, description: 'Team code; null for cases not assigned ("belum ditugaskan") when grouped by TEAM' }) team!: string | null;
  @Field(() => String, { nullable: true, description: 'Month of receipt, office time zone, "2026-11"' }) month!: string | null;
}

@ObjectType('CaseStatisticsGroup')
export class CaseStatisticsGroupType {
  @Field(() => CaseStatisticsKeyType) key!: CaseStatisticsKeyType;
  @Field(() => Int, { description: 'Cases received in [from, to) (merged and rejected ones included)' }) received!: number;
  @Field(() => Int, { description: 'Of those, answered: status ANSWERED or CLOSED with an answer' }) answered!: number;
  @Field(() => Int, { description: 'Of the answered, answered at or before the deadline in force when answered' }) answeredOnTime!: number;
  @Field(() => Int, { description: 'Of those received, open now: INCOMPLETE, RECEIVED, IN_PROGRESS or WAITING' }) openNow!: number;
  @Field(() => Int, { description: 'Of the open, past their deadline now (a paused case has no running deadline)' }) overdueNow!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Median handling time in working hours (office calendar) over the answered cases: from clock start to the answer, less the paused working time; interpolated like a spreadsheet MEDIAN; rounded to 0.01 h; null without answered cases',
  })
  medianHandlingHours!: number | null;
  @Field(() => Float, { nullable: true, description: '90th percentile of the same handling times (PERCENTILE.INC)' }) p90HandlingHours!: number | null;
  @Field(() => Float, { description: 'Working hours the clocks of these cases stood still, pauses ended so far (paused_working_minutes)' }) pausedHours!: number;

  static from(g: CaseStatisticsGroup): CaseStatisticsGroupType {
    const key = Object.assign(new CaseStatisticsKeyType(), { channel: null, kind: null, complaintClass: null, status: null, team: null, month: null, ...g.key });
    return Object.assign(new CaseStatisticsGroupType(), { ...g, key });
  }
}

@ObjectType('CaseStatistics', { description: 'How the service standard\'s promises were kept for the cases received in [from, to)' })
export class CaseStatisticsType {
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
  @Field(() => DateTimeScalar, { description: 'The "now" of openNow and overdueNow' }) generatedAt!: Date;
  @Field(() => [ReportDimensionEnum]) groupBy!: ReportDimension[];
  @Field(() => [CaseStatisticsGroupType], { description: 'One per combination of the grouped values that has cases, ordered by them' }) groups!: CaseStatisticsGroupType[];
  @Field(() => CaseStatisticsGroupType, { description: 'All cases of the report (the key all null)' }) total!: CaseStatisticsGroupType;

  static from(s: CaseStatistics): CaseStatisticsType {
    return Object.assign(new CaseStatisticsType(), { ...s, groups: s.groups.map(CaseStatisticsGroupType.from), total: CaseStatisticsGroupType.from(s.total) });
  }
}
