import { maySeeCase, maySeeIdentity, mayUploadFiles } from '../access/access-policy';
import { Principal } from '../access/roles';
import { CaseRepository } from '../case/case-repository.port';
import { ForbiddenError } from '../shared/domain-error';
import { FileStore, StoredFile } from './file-store.port';

/**
 * Who may download a stored file: someone who may see a case it is attached to, and that
 * case's requester identity (scans and attachments often show the person). A file not yet
 * attached to any case is for the people who upload and register files.
 */
export class FileAccessService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly files: FileStore,
  ) {}

  /** The file if `p` may download it; null when there is no such file. */
  async authorizeDownload(p: Principal, fileId: string): Promise<StoredFile | null> {
    const file = await this.files.describe(fileId);
    if (!file) return null;
    const owners = await this.cases.findByAttachment(fileId);
    const allowed = owners.length === 0 ? mayUploadFiles(p) : owners.some((c) => maySeeCase(p, c) && maySeeIdentity(p, c));
    if (!allowed) throw new ForbiddenError('GET /files/{id}');
    return file;
  }

  assertMayUpload(p: Principal): void {
    if (!mayUploadFiles(p)) throw new ForbiddenError('POST /files');
  }
}
