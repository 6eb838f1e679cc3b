/** What a drop folder (scanner, fax server) hands in: one file waiting for a clerk. */
export type DropItemKind = 'SCAN' | 'FAX';
export type DropItemStatus = 'UNREGISTERED' | 'REGISTERED' | 'DISCARDED';

export interface DropItem {
  id: string;
  kind: DropItemKind;
  /** The stored file (its SHA-256); one item per kind and content. */
  fileId: string;
  filename: string;
  contentType: string;
  size: number;
  /** When the file appeared in the folder. */
  arrivedAt: Date;
  /** Faxes: the sender's number and the time the fax server received it, when known. */
  senderNumber: string | null;
  faxReceivedAt: Date | null;
  status: DropItemStatus;
  caseId: string | null;
  discardReason: string | null;
}

/** A file taken from a drop folder, before it has an id. */
export type NewDropItem = Omit<DropItem, 'id' | 'status' | 'caseId' | 'discardReason'>;

export interface DropItemRepository {
  /** Stores the item unless one of the same kind and content exists; `created` says which. */
  record(id: string, item: NewDropItem): Promise<{ id: string; created: boolean }>;
  find(id: string): Promise<DropItem | null>;
  /** Waiting items of a kind, oldest first. */
  unregistered(kind: DropItemKind, limit: number): Promise<DropItem[]>;
  /** Marks a waiting item as registered; false when it was not waiting any more. */
  markRegistered(id: string, caseId: string, at: Date, by: string): Promise<boolean>;
  /** Marks a waiting item as discarded; false when it was not waiting any more. */
  markDiscarded(id: string, reason: string, at: Date, by: string): Promise<boolean>;
}

/** What one pass over a drop folder did (file names; for tests and logs). */
export interface DropScanReport {
  recorded: string[];
  duplicates: string[];
  rejected: string[];
  waiting: string[];
}

/** A drop folder that can be read now (tests drive passes by hand). */
export interface DropScanner {
  scanNow(): Promise<DropScanReport>;
}
