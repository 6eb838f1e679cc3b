import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { fetchRaw } from '../../../src/adapters/email/imap-inbox.adapter';

/** node-imap's fetch as the inbox sees it: the fetch, its messages and their body streams are emitters. */
function fakeConnection() {
  const fetch = new EventEmitter();
  const conn = { imap: { fetch: () => fetch } } as unknown as Parameters<typeof fetchRaw>[0];
  const message = (uid: number) => {
    const m = new EventEmitter();
    const body = new PassThrough();
    fetch.emit('message', m, uid);
    m.emit('body', body, { which: '', size: 0 });
    m.emit('attributes', { uid, date: new Date('2026-03-02T01:00:00Z') });
    return { m, body };
  };
  return { conn, fetch, message };
}

describe('fetchRaw: errors of the IMAP fetch fail the fetch (messages stay for the next check), never the process', () => {
  it('reads the bodies of a fetch as Buffers', async () => {
    const { conn, fetch, message } = fakeConnection();
    const got = fetchRaw(conn, [7]);
    const { m, body } = message(7);
    body.end(Buffer.from('Subject: a\r\n\r\nisi'));
    await new Promise((r) => body.once('end', r));
    m.emit('end');
    fetch.emit('end');
    expect((await got).map((x) => ({ uid: x.uid, raw: x.raw.toString() }))).toEqual([{ uid: 7, raw: 'Subject: a\r\n\r\nisi' }]);
  });

  it('a body stream that errors (connection lost mid-message) rejects the fetch', async () => {
    const { conn, fetch, message } = fakeConnection();
    const got = fetchRaw(conn, [1, 2]);
    const { m, body } = message(1);
    body.write(Buffer.from('Subject: terpotong\r\n'));
    // Without a listener this emit throws (an unhandled 'error' event stops the process).
    expect(() => body.destroy(new Error('socket closed mid-literal'))).not.toThrow();
    await new Promise((r) => body.once('close', r));
    m.emit('end');
    fetch.emit('end');
    await expect(got).rejects.toThrow('socket closed mid-literal');
  });

  it('a fetch that reports an error twice rejects once and raises nothing', async () => {
    const { conn, fetch } = fakeConnection();
    const got = fetchRaw(conn, [1]);
    expect(() => fetch.emit('error', new Error('first'))).not.toThrow();
    expect(() => fetch.emit('error', new Error('second'))).not.toThrow();
    fetch.emit('end');
    await expect(got).rejects.toThrow('first');
  });
});
