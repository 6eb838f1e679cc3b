/** The computation used a year whose holiday list is not known to be complete. */
export interface CalendarWarning {
  code: 'CALENDAR_YEAR_MISSING';
  year: number;
}

/** A due instant plus what the caller should know about how trustworthy it is. */
export interface DeadlineResult {
  /** UTC instant. */
  dueAt: Date;
  /** One entry per uncovered year consulted, ascending by year; empty when fully covered. */
  warnings: CalendarWarning[];
}
