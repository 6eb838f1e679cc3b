import { LoketMetrics, MAX_OPERATION_LABELS } from '../../../src/adapters/metrics/loket-metrics';
import { ConfigError, loadConfig } from '../../../src/config';

describe('metrics labels and settings', () => {
  const metrics = new LoketMetrics({ sql: async () => [], now: () => new Date() });

  it('operation names are labels only while well formed and among the first 200 distinct ones', () => {
    expect(metrics.operationLabel('LogCall')).toBe('LogCall');
    for (const bad of [null, undefined, '', '1abc', 'a-b', 'x'.repeat(65), 'DROP TABLE', 'nama\u00e9', 'other']) expect(metrics.operationLabel(bad)).toBe('other');
    for (let i = 0; i < 500; i++) metrics.operationLabel(`Op${i}`);
    const labels = new Set(Array.from({ length: 500 }, (_, i) => metrics.operationLabel(`Op${i}`)));
    expect(labels.size).toBe(MAX_OPERATION_LABELS); // 199 OpN names, LogCall took one place, and "other"
    expect(labels.has('other')).toBe(true);
    expect(metrics.operationLabel('LogCall')).toBe('LogCall');
  });

  it('LOKET_METRICS_TOKEN: unset is off; shorter than 24 characters or with spaces is refused by name', () => {
    const env = { LOKET_DATA_KEY: Buffer.alloc(32, 3).toString('base64') };
    expect(loadConfig(env).metricsToken).toBeUndefined();
    expect(loadConfig({ ...env, LOKET_METRICS_TOKEN: 'a'.repeat(24) }).metricsToken).toBe('a'.repeat(24));
    expect(() => loadConfig({ ...env, LOKET_METRICS_TOKEN: 'a'.repeat(23) })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, LOKET_METRICS_TOKEN: `${'a'.repeat(24)} b` })).toThrow(/LOKET_METRICS_TOKEN/);
  });
});
