import { batchesOf } from '../../../src/adapters/email/imap-inbox.adapter';

describe('batchesOf (how the inbox cuts its messages into fetch batches)', () => {
  it('keeps uid order and cuts at 200 messages', () => {
    const msgs = Array.from({ length: 450 }, (_v, i) => ({ uid: 450 - i, size: 1_000 }));
    const batches = batchesOf(msgs);
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50]);
    expect(batches.flat()).toEqual(Array.from({ length: 450 }, (_v, i) => i + 1));
  });

  it('cuts by size (32 MB), and a single message larger than that is a batch of its own', () => {
    const mb = 1024 * 1024;
    const batches = batchesOf([
      { uid: 1, size: 20 * mb },
      { uid: 2, size: 10 * mb },
      { uid: 3, size: 5 * mb },
      { uid: 4, size: 50 * mb },
      { uid: 5, size: 1 },
    ]);
    expect(batches).toEqual([[1, 2], [3], [4], [5]]);
  });

  it('an empty inbox gives no batch', () => {
    expect(batchesOf([])).toEqual([]);
  });
});
