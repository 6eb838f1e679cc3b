import { PhoneSettings } from '../../domain/phone/call-record';
import { ChannelModule } from '../../modules/channel-module';
import { masterCsvReader } from './master-csv-reader';
import { phoneSettingsFromEnv } from './phone-settings';

/**
 * The telephone channel: the PBX's call log (Asterisk Master.csv, imported by importCallRecords
 * or the CLI) and which extension is the complaint line. No worker of its own: clerks log calls
 * at the desk (logPhoneCall).
 */
export const phoneModule: ChannelModule<PhoneSettings> = {
  name: 'phone',
  settings: phoneSettingsFromEnv,
  start: (settings) => ({ provides: { phoneSettings: settings, cdrReader: masterCsvReader }, stop: async () => undefined }),
};
