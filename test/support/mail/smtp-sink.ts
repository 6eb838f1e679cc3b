import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

/** One message accepted by the sink. */
export interface ReceivedMail {
  /** SMTP envelope: MAIL FROM ('' for the null sender) and every RCPT TO. */
  envelope: { from: string; to: string[] };
  /** The DATA exactly as received. */
  raw: string;
  /** mailparser's simpleParser result for raw. */
  parsed: ParsedMail;
}

/** A running SMTP sink; see startSmtpSink. */
export interface SmtpSink {
  host: string;
  port: number;
  /** smtp://127.0.0.1:PORT */
  smtpUrl: string;
  /** Every accepted message, in arrival order. */
  readonly messages: readonly ReceivedMail[];
  /** Resolves with the first message (already received or arriving) matching predicate; rejects after timeoutMs. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Makes the next n deliveries fail at end of DATA with responseCode (4xx: temporary). */
  failNext(n: number, responseCode?: number): void;
  /** Forgets received messages and pending failures. */
  clear(): void;
  /** Closes the server (open client connections are cut). */
  stop(): Promise<void>;
}

interface Waiter {
  predicate: (mail: ReceivedMail) => boolean;
  resolve: (mail: ReceivedMail) => void;
}

function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/**
 * Starts an in-process SMTP server on 127.0.0.1 (free port): no TLS, AUTH optional (any
 * credentials accepted), recording every message. Use failNext for retry tests; `port` brings
 * a stopped sink back on the port it had.
 */
export async function startSmtpSink(options: { port?: number } = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<Waiter>();
  const failures: number[] = [];

  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, done: (err?: Error | null) => void): void => {
    readStream(stream)
      .then(async (buffer) => {
        const failCode = failures.shift();
        if (failCode !== undefined) {
          const err = new Error(`Temporary failure injected by SmtpSink (${failCode})`) as Error & { responseCode: number };
          err.responseCode = failCode;
          return done(err);
        }
        const raw = buffer.toString('utf8');
        const { mailFrom, rcptTo } = session.envelope;
        const mail: ReceivedMail = {
          envelope: { from: mailFrom ? mailFrom.address : '', to: rcptTo.map((r) => r.address) },
          raw,
          parsed: await simpleParser(buffer),
        };
        messages.push(mail);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(mail)) {
            waiters.delete(waiter);
            waiter.resolve(mail);
          }
        }
        return done();
      })
      .catch((err: Error) => done(err));
  };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    closeTimeout: 1000,
    onAuth: (auth, _session, cb) => cb(null, { user: auth.username ?? 'anonymous' }),
    onData,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined); // per-connection errors must not crash the test process
  const port = (server.server.address() as AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    smtpUrl: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(predicate, timeoutMs = 5000) {
      const existing = messages.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve: (mail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`SmtpSink.waitFor: no matching message within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    failNext(n, responseCode = 451) {
      for (let i = 0; i < n; i++) failures.push(responseCode);
    },
    clear() {
      messages.length = 0;
      failures.length = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
