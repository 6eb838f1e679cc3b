import { csvCell, csvLine, UTF8_BOM } from '../../../src/adapters/http/csv';
import { caseCsvLine, wallTime } from '../../../src/adapters/http/report-routes';
import { CaseReportLine } from '../../../src/domain/reports/case-report.service';

describe('CSV cells', () => {
  it('leaves plain text alone and writes null as an empty cell', () => {
    expect(csvCell('Bantuan sosial')).toBe('Bantuan sosial');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(1.5)).toBe('1.5');
  });

  it('quotes a cell with a comma, quote, CR or LF and doubles its quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('kata "bantuan"')).toBe('"kata ""bantuan"""');
    expect(csvCell('baris 1\nbaris 2')).toBe('"baris 1\nbaris 2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it('neutralises a cell a spreadsheet would run as a formula with a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+62 812')).toBe("'+62 812");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('ends a line with CRLF; the BOM is U+FEFF', () => {
    expect(csvLine(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
    expect(Buffer.from(UTF8_BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe('a case as a CSV record', () => {
  const tz = 'Asia/Pontianak';
  const line: CaseReportLine = {
    id: '00000000-0000-0000-0000-000000000001',
    reference: 'PGD-2026-000001',
    kind: 'COMPLAINT',
    channel: 'PHONE',
    complaintClass: 'NORMATIVE',
    status: 'ANSWERED',
    team: null,
    subject: '=1+1, "darurat"',
    receivedAt: new Date('2026-12-07T09:00:00Z'),
    clockStartedAt: new Date('2026-12-07T09:00:00Z'),
    dueAt: new Date('2026-12-14T09:00:00Z'),
    answeredAt: new Date('2026-12-08T02:30:00Z'),
    pausedWorkingMinutes: 90,
    answeredOnTime: true,
    handlingHours: 1.5,
  };

  it('writes times on the office wall clock (WIB) and hours with two decimals', () => {
    expect(wallTime(new Date('2026-12-07T09:00:00Z'), tz)).toBe('2026-12-07 16:00');
    expect(caseCsvLine(line, tz)).toBe(
      `PGD-2026-000001,COMPLAINT,PHONE,NORMATIVE,ANSWERED,(belum ditugaskan),"'=1+1, ""darurat""",2026-12-07 16:00,2026-12-07 16:00,2026-12-14 16:00,2026-12-08 09:30,Ya,1.50,1.50\r\n`,
    );
  });

  it('leaves what is not known yet empty', () => {
    const open = { ...line, status: 'RECEIVED' as const, team: 'tim-1', subject: 'x', answeredAt: null, answeredOnTime: null, handlingHours: null, pausedWorkingMinutes: 0 };
    expect(caseCsvLine(open, tz)).toBe('PGD-2026-000001,COMPLAINT,PHONE,NORMATIVE,RECEIVED,tim-1,x,2026-12-07 16:00,2026-12-07 16:00,2026-12-14 16:00,,,,0.00\r\n');
  });
});
