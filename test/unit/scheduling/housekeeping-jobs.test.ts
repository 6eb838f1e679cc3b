import { outboxPruneJob, retentionJob } from '../../../src/domain/scheduling/housekeeping-jobs';

const context = { dueAt: new Date('2026-03-02T01:00:00Z'), signal: new AbortController().signal };

describe('the housekeeping jobs', () => {
  it('outbox-prune runs daily and drops rows older than a week by the injected clock', async () => {
    const cutoffs: Date[] = [];
    const job = outboxPruneJob({ pruneOutbox: async (before) => (cutoffs.push(before), 4) }, { now: () => new Date('2026-03-09T06:00:00Z') });
    expect(job).toMatchObject({ name: 'outbox-prune', periodSeconds: 86_400 });
    expect(await job.run(context)).toEqual({ rows: 4 });
    expect(cutoffs).toEqual([new Date('2026-03-02T06:00:00Z')]);
  });

  it('retention runs daily with the configured months and fails the run when retention fails', async () => {
    const months: number[] = [];
    const job = retentionJob({ runRetention: async (m) => (months.push(m), 3) }, 18);
    expect(job).toMatchObject({ name: 'retention', periodSeconds: 86_400 });
    expect(await job.run(context)).toEqual({ cases: 3 });
    expect(months).toEqual([18]);
    const failing = retentionJob({ runRetention: async () => Promise.reject(new Error('database gone')) }, 18);
    await expect(failing.run(context)).rejects.toThrow('database gone');
  });
});
