import { Logger } from 'pino';
import { LoketConfig } from '../../config';
import { FileStore } from '../../domain/files/file-store.port';
import { Clock } from '../../domain/shared/clock.port';
import { uuidGenerator } from '../../domain/shared/id-generator.port';
import { DropItemRepository } from '../../domain/intake/drop-item';
import { DropFolderWatcher } from './drop-folder.adapter';
import { FAX_TYPES, SCAN_TYPES } from './file-type';

export interface DropFolders {
  items: DropItemRepository;
  /** Null when LOKET_SCAN_INBOX is unset. */
  scan: DropFolderWatcher | null;
  /** Null when LOKET_FAX_INBOX is unset. */
  fax: DropFolderWatcher | null;
  stop(): Promise<void>;
}

/** The scanner and fax drop folders, each switched on only when its path is configured. */
export function startDropFolders(config: LoketConfig, items: DropItemRepository, files: FileStore, clock: Clock, log: Logger): DropFolders {
  const pollMs = (config.dropPollSeconds ?? 5) * 1000;
  const watcher = (dir: string | null | undefined, kind: 'SCAN' | 'FAX'): DropFolderWatcher | null => {
    if (!dir) return null;
    const w = new DropFolderWatcher(
      { kind, dir, accept: kind === 'SCAN' ? SCAN_TYPES : FAX_TYPES, pollMs, maxBytes: config.uploadMaxBytes },
      files,
      items,
      clock,
      uuidGenerator,
      log.child({ channel: kind === 'SCAN' ? 'scan-inbox' : 'fax-inbox' }),
    );
    w.start();
    return w;
  };
  const scan = watcher(config.scanInbox, 'SCAN');
  const fax = watcher(config.faxInbox, 'FAX');
  return {
    items,
    scan,
    fax,
    stop: async () => {
      await scan?.stop();
      await fax?.stop();
    },
  };
}
