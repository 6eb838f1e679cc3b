import { DEFAULT_PHONE_SETTINGS, PhoneSettings } from '../../domain/phone/call-record';
import { isValidTimeZone } from '../../domain/sla/time-zone';

/**
 * LOKET_COMPLAINT_EXTENSION: the complaint line's extension in the PBX (default 126).
 * LOKET_PBX_TIME_ZONE: the zone of the times in Master.csv (default Asia/Pontianak; "UTC" for usegmtime=yes).
 */
export function phoneSettingsFromEnv(env: NodeJS.ProcessEnv): PhoneSettings {
  const complaintExtension = env.LOKET_COMPLAINT_EXTENSION?.trim() || DEFAULT_PHONE_SETTINGS.complaintExtension;
  if (!/^[A-Za-z0-9_*#+-]{1,40}$/.test(complaintExtension)) {
    throw new Error('LOKET_COMPLAINT_EXTENSION must be a PBX extension (digits, letters, * # + - _)');
  }
  const pbxTimeZone = env.LOKET_PBX_TIME_ZONE?.trim() || DEFAULT_PHONE_SETTINGS.pbxTimeZone;
  if (!isValidTimeZone(pbxTimeZone)) throw new Error('LOKET_PBX_TIME_ZONE must be an IANA time zone such as Asia/Pontianak');
  return { complaintExtension, pbxTimeZone };
}
