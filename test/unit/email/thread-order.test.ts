import { threadOrder } from '../../../src/domain/intake/email-intake.service';
import { InboundMessage } from '../../../src/domain/intake/inbound-message';

const msg = (messageId: string | null, related: string[] = []): InboundMessage => ({
  dedupeKey: messageId ?? `k-${Math.random()}`, messageId, relatedMessageIds: related, referenceInSubject: null,
  from: { address: 'warga@example.id', name: null }, subject: 's', text: 't', receivedAt: new Date(0), rawFileId: 'f',
  attachments: [], omittedAttachments: [], automatic: null, bounceOf: null,
});

describe('threadOrder (the order a batch of mail is handled in)', () => {
  it('keeps the batch order when nothing in it answers anything else in it', () => {
    expect(threadOrder([msg('<a@x>'), msg('<b@x>', ['<elsewhere@x>']), msg(null)])).toEqual([0, 1, 2]);
  });

  it('puts a reply after the message it answers, and a reply to a reply after both (ids compared case-insensitively)', () => {
    const batch = [msg('<rr@x>', ['<R@x>']), msg('<a@x>'), msg('<r@x>', ['<A@X>'])];
    expect(threadOrder(batch)).toEqual([1, 2, 0]);
  });

  it('survives mutual references (a loop) and messages naming themselves, handling each once', () => {
    const batch = [msg('<p@x>', ['<q@x>', '<p@x>']), msg('<q@x>', ['<p@x>'])];
    const order = threadOrder(batch);
    expect([...order].sort()).toEqual([0, 1]);
  });

  it('a message repeated in the batch is answered to its first copy', () => {
    expect(threadOrder([msg('<r@x>', ['<a@x>']), msg('<a@x>'), msg('<a@x>')])).toEqual([1, 0, 2]);
  });
});
