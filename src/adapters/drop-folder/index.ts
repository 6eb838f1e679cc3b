import { uuidGenerator } from '../../domain/shared/id-generator.port';
import { ChannelModule, ModuleContext } from '../../modules/channel-module';
import { DropFolderSettings, dropFolderSettingsFromEnv } from './drop-folder-settings';
import { DropFolderWatcher } from './drop-folder.adapter';
import { FAX_TYPES, SCAN_TYPES } from './file-type';

/**
 * The scanner and fax drop folders: each configured folder is watched; its files become
 * unregistered scans or faxes waiting for a clerk (registerScan, logFax).
 */
export const dropFolderModule: ChannelModule<DropFolderSettings> = {
  name: 'drop-folders',
  settings: dropFolderSettingsFromEnv,
  start(settings, context) {
    const scan = watcher(settings.scanInbox, 'SCAN', settings, context);
    const fax = watcher(settings.faxInbox, 'FAX', settings, context);
    return {
      provides: { dropFolders: { scan, fax } },
      stop: async () => {
        await scan?.stop();
        await fax?.stop();
      },
    };
  },
};

function watcher(dir: string | null, kind: 'SCAN' | 'FAX', settings: DropFolderSettings, context: ModuleContext): DropFolderWatcher | null {
  if (!dir) return null;
  const w = new DropFolderWatcher(
    { kind, dir, accept: kind === 'SCAN' ? SCAN_TYPES : FAX_TYPES, pollMs: settings.pollSeconds * 1000, maxBytes: context.limits.uploadMaxBytes },
    context.files,
    context.dropItems,
    context.clock,
    uuidGenerator,
    context.log.child({ channel: kind === 'SCAN' ? 'scan-inbox' : 'fax-inbox' }),
  );
  w.start();
  return w;
}
