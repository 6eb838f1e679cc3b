import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { NonWorkingDayKind } from '../../domain/sla/working-calendar';
import { GraphQLContext } from '../context';
import { NonWorkingDayKindEnum, OfficeHoursSlotInput, WorkingCalendarType } from '../types/calendar.type';

@Resolver()
export class CalendarResolver {
  @Query(() => WorkingCalendarType, { description: 'The working calendar used for deadlines' })
  async workingCalendar(@Ctx() ctx: GraphQLContext, @Arg('year', () => Int, { nullable: true }) year?: number | null): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.calendar(year));
  }

  @Mutation(() => WorkingCalendarType, { description: 'Adds or corrects a national holiday or cuti bersama day' })
  async setNonWorkingDay(
    @Ctx() ctx: GraphQLContext,
    @Arg('date', () => String) date: string,
    @Arg('kind', () => NonWorkingDayKindEnum) kind: NonWorkingDayKind,
    @Arg('name', () => String) name: string,
  ): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.setNonWorkingDay({ date, kind, name }));
  }

  @Mutation(() => WorkingCalendarType)
  async removeNonWorkingDay(@Ctx() ctx: GraphQLContext, @Arg('date', () => String) date: string): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.removeNonWorkingDay(date));
  }

  @Mutation(() => WorkingCalendarType, { description: "Marks a year's holiday list complete (or not)" })
  async setCalendarYearCovered(
    @Ctx() ctx: GraphQLContext,
    @Arg('year', () => Int) year: number,
    @Arg('covered', () => Boolean) covered: boolean,
  ): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.setYearCovered(year, covered));
  }

  @Mutation(() => WorkingCalendarType, { description: 'Replaces the weekly office hours' })
  async setOfficeHours(
    @Ctx() ctx: GraphQLContext,
    @Arg('slots', () => [OfficeHoursSlotInput]) slots: OfficeHoursSlotInput[],
  ): Promise<WorkingCalendarType> {
    return WorkingCalendarType.from(await ctx.services.calendar.setOfficeHours(slots.map((s) => ({ ...s }))));
  }
}
