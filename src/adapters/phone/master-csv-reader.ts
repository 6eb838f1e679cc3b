import { CsvError, Options, parse } from 'csv-parse/sync';
import { CdrReader, CdrRow } from '../../domain/phone/cdr-reader.port';

/**
 * cdr_csv doubles a quote inside a field; some writers escape it with a backslash instead.
 * csv-parse takes one escape character, so a line is read the cdr_csv way first.
 */
const DOUBLED: Options = { record_delimiter: '\n', escape: '"' };
const BACKSLASHED: Options = { record_delimiter: '\n', escape: '\\' };

/**
 * Reads Asterisk's Master.csv with csv-parse, one physical line at a time: cdr_csv writes one
 * call per line and never a newline inside a field, so a line cut off mid-quote (the PBX
 * stopped while writing) costs that line only instead of swallowing the lines after it, and
 * the line numbers stay the file's. A stray CR inside a line stays data, as it is no line end.
 */
export const masterCsvReader: CdrReader = {
  *read(text: string): Iterable<CdrRow> {
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    for (const [i, line] of lines.entries()) {
      const raw = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (!raw.trim()) continue;
      const fields = splitLine(raw);
      yield fields ? { line: i + 1, fields, raw } : { line: i + 1, error: 'broken quoting' };
    }
  },
};

function splitLine(line: string): string[] | null {
  return parseOne(line, DOUBLED) ?? parseOne(line, BACKSLASHED);
}

function parseOne(line: string, options: Options): string[] | null {
  try {
    const records = parse(line, options);
    return records.length === 1 ? records[0] : null;
  } catch (err) {
    // With these options csv-parse only refuses a line for its quoting.
    if (err instanceof CsvError) return null;
    throw err;
  }
}
