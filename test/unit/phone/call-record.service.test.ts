import { masterCsvReader } from '../../../src/adapters/phone/master-csv-reader';
import { FileStore } from '../../../src/domain/files/file-store.port';
import { CallRecord, DEFAULT_PHONE_SETTINGS } from '../../../src/domain/phone/call-record';
import { CallRecordRepository } from '../../../src/domain/phone/call-record-repository.port';
import { FileAccessService } from '../../../src/domain/files/file-access.service';
import { CallRecordService } from '../../../src/domain/phone/call-record.service';
import { CDR } from '../../support/master-csv';

/** Keeps what insertNew is given, once per dedupe key (as the unique index does). */
class MemoryCallRecords implements CallRecordRepository {
  readonly byKey = new Map<string, CallRecord>();
  async insertNew(records: CallRecord[]): Promise<number> {
    let n = 0;
    for (const r of records) {
      if (this.byKey.has(r.dedupeKey)) continue;
      this.byKey.set(r.dedupeKey, r);
      n++;
    }
    return n;
  }
  async findById(): Promise<CallRecord | null> {
    return null;
  }
  async unlinked(): Promise<CallRecord[]> {
    return [];
  }
  async linkToCase(): Promise<boolean> {
    return false;
  }
}

function service(records: CallRecordRepository): CallRecordService {
  let n = 0;
  return new CallRecordService(
    records,
    {} as FileStore, // importCsv reads no stored file
    masterCsvReader,
    {} as FileAccessService, // importCsv checks no file access
    DEFAULT_PHONE_SETTINGS,
    { now: () => new Date('2026-03-17T03:00:00Z') },
    { newId: () => `id-${++n}` },
  );
}

describe('CallRecordService.importCsv with the Master.csv reader', () => {
  it('skips bad lines with their line in the file (BOM, CRLF, blank lines), reads on after a cut-off line, dedupes a second import', async () => {
    const text = `\uFEFF${[CDR.answered, '', CDR.header, CDR.truncated, CDR.busyNoUniqueId, '  ', CDR.badStart, CDR.noAnswer].join('\r\n')}\r\n`;
    const records = new MemoryCallRecords();
    const first = await service(records).importCsv(text);
    expect(first).toEqual({
      imported: 3,
      duplicates: 0,
      skippedCount: 3,
      skipped: [
        { line: 3, reason: 'expected 16 to 18 columns, found 4' },
        { line: 4, reason: 'broken quoting' },
        { line: 7, reason: 'start is not a time (YYYY-MM-DD HH:MM:SS)' },
      ],
    });
    expect([...records.byKey.values()].map((r) => r.disposition)).toEqual(['ANSWERED', 'BUSY', 'NO ANSWER']);
    // The same lines with LF ends and no BOM are the same calls (the hash of a line ignores its end).
    const again = await service(records).importCsv(`${[CDR.answered, CDR.busyNoUniqueId, CDR.noAnswer].join('\n')}\n`);
    expect(again).toMatchObject({ imported: 0, duplicates: 3, skippedCount: 0 });
  });
});
