import { masterCsvReader } from '../../../src/adapters/phone/master-csv-reader';
import { CdrRow } from '../../../src/domain/phone/cdr-reader.port';
import { CDR, masterCsv } from '../../support/master-csv';

const read = (text: string): CdrRow[] => [...masterCsvReader.read(text)];
const fieldsOf = (line: string): string[] | string => {
  const [row] = read(line);
  return 'error' in row ? row.error : row.fields;
};

describe('masterCsvReader (Asterisk Master.csv with csv-parse)', () => {
  it('keeps commas inside quotes and undoes doubled quotes', () => {
    expect(fieldsOf('"a,b","""x, y"" <1>",3,""')).toEqual(['a,b', '"x, y" <1>', '3', '']);
  });

  it('accepts backslash-escaped quotes', () => {
    expect(fieldsOf('"\\"Budi, Pontianak\\" <081234567890>",1')).toEqual(['"Budi, Pontianak" <081234567890>', '1']);
  });

  it('refuses an unclosed quote or text after a closing quote', () => {
    expect(fieldsOf('"abc,1')).toBe('broken quoting');
    expect(fieldsOf('"abc"x,1')).toBe('broken quoting');
    expect(fieldsOf('ab"c,1')).toBe('broken quoting');
    expect(fieldsOf(CDR.truncated)).toBe('broken quoting');
  });

  it('reads a whole cdr_csv line into its 18 columns', () => {
    const fields = fieldsOf(CDR.answered);
    expect(fields).toHaveLength(18);
    expect(fields[4]).toBe('"Budi, Pontianak" <081234567890>');
    expect(fields[8]).toBe('SIP/126,30,tT');
    expect(fields[16]).toBe('1773627302.18');
  });

  it('numbers the lines of the file (1-based), skips blank lines, drops a BOM and CRLF line ends', () => {
    const text = `\uFEFF${CDR.answered}\r\n\r\n   \r\n${CDR.header}\r\n${CDR.noAnswer}`;
    const rows = read(text);
    expect(rows.map((r) => r.line)).toEqual([1, 4, 5]);
    expect(rows[0]).toEqual({ line: 1, fields: fieldsOf(CDR.answered), raw: CDR.answered });
    expect(rows[1]).toEqual({ line: 4, fields: ['date', 'caller', 'extension', 'duration'], raw: CDR.header });
    expect((rows[2] as { raw: string }).raw).toBe(CDR.noAnswer);
  });

  it('a line cut off inside a quote costs that line only: the next line is read as usual', () => {
    const rows = read(masterCsv(CDR.answered, CDR.truncated, CDR.failed, CDR.noAnswer));
    expect(rows.map((r) => ('error' in r ? [r.line, r.error] : [r.line, r.fields.length]))).toEqual([
      [1, 18],
      [2, 'broken quoting'],
      [3, 18],
      [4, 18],
    ]);
  });

  it('reads each line on its own: a quoted newline (never written by cdr_csv) breaks both lines', () => {
    expect(read('"a\nb",1\n"c",2\n')).toEqual([
      { line: 1, error: 'broken quoting' },
      { line: 2, error: 'broken quoting' },
      { line: 3, fields: ['c', '2'], raw: '"c",2' },
    ]);
  });

  it('keeps a carriage return inside a line as data, as it does not end the line', () => {
    expect(fieldsOf('a\rb,"c\rd"')).toEqual(['a\rb', 'c\rd']);
  });

  it('reads nothing from an empty file', () => {
    expect(read('')).toEqual([]);
    expect(read('\uFEFF\n\r\n')).toEqual([]);
  });
});
