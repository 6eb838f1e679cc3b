/** One line of the PBX call log as the reader found it: its fields, or why they could not be read. */
export type CdrRow = { line: number; fields: string[]; raw: string } | { line: number; error: string };

/**
 * Splits a call log (Asterisk Master.csv) into rows. `line` is the 1-based line in the file;
 * `raw` is the line as written, without its line ending (what a call without a uniqueid is
 * keyed by). Blank lines yield nothing; a line that cannot be read yields an error and the
 * next line is read as usual.
 */
export interface CdrReader {
  read(text: string): Iterable<CdrRow>;
}
