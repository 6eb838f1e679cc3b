import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CalendarAlarm } from '../../domain/sla/calendar-alarm';
import { CalendarChangeRecord } from '../../domain/sla/calendar-change';
import { NonWorkingDayKind, WorkingCalendar } from '../../domain/sla/working-calendar';
import { DateTimeScalar, JSONObjectScalar } from './scalars';

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

@ObjectType('CalendarAlarm', { description: 'A year without holiday data while deadlines already reach into it' })
export class CalendarAlarmType {
  @Field(() => Int) missingYear!: number;
  @Field(() => DateTimeScalar, { description: '1 October of the year before (or 1 January of the missing year)' }) since!: Date;
  @Field(() => String) message!: string;

  static from(a: CalendarAlarm): CalendarAlarmType {
    return Object.assign(new CalendarAlarmType(), a);
  }
}

@ObjectType('CalendarChange', { description: 'One change of the working calendar: who, when, what, and the open deadlines it moved' })
export class CalendarChangeType {
  @Field(() => ID) id!: string;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => String, { description: 'Who made it: a user, an API client, or the migration that shipped a decree' }) actor!: string;
  @Field(() => String, { nullable: true }) actorRole!: string | null;
  @Field(() => JSONObjectScalar, { description: 'kind (NON_WORKING_DAY_SET, NON_WORKING_DAY_REMOVED, YEAR_COVERED, OFFICE_HOURS_SET, YEAR_IMPORTED) and its values' })
  change!: Record<string, unknown>;
  @Field(() => Int, { nullable: true, description: 'Open deadlines it moved; null while the recompute is still due' }) casesMoved!: number | null;

  static from(r: CalendarChangeRecord): CalendarChangeType {
    return Object.assign(new CalendarChangeType(), { ...r, actor: r.actor.id, change: { ...r.change } });
  }
}

@ObjectType('CalendarChangePage')
export class CalendarChangePageType {
  @Field(() => [CalendarChangeType]) entries!: CalendarChangeType[];
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as calendarChanges(before:) for older entries' }) endCursor!: string | null;
}
