import { DropItemKind } from '../intake/drop-item';

/** What, besides case attachments, refers to a stored file: the facts file access is decided on. */
export interface FileReferencesFound {
  /** The file is the raw message of these ledger entries (caseId null: quarantined or set aside). */
  rawMessageOf: { caseId: string | null }[];
  /** Kinds of drop-folder items with this file that are still waiting to be registered. */
  waitingDropItems: DropItemKind[];
  /** True when the asking principal uploaded the file through POST /files. */
  uploadedByCaller: boolean;
}

export interface FileReferences {
  find(fileId: string, principalId: string): Promise<FileReferencesFound>;
  /** Records that `principalId` uploaded the file (once per uploader). */
  recordUpload(fileId: string, principalId: string, at: Date): Promise<void>;
}
