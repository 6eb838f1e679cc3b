import { EventEmitter } from 'node:events';
import imaps from 'imap-simple';
import pino from 'pino';
import { ImapInbox } from '../../../src/adapters/email/imap-inbox.adapter';
import { ImapConfig } from '../../../src/adapters/email/imap-config';

/**
 * The inbox against a scripted connection (imap-simple's connect replaced): which checks a
 * new-mail notification ('mail', node-imap's EXISTS while idling or during a command) starts.
 * The real server is in test/integration/email/email-idle.test.ts.
 */

const config: ImapConfig = { host: 'imap.invalid', port: 143, tls: false, user: 'kesra', password: 'x', mailbox: 'INBOX', processedFolder: 'Processed', pollSeconds: 300 };

interface Scripted {
  options: imaps.ImapSimpleOptions;
  /** One per SEARCH the inbox sent, answered when the test says so. */
  searches: { answer: () => void }[];
}

let server: Scripted | null = null;

function scriptedServer(): Scripted {
  const s: Scripted = { options: null as unknown as imaps.ImapSimpleOptions, searches: [] };
  const conn = Object.assign(new EventEmitter(), {
    imap: Object.assign(new EventEmitter(), { serverSupports: (cap: string) => cap === 'IDLE' }),
    getBoxes: async () => ({ INBOX: {}, Processed: {} }),
    addBox: async () => undefined,
    openBox: async () => undefined,
    search: () => new Promise<unknown[]>((resolve) => s.searches.push({ answer: () => resolve([]) })),
    moveMessage: async () => undefined,
    end: () => undefined,
  });
  jest.spyOn(imaps, 'connect').mockImplementation(((options: imaps.ImapSimpleOptions) => {
    s.options = options;
    return Promise.resolve(conn as unknown as imaps.ImapSimple);
  }) as typeof imaps.connect);
  server = s;
  return s;
}

const turns = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('ImapInbox wake-ups (new mail notifications)', () => {
  let inbox: ImapInbox | null = null;

  afterEach(async () => {
    for (const search of server?.searches ?? []) search.answer(); // a check in flight would hold stop() for seconds
    await inbox?.stop();
    inbox = null;
    server = null;
    jest.restoreAllMocks();
  });

  function startInbox(): void {
    inbox = new ImapInbox(config, async (messages) => messages.map(() => null), async () => undefined, pino({ level: 'silent' }));
    inbox.start();
  }

  it('asks node-imap for IDLE (no forced NOOP), renewed every 5 minutes', async () => {
    const s = scriptedServer();
    startInbox();
    await turns();
    expect(s.options.imap.keepalive).toEqual({ interval: 60_000, idleInterval: 300_000, forceNoop: false });
  });

  it('a notification while the connection idles starts a check', async () => {
    const s = scriptedServer();
    startInbox();
    await turns();
    expect(s.searches).toHaveLength(1); // the check on connecting
    s.searches[0].answer();
    await turns();
    s.options.onmail!(1);
    await turns();
    expect(s.searches).toHaveLength(2);
  });

  it('a notification during a check starts exactly one more check after it (no lost wake-up)', async () => {
    const s = scriptedServer();
    startInbox();
    await turns();
    expect(s.searches).toHaveLength(1);
    // Two notifications while the check's SEARCH is unanswered: one check follows, not two.
    s.options.onmail!(1);
    s.options.onmail!(1);
    await turns();
    expect(s.searches).toHaveLength(1);
    s.searches[0].answer();
    await turns();
    expect(s.searches).toHaveLength(2);
    s.searches[1].answer();
    await turns();
    expect(s.searches).toHaveLength(2);
  });
});
