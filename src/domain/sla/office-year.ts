/** The calendar year of an instant as people in the office's time zone see it. */
export function officeYear(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(at));
}
