import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config';

const base = { LOKET_DATA_KEY: randomBytes(32).toString('base64'), LOKET_DATA_DIR: '/tmp/loket-config-test' };

describe('SLA alert settings', () => {
  it('warn at 75% and scan every 60 s by default; both can be set', () => {
    expect(loadConfig(base)).toMatchObject({ slaWarningPercent: 75, slaAlertPeriodSeconds: 60 });
    expect(loadConfig({ ...base, LOKET_SLA_WARNING_PERCENT: '80', LOKET_SLA_ALERT_PERIOD_SECONDS: '30' })).toMatchObject({ slaWarningPercent: 80, slaAlertPeriodSeconds: 30 });
  });

  it('refuses a percentage that is not a whole number from 1 to 99, naming the variable', () => {
    for (const bad of ['0', '100', '75.5', 'tujuh']) {
      expect(() => loadConfig({ ...base, LOKET_SLA_WARNING_PERCENT: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, LOKET_SLA_WARNING_PERCENT: bad })).toThrow(/LOKET_SLA_WARNING_PERCENT/);
    }
    expect(() => loadConfig({ ...base, LOKET_SLA_ALERT_PERIOD_SECONDS: '0' })).toThrow(/LOKET_SLA_ALERT_PERIOD_SECONDS/);
  });
});
