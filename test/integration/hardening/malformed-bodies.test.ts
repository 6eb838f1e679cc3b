import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../support/database';

/**
 * Bodies that end early, lie about their type or are dropped mid-way, sent to the real server
 * process (`node dist/src/main.js`): an unhandled stream error kills a process, so only a child
 * process shows it. After each body the server must still answer, and no upload may be left
 * half written in files/tmp.
 */
const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'dist/src/main.js');
const TOKEN = `boot-${randomBytes(24).toString('hex')}`;
const MAX_UPLOAD = 64 * 1024;
const PDF_HEAD = '%PDF-1.4\n';

interface RawAnswer {
  status: number;
  body: string;
  json: any;
}

/** Sends `head` and `body` as they are over one socket; resolves with what the server answered. */
function send(port: number, head: string, body: Buffer | string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (answer += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [top, ...rest] = answer.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(top)?.[1] ?? 0);
      let text = rest.join('\r\n\r\n');
      if (/transfer-encoding: chunked/i.test(top)) text = dechunk(text);
      let json: any = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      resolve({ status, body: text, json });
    });
    // No half-close: Node's HTTP server drops a request whose client ends its side first.
    socket.write(head);
    socket.write(body);
  });
}

function dechunk(s: string): string {
  let out = '';
  let rest = s;
  for (;;) {
    const nl = rest.indexOf('\r\n');
    if (nl < 0) return out;
    const size = parseInt(rest.slice(0, nl), 16);
    if (!size) return out;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 2 + size + 2);
  }
}

/** Sends the head and part of a body that announces more, then drops the connection. */
function sendAndDrop(port: number, head: string, part: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', reject);
    socket.write(head);
    socket.write(part, () => {
      // Give the server the bytes before the connection goes (one write round trip is enough).
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 150);
    });
  });
}

const requestHead = (method: string, url: string, headers: Record<string, string | number>): string =>
  `${method} ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n') +
  '\r\n\r\n';

const uploadHead = (length: number, contentType = 'multipart/form-data; boundary=zzz'): string =>
  requestHead('POST', '/files', { authorization: `Bearer ${TOKEN}`, 'content-type': contentType, 'content-length': length });

const part = (filename: string, content: string | Buffer): Buffer =>
  Buffer.concat([Buffer.from(`--zzz\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`, 'latin1'), Buffer.from(content)]);

describe('malformed and dropped request bodies do not stop the server (real process)', () => {
  let drop: (() => Promise<void>) | undefined;
  let child: ChildProcess | undefined;
  let port = 0;
  let output = '';
  let filesDir = '';

  beforeAll(async () => {
    if (!existsSync(MAIN)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    const db = await createTestDatabase('hardening_bodies');
    drop = db.drop;
    filesDir = mkdtempSync(path.join(os.tmpdir(), 'loket-bodies-'));
    const proc = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: db.url, LOG_LEVEL: 'warn', NODE_ENV: 'test', NODE_OPTIONS: '',
        LOKET_BOOTSTRAP_TOKEN: TOKEN, LOKET_DATA_KEY: randomBytes(32).toString('base64'), LOKET_FILES_DIR: filesDir,
        LOKET_UPLOAD_MAX_BYTES: String(MAX_UPLOAD), LOKET_FILES_INLINE_MAX_BYTES: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout!.setEncoding('utf8');
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (d: string) => (output += d));
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not get ready\n${output}`)), 45_000);
      proc.stdout!.on('data', (d: string) => {
        output += d;
        const m = /Loket is ready at http:\/\/[^:]+:(\d+)\//.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before it was ready\n${output}`));
      });
    });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const force = setTimeout(() => child!.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    }
    await drop?.();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  }, 60_000);

  const leftovers = (): string[] => {
    const tmp = path.join(filesDir, 'tmp');
    return existsSync(tmp) ? readdirSync(tmp) : [];
  };

  /** The process is alive and answers; nothing is left in files/tmp (waiting while a dropped request is wound up). */
  async function stillServing(): Promise<void> {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch((err: Error) => {
      throw new Error(`the server does not answer (${err.message})\n${output}`);
    });
    expect(health.status).toBe(200);
    expect(child!.exitCode).toBeNull();
    for (let i = 0; i < 100 && leftovers().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(leftovers()).toEqual([]);
  }

  const refused = (a: RawAnswer, status: number, code: string): void => {
    // No answer at all: show what the server wrote (a crash prints its stack there).
    expect({ status: a.status, code: a.json?.errors?.[0]?.extensions?.code, serverOutput: a.status ? null : output }).toEqual({ status, code, serverOutput: null });
    expect(a.json.errors[0].message).toEqual(expect.any(String));
  };

  it('a multipart body that ends inside the file (no closing boundary) is a 400 BAD_REQUEST', async () => {
    const body = part('a.pdf', PDF_HEAD);
    refused(await send(port, uploadHead(body.length), body), 400, 'BAD_REQUEST');
    await stillServing();
  });

  it('a multipart body that ends inside the part headers, or before any part, is refused', async () => {
    const inHeaders = Buffer.from('--zzz\r\nContent-Disposition: form-data; name="file"; filena', 'latin1');
    expect((await send(port, uploadHead(inHeaders.length), inHeaders)).status).toBe(400);
    const onlyPreamble = Buffer.from('just some text and no boundary at all', 'latin1');
    expect((await send(port, uploadHead(onlyPreamble.length), onlyPreamble)).status).toBe(400);
    await stillServing();
  });

  it('a large file cut off before its boundary leaves no temporary file behind', async () => {
    const body = part('a.pdf', Buffer.concat([Buffer.from(PDF_HEAD), Buffer.alloc(40 * 1024, 0x20)]));
    refused(await send(port, uploadHead(body.length), body), 400, 'BAD_REQUEST');
    await stillServing();
  });

  it('a second file part that is cut off after a complete first one is refused too', async () => {
    const body = Buffer.concat([part('a.pdf', `${PDF_HEAD}eins`), Buffer.from('\r\n'), part('b.pdf', `${PDF_HEAD}zwei`)]);
    expect((await send(port, uploadHead(body.length), body)).status).toBe(400);
    await stillServing();
  });

  it('multipart without a boundary, and a body of another type, are refused as requests without a file', async () => {
    const body = part('a.pdf', PDF_HEAD);
    refused(await send(port, uploadHead(body.length, 'multipart/form-data'), body), 400, 'BAD_USER_INPUT');
    refused(await send(port, uploadHead(body.length, 'application/json'), body), 400, 'BAD_USER_INPUT');
    refused(await send(port, uploadHead(body.length, 'text/plain'), body), 400, 'BAD_USER_INPUT');
    await stillServing();
  });

  it('a file over the limit is 413, also when the body ends without its boundary', async () => {
    const big = part('a.pdf', Buffer.concat([Buffer.from(PDF_HEAD), Buffer.alloc(MAX_UPLOAD + 1024, 0x20)]));
    const closed = Buffer.concat([big, Buffer.from('\r\n--zzz--\r\n')]);
    refused(await send(port, uploadHead(closed.length), closed), 413, 'FILE_TOO_LARGE');
    expect((await send(port, uploadHead(big.length), big)).status).toBeGreaterThanOrEqual(400);
    await stillServing();
  });

  it('a client that drops the connection in the middle of an upload leaves nothing behind', async () => {
    const start = part('a.pdf', Buffer.concat([Buffer.from(PDF_HEAD), Buffer.alloc(20 * 1024, 0x20)]));
    await sendAndDrop(port, uploadHead(start.length + 30 * 1024), start);
    await stillServing();
    // Dropped inside the part headers, and right after the request head.
    await sendAndDrop(port, uploadHead(10_000), Buffer.from('--zzz\r\nContent-Disposition: form-data; na'));
    await sendAndDrop(port, uploadHead(10_000), Buffer.alloc(0));
    await stillServing();
  });

  it('garbage JSON to /graphql is 400 BAD_REQUEST, and a dropped /graphql body does not stop the server', async () => {
    const head = (length: number): string => requestHead('POST', '/graphql', { 'content-type': 'application/json', 'content-length': length });
    const garbage = '{"query": "{ __typename }", ';
    refused(await send(port, head(garbage.length), garbage), 400, 'BAD_REQUEST');
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]);
    expect((await send(port, head(binary.length), binary)).status).toBe(400);
    await sendAndDrop(port, head(5000), '{"query": "{ __typ');
    await stillServing();
  });

  it('after all of it, a well-formed upload still works', async () => {
    const body = Buffer.concat([part('a.pdf', `${PDF_HEAD}utuh\n%%EOF\n`), Buffer.from('\r\n--zzz--\r\n')]);
    const a = await send(port, uploadHead(body.length), body);
    expect(a.status).toBe(201);
    expect(a.json.contentType).toBe('application/pdf');
    await stillServing();
  });
});
