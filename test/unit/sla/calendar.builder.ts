import { defaultCalendar } from '../../../src/domain/sla/default-calendar';
import type { WorkingCalendar } from '../../../src/domain/sla/working-calendar';

/** The shipped office calendar with overrides. */
export function buildCalendar(overrides: Partial<WorkingCalendar> = {}): WorkingCalendar {
  return { ...defaultCalendar(), ...overrides };
}

/** WIB wall time (UTC+7) as an instant: wib('2026-03-17T10:00'). */
export function wib(local: string): Date {
  return new Date(`${local}:00+07:00`);
}
