import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NonWorkingDayKind, WorkingCalendar } from '../../domain/sla/working-calendar';

export const NonWorkingDayKindEnum = { NATIONAL_HOLIDAY: 'NATIONAL_HOLIDAY', CUTI_BERSAMA: 'CUTI_BERSAMA' } as const;
registerEnumType(NonWorkingDayKindEnum, { name: 'NonWorkingDayKind', description: 'Libur nasional or cuti bersama (SKB 3 Menteri)' });

@ObjectType('OfficeHoursSlot')
export class OfficeHoursSlotType {
  @Field(() => Int, { description: 'ISO weekday, 1 = Monday .. 7 = Sunday' }) weekday!: number;
  @Field(() => String, { description: 'HH:MM, office time zone' }) start!: string;
  @Field(() => String) end!: string;
}

@InputType('OfficeHoursSlotInput')
export class OfficeHoursSlotInput {
  @Field(() => Int) weekday!: number;
  @Field(() => String) start!: string;
  @Field(() => String) end!: string;
}

@ObjectType('NonWorkingDay')
export class NonWorkingDayType {
  @Field(() => String, { description: 'YYYY-MM-DD' }) date!: string;
  @Field(() => NonWorkingDayKindEnum) kind!: NonWorkingDayKind;
  @Field(() => String) name!: string;
}

@ObjectType('WorkingCalendar')
export class WorkingCalendarType {
  @Field(() => String) timeZone!: string;
  @Field(() => [OfficeHoursSlotType]) officeHours!: OfficeHoursSlotType[];
  @Field(() => [NonWorkingDayType]) nonWorkingDays!: NonWorkingDayType[];
  @Field(() => [Int], { description: 'Years whose holiday list is complete; deadlines in other years carry a warning' })
  coveredYears!: number[];

  static from(c: WorkingCalendar): WorkingCalendarType {
    return Object.assign(new WorkingCalendarType(), c);
  }
}
