import { DomainError } from '../shared/domain-error';

/** A working calendar that cannot be used for deadline math (bad data from an administrator). */
export class CalendarInvalidError extends DomainError {
  readonly code = 'CALENDAR_INVALID' as const;
}
