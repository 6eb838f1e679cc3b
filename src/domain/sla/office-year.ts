const formats = new Map<string, Intl.DateTimeFormat>();

/** The calendar year of an instant as people in the office's time zone see it. */
export function officeYear(at: Date, timeZone: string): number {
  let f = formats.get(timeZone);
  if (!f) {
    // Building a formatter costs far more than using one; intake asks on every case.
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' });
    formats.set(timeZone, f);
  }
  return Number(f.format(at));
}
