import { Arg, Ctx, Extensions, Int, Mutation, Query, Resolver } from 'type-graphql';
import { DEFAULT_CHANGES_PAGE, MAX_CHANGES_PAGE } from '../../domain/sla/calendar-admin.service';
import { NonWorkingDayKind } from '../../domain/sla/working-calendar';
import { GraphQLContext, principalOf } from '../context';
import {
  CalendarAlarmType,
  CalendarChangePageType,
  CalendarChangeType,
  NonWorkingDayKindEnum,
  OfficeHoursSlotInput,
  WorkingCalendarType,
} from '../types/calendar.type';

const CHANGE = 'Changes move the deadline of every open case they affect (a DEADLINE_MOVED event on each) and are logged with who made them';

@Resolver()
export class CalendarResolver {
  @Query(() => WorkingCalendarType, { description: 'The working calendar used for deadlines' })
  async workingCalendar(@Ctx() ctx: GraphQLContext, @Arg('year', () => Int, { nullable: true }) year?: number | null): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.calendar(year));
  }

  @Query(() => CalendarAlarmType, { nullable: true, description: 'Set when a year without holiday data is already reached by deadlines (from 1 October for the next year)' })
  async calendarAlarm(@Ctx() ctx: GraphQLContext): Promise<CalendarAlarmType | null> {
    const alarm = await ctx.services.calendar.alarm();
    return alarm ? CalendarAlarmType.from(alarm) : null;
  }

  @Extensions({ maxPageSize: MAX_CHANGES_PAGE })
  @Query(() => CalendarChangePageType, { description: 'Who changed the working calendar, when and how; newest first' })
  async calendarChanges(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_CHANGES_PAGE }) first?: number | null,
    @Arg('before', () => String, { nullable: true }) before?: string | null,
  ): Promise<CalendarChangePageType> {
    const page = await ctx.services.calendar.changes(first ?? null, before ?? null);
    const entries = page.entries.map(CalendarChangeType.from);
    return { entries, hasNextPage: page.hasNextPage, endCursor: entries[entries.length - 1]?.id ?? null };
  }

  @Mutation(() => WorkingCalendarType, { description: `Adds or corrects a national holiday or cuti bersama day. ${CHANGE}` })
  async setNonWorkingDay(
    @Ctx() ctx: GraphQLContext,
    @Arg('date', () => String) date: string,
    @Arg('kind', () => NonWorkingDayKindEnum) kind: NonWorkingDayKind,
    @Arg('name', () => String) name: string,
  ): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.setNonWorkingDay({ date, kind, name }, principalOf(ctx)));
  }

  @Mutation(() => WorkingCalendarType, { description: CHANGE })
  async removeNonWorkingDay(@Ctx() ctx: GraphQLContext, @Arg('date', () => String) date: string): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.removeNonWorkingDay(date, principalOf(ctx)));
  }

  @Mutation(() => WorkingCalendarType, { description: `Marks a year's holiday list complete (or not). ${CHANGE}` })
  async setCalendarYearCovered(
    @Ctx() ctx: GraphQLContext,
    @Arg('year', () => Int) year: number,
    @Arg('covered', () => Boolean) covered: boolean,
  ): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.setYearCovered(year, covered, principalOf(ctx)));
  }

  @Mutation(() => WorkingCalendarType, { description: `Replaces the weekly office hours. ${CHANGE}` })
  async setOfficeHours(
    @Ctx() ctx: GraphQLContext,
    @Arg('slots', () => [OfficeHoursSlotInput]) slots: OfficeHoursSlotInput[],
  ): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.setOfficeHours(slots.map((s) => ({ ...s })), principalOf(ctx)));
  }
}
