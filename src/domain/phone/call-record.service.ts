import { Principal } from '../access/roles';
import { FileAccessService } from '../files/file-access.service';
import { FileStore } from '../files/file-store.port';
import { Clock } from '../shared/clock.port';
import { ValidationError } from '../shared/domain-error';
import { IdGenerator } from '../shared/id-generator.port';
import { CallRecord, FOLLOW_UP_DISPOSITIONS, PhoneSettings } from './call-record';
import { CallRecordRepository } from './call-record-repository.port';
import { CdrReader } from './cdr-reader.port';
import { parseCdrRecord } from './cdr-record';

export interface SkippedLine {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface CallRecordImport {
  imported: number;
  duplicates: number;
  /** The first MAX_SKIPPED_DETAILS skipped lines; `skippedCount` counts them all. */
  skipped: SkippedLine[];
  skippedCount: number;
}

const BATCH = 500;
const MAX_SKIPPED_DETAILS = 200;
const MAX_WINDOW_MS = 366 * 24 * 3_600_000;
const MAX_UNLOGGED = 1000;
/** What a CSV may be labelled as; a scan or a PDF is refused before it is read. */
const CSV_TYPES = /^(text\/[\w.+-]+|application\/(csv|vnd\.ms-excel|octet-stream))(\s*;.*)?$/i;

/** Imports the PBX's call log (Asterisk Master.csv) and lists complaint-line calls nobody logged. */
export class CallRecordService {
  constructor(
    private readonly records: CallRecordRepository,
    private readonly files: FileStore,
    private readonly reader: CdrReader,
    private readonly fileAccess: FileAccessService,
    private readonly settings: PhoneSettings,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Imports an uploaded Master.csv from the file store; `p` must be allowed to read the file. */
  async importFile(fileId: string, p: Principal): Promise<CallRecordImport> {
    const id = fileId.trim();
    const problems = /^[0-9a-f]{64}$/.test(id) ? await this.fileAccess.checkAttachable(p, 'Mutation.importCallRecords', [{ fileId: id, field: 'fileId' }]) : null;
    const described = problems?.length === 0 ? await this.files.describe(id) : null;
    const content = described ? await this.files.get(id) : null;
    if (!described || !content) throw ValidationError.single('fileId', 'is not a stored file');
    if (!CSV_TYPES.test(described.contentType)) throw ValidationError.single('fileId', 'is not a CSV file (text/csv)');
    const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
    if (text.includes('\u0000')) throw ValidationError.single('fileId', 'is not a text file');
    return this.importCsv(text);
  }

  /** Bad lines are skipped with a reason; a line already imported (same file again) is a duplicate. */
  async importCsv(text: string): Promise<CallRecordImport> {
    const now = this.clock.now();
    const skipped: SkippedLine[] = [];
    let skippedCount = 0;
    let valid = 0;
    let imported = 0;
    let batch: CallRecord[] = [];
    for (const row of this.reader.read(text)) {
      const r = 'error' in row ? { ok: false as const, reason: row.error } : parseCdrRecord(row.fields, row.raw, this.settings.pbxTimeZone);
      if (!r.ok) {
        skippedCount++;
        if (skipped.length < MAX_SKIPPED_DETAILS) skipped.push({ line: row.line, reason: r.reason });
        continue;
      }
      valid++;
      batch.push({ ...r.call, id: this.ids.newId(), caseId: null, importedAt: now });
      if (batch.length >= BATCH) {
        imported += await this.records.insertNew(batch);
        batch = [];
      }
    }
    if (batch.length) imported += await this.records.insertNew(batch);
    return { imported, duplicates: valid - imported, skipped, skippedCount };
  }

  /** Answered or missed calls to the complaint line in [from, to) that no case refers to. */
  async unloggedCalls(from: Date, to: Date): Promise<CallRecord[]> {
    if (Number.isNaN(from.getTime())) throw ValidationError.single('from', 'is not a valid time');
    if (Number.isNaN(to.getTime())) throw ValidationError.single('to', 'is not a valid time');
    if (to.getTime() <= from.getTime()) throw ValidationError.single('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw ValidationError.single('to', 'window must be at most one year');
    return this.records.unlinked(this.settings.complaintExtension, FOLLOW_UP_DISPOSITIONS, from, to, MAX_UNLOGGED);
  }
}
