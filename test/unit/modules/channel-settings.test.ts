import { CHANNEL_MODULES, configureChannels } from '../../../src/modules/channels';
import { loadConfig, ConfigError } from '../../../src/config';

const BASE = { LOKET_DATA_KEY: Buffer.alloc(32, 1).toString('base64') };
const settingsOf = (env: NodeJS.ProcessEnv, name: string): any => configureChannels(env).find((m) => m.name === name)?.settings;

describe('channel modules', () => {
  it('are listed once each, by name', () => {
    const names = CHANNEL_MODULES.map((m) => m.name);
    expect(names).toEqual(['email', 'drop-folders', 'phone', 'whatsapp', 'lapor']);
    expect(new Set(names).size).toBe(names.length);
  });

  it('read their own variables, with defaults when unset', () => {
    expect(settingsOf({}, 'email')).toEqual({ imap: null, smtp: null, maxBytes: 10 * 1024 * 1024 });
    expect(settingsOf({}, 'drop-folders')).toEqual({ scanInbox: null, faxInbox: null, pollSeconds: 5 });
    expect(settingsOf({}, 'phone')).toEqual({ complaintExtension: '126', pbxTimeZone: 'Asia/Pontianak' });
    const email = settingsOf({ LOKET_IMAP_URL: 'imaps://kesra:p%40ss@mail.example:993/INBOX', LOKET_SMTP_URL: 'smtp://relay:25?tls=off' }, 'email');
    expect(email.imap).toMatchObject({ host: 'mail.example', port: 993, tls: true, user: 'kesra', password: 'p@ss', pollSeconds: 60 });
    expect(email.smtp).toEqual({ url: 'smtp://relay:25?tls=off', from: 'Biro Kesra Kalbar <kesra@kalbarprov.go.id>' });
  });

  it.each([
    [{ LOKET_IMAP_URL: 'http://x' }, 'LOKET_IMAP_URL'],
    [{ LOKET_IMAP_URL: 'imap://u:secret-pass@h/INBOX', LOKET_IMAP_POLL_SECONDS: '0' }, 'LOKET_IMAP_POLL_SECONDS'],
    [{ LOKET_SMTP_URL: 'mail://x' }, 'LOKET_SMTP_URL'],
    [{ LOKET_SMTP_URL: 'smtp://x', LOKET_MAIL_FROM: 'nobody' }, 'LOKET_MAIL_FROM'],
    [{ LOKET_EMAIL_MAX_BYTES: 'ten' }, 'LOKET_EMAIL_MAX_BYTES'],
    [{ LOKET_DROP_POLL_SECONDS: '-1' }, 'LOKET_DROP_POLL_SECONDS'],
    [{ LOKET_COMPLAINT_EXTENSION: '12 6' }, 'LOKET_COMPLAINT_EXTENSION'],
    [{ LOKET_PBX_TIME_ZONE: 'Mars/Olympus' }, 'LOKET_PBX_TIME_ZONE'],
  ])('refuse a bad value by its name: %o', (env, name) => {
    let error: unknown;
    try {
      loadConfig({ ...BASE, ...env });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).not.toContain('secret-pass');
  });
});
