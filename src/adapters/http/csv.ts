/** Characters that make a spreadsheet read a cell as a formula (or a DDE call). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma, CR or LF, quotes doubled. A
 * cell a spreadsheet would run as a formula (starting with = + - @, tab or CR) is neutralised
 * with a leading apostrophe first (OWASP "CSV injection"); null is an empty cell.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record, CRLF-terminated as RFC 4180 and spreadsheet programs expect. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The UTF-8 byte order mark: spreadsheet programs then read the file as UTF-8, not the local code page. */
export const UTF8_BOM = '\uFEFF';
