import { dropFolderModule } from '../adapters/drop-folder';
import { emailModule } from '../adapters/email';
import { laporModule } from '../adapters/lapor';
import { phoneModule } from '../adapters/phone';
import { whatsappModule } from '../adapters/whatsapp';
import { ChannelModule, ConfiguredModule, configureModule } from './channel-module';

/**
 * The intake channels, in start order. A new channel is its folder under src/adapters with an
 * index.ts exporting a ChannelModule, plus one line here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module has its own settings type; configureModule binds them
export const CHANNEL_MODULES: readonly ChannelModule<any>[] = [emailModule, dropFolderModule, phoneModule, whatsappModule, laporModule];

/** Reads every channel's settings from `env` (throws naming the variable of a bad value). */
export function configureChannels(env: NodeJS.ProcessEnv): ConfiguredModule[] {
  return CHANNEL_MODULES.map((m) => configureModule(m, env));
}
