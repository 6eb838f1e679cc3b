import { AuditLog } from '../access/access-repository.port';
import { mayCall, maySeeCase, maySeeIdentity, mayUploadFiles } from '../access/access-policy';
import { Principal } from '../access/roles';
import { CaseProps } from '../case/case';
import { CaseRepository } from '../case/case-repository.port';
import { Clock } from '../shared/clock.port';
import { FieldProblem, ForbiddenError } from '../shared/domain-error';
import { FileReferences } from './file-references.port';
import { FileStore, StoredFile } from './file-store.port';

/** A download `p` may make: the file, and the cases through which it may (for the audit log). */
export interface FileGrant {
  file: StoredFile;
  caseIds: string[];
}

/** A file id given to a mutation, and the input field it came in (for error messages). */
export interface FileToAttach {
  fileId: string;
  field: string;
}

/** Roles that see every case and every requester's identity (access-policy: maySeeCase, maySeeIdentity). */
const SEES_EVERY_IDENTITY = new Set(['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN']);
const DROP_LISTING = { SCAN: 'Query.unregisteredScans', FAX: 'Query.unregisteredFaxes' } as const;

/**
 * The one rule for stored files (scans, letters, email attachments, raw messages), for reading
 * (GET /files/{id}) and for attaching (every mutation that takes a file id):
 *
 * - a file on cases (attached to them, or the raw message they came from) is for those who may
 *   see one of those cases together with its requester's identity: scans and attachments often
 *   show the person (a KTP among the requirements, a complainant's letter), and a confidential
 *   complaint hides that from clerks and handlers. A file on cases none of which `p` may see
 *   this way is refused, whoever uploaded it.
 * - a file on no case is for its uploader, and a scan or fax still waiting in its drop folder
 *   for those who may list and register it; a raw message set aside (quarantined) is for the
 *   complaint officers and admins who handle quarantine.
 * - complaint officers, supervisors and admins see every case and identity, so every file.
 *
 * Attaching needs the same right as reading: otherwise a clerk could put a confidential
 * complainant's file (its id shows on a timeline) on a case of their own and read it there.
 * Refusals are FORBIDDEN, for reading and attaching alike; an id that names no stored file stays
 * "not found" / "is not a stored file". File ids are content hashes, so telling the two apart
 * confirms nothing to someone who does not already hold the bytes or was shown the id.
 */
export class FileAccessService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly files: FileStore,
    private readonly references: FileReferences,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** What `p` may download; null when there is no such file. Throws ForbiddenError otherwise. */
  async authorizeDownload(p: Principal, fileId: string): Promise<FileGrant | null> {
    const file = await this.files.describe(fileId);
    if (!file) return null;
    const via = await this.readableVia(p, file.id);
    if (!via) throw new ForbiddenError('GET /files/{id}');
    return { file, caseIds: via };
  }

  /**
   * Records a download in the audit log, one entry per case through which it was allowed (or
   * one without a case), before the bytes leave: files are personal data like an identity.
   */
  async recordDownload(p: Principal, grant: FileGrant): Promise<void> {
    const at = this.clock.now();
    const caseIds = grant.caseIds.length > 0 ? grant.caseIds : [null];
    await this.audit.record(
      caseIds.map((caseId) => ({
        at, actorId: p.id, actorRole: p.role, action: 'FILE_DOWNLOADED' as const, caseId, reason: null,
        details: { fileId: grant.file.id, contentType: grant.file.contentType, size: grant.file.size },
      })),
    );
  }

  /**
   * Checks files a mutation is about to attach (or read, such as a call log): an id that names
   * no stored file is a problem of its field; a file `p` may not read refuses the whole
   * operation (FORBIDDEN), before anything is stored.
   */
  async checkAttachable(p: Principal, operation: string, wanted: FileToAttach[]): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    for (const w of wanted) {
      const file = await this.files.describe(w.fileId);
      if (!file) {
        problems.push({ field: w.field, message: 'is not a stored file' });
        continue;
      }
      if (!(await this.readableVia(p, file.id))) throw new ForbiddenError(operation);
    }
    return problems;
  }

  assertMayUpload(p: Principal): void {
    if (!mayUploadFiles(p)) throw new ForbiddenError('POST /files');
  }

  /** Remembers that `p` uploaded the file: until it is on a case, it is theirs to read and attach. */
  async recordUpload(p: Principal, file: StoredFile): Promise<void> {
    await this.references.recordUpload(file.id, p.id, this.clock.now());
  }

  /** The cases through which `p` may read the file ([] for a file on no case); null when `p` may not. */
  private async readableVia(p: Principal, fileId: string): Promise<string[] | null> {
    const refs = await this.references.find(fileId, p.id);
    const holders: CaseProps[] = await this.cases.findByAttachment(fileId);
    const rawCaseIds = [...new Set(refs.rawMessageOf.map((r) => r.caseId).filter((id): id is string => !!id))].filter((id) => !holders.some((h) => h.id === id));
    for (const id of rawCaseIds) {
      const c = await this.cases.findById(id);
      if (c) holders.push(c.snapshot());
    }
    const visible = holders.filter((c) => mayReadOnCase(p, c)).map((c) => c.id);
    if (visible.length > 0) return visible;
    if (SEES_EVERY_IDENTITY.has(p.role)) return [];
    // On cases (or the raw mail of any), but none that `p` may see with its identity.
    if (holders.length > 0 || refs.rawMessageOf.length > 0) return null;
    if (refs.uploadedByCaller) return [];
    if (refs.waitingDropItems.some((kind) => mayCall(p, DROP_LISTING[kind]))) return [];
    return null;
  }
}

/** Reading a file on a case is reading the case and its requester's identity. */
function mayReadOnCase(p: Principal, c: CaseProps): boolean {
  return mayCall(p, 'Query.case') && maySeeCase(p, c) && maySeeIdentity(p, c);
}
