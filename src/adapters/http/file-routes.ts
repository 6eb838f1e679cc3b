import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import path from 'node:path';
import busboy from 'busboy';
import express, { Request, Response } from 'express';
import { Logger } from 'pino';
import { FileAccessService } from '../../domain/files/file-access.service';
import { FileStore } from '../../domain/files/file-store.port';
import { Principal } from '../../domain/access/roles';
import { DomainError, RateLimitedError } from '../../domain/shared/domain-error';
import { tooManyRequests } from './too-many-requests';

/** The types a desk receives: scans, faxes and photos of documents. */
const SIGNATURES: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/tiff', test: (b) => ['49492a00', '4d4d002a'].includes(b.subarray(0, 4).toString('hex')) },
];

/**
 * What a file's first bytes say it is, among the accepted types; null otherwise. A `.csv`
 * (PBX call records) is accepted when it reads as text: valid UTF-8 and no NUL byte.
 */
export function sniffType(head: Buffer, filename = ''): string | null {
  const binary = SIGNATURES.find((s) => head.length >= 4 && s.test(head))?.type;
  if (binary) return binary;
  if (/\.csv$/i.test(filename) && !head.includes(0) && isUtf8Prefix(head)) return 'text/csv';
  return null;
}

function isUtf8Prefix(b: Buffer): boolean {
  // The sample may end inside a multi-byte character; drop up to 3 trailing bytes before checking.
  for (let cut = 0; cut <= 3 && cut < b.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, b.length - cut));
      return true;
    } catch {
      /* try a shorter prefix */
    }
  }
  return b.length === 0;
}

/**
 * A request path as logged: a file id is the key to a stored file (often a citizen's document
 * or raw mail), so request lines show `/files/:id`, never the id.
 */
export function loggableUrl(url: string): string {
  return url.replace(/^\/files\/[^/?#]+/, '/files/:id');
}

export interface FileRoutesOptions {
  files: FileStore;
  access: FileAccessService;
  authenticate: (req: Request) => Promise<Principal | null>;
  maxBytes: number;
  log: Logger;
}

type Refusal = { status: number; code: string; message: string };
const refuse = (res: Response, r: Refusal): void => {
  res.status(r.status).json({ errors: [{ message: r.message, extensions: { code: r.code } }] });
};
const TOO_LARGE: Refusal = { status: 413, code: 'FILE_TOO_LARGE', message: 'Berkas terlalu besar' };
const WRONG_TYPE: Refusal = { status: 415, code: 'UNSUPPORTED_FILE_TYPE', message: 'Jenis berkas tidak diterima (PDF, JPEG, PNG, TIFF; CSV untuk catatan panggilan)' };
const EMPTY: Refusal = { status: 400, code: 'EMPTY_FILE', message: 'Berkas kosong' };
const BROKEN: Refusal = { status: 400, code: 'BAD_REQUEST', message: 'Isi permintaan terpotong atau rusak; kirim ulang berkasnya' };
const NO_FILE: Refusal = { status: 400, code: 'BAD_USER_INPUT', message: 'Kirim satu berkas di kolom "file" (multipart/form-data)' };

/**
 * POST /files (multipart field `file`): streamed to a temporary file while hashed, checked
 * by size and by its first bytes (PDF, JPEG, PNG, TIFF), then kept in the content-addressed
 * store; answers {"id"}; the uploader is recorded. A refused upload leaves nothing behind.
 * GET /files/{id}: for callers FileAccessService allows; every download is audited.
 */
export function fileRoutes(o: FileRoutesOptions): express.Router {
  const router = express.Router();

  const principalOr401 = async (req: Request, res: Response): Promise<Principal | null> => {
    try {
      const p = await o.authenticate(req);
      if (!p) refuse(res, { status: 401, code: 'UNAUTHENTICATED', message: 'Autentikasi diperlukan' });
      return p;
    } catch (err) {
      if (err instanceof RateLimitedError) {
        tooManyRequests(res, err.retryAfterSeconds);
        return null;
      }
      if (err instanceof DomainError) {
        refuse(res, { status: 401, code: 'UNAUTHENTICATED', message: 'Autentikasi diperlukan atau tidak berlaku' });
        return null;
      }
      throw err;
    }
  };

  router.post('/files', async (req, res, next) => {
    try {
      const p = await principalOr401(req, res);
      if (!p) return;
      try {
        o.access.assertMayUpload(p);
      } catch {
        return refuse(res, { status: 403, code: 'FORBIDDEN', message: 'Anda tidak berwenang mengunggah berkas' });
      }
      if (!req.is('multipart/form-data')) return refuse(res, NO_FILE);
      const result = await receive(req, o);
      if ('status' in result) return refuse(res, result);
      await o.access.recordUpload(p, { id: result.id, size: result.size, contentType: result.contentType });
      res.status(201).json({ id: result.id, size: result.size, contentType: result.contentType });
    } catch (err) {
      next(err);
    }
  });

  router.get('/files/:id', async (req, res, next) => {
    try {
      const p = await principalOr401(req, res);
      if (!p) return;
      let grant;
      try {
        grant = await o.access.authorizeDownload(p, String(req.params.id));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return refuse(res, { status: 403, code: 'FORBIDDEN', message: 'Anda tidak berwenang mengunduh berkas ini' });
      }
      const content = grant ? await o.files.get(grant.file.id) : null;
      if (!grant || !content) return refuse(res, { status: 404, code: 'FILE_NOT_FOUND', message: 'Berkas tidak ditemukan' });
      const file = grant.file;
      // Recorded before the bytes leave, like every view of an identity.
      await o.access.recordDownload(p, grant);
      res.setHeader('content-type', file.contentType);
      res.setHeader('content-length', String(content.length));
      res.setHeader('content-disposition', `attachment; filename="${file.id}"`);
      res.setHeader('cache-control', 'private, no-store');
      res.end(content);
    } catch (err) {
      next(err);
    }
  });

  return router;
}

type Written = { sha256: string; size: number; type: string };

/**
 * Streams the single `file` part to disk, hashing and checking it on the way. Whatever happens
 * to the body (cut off, malformed, the client gone) the answer is a refusal, never a stream
 * error left unhandled, and the temporary file is removed before this returns.
 */
async function receive(req: Request, o: FileRoutesOptions): Promise<{ id: string; size: number; contentType: string } | Refusal> {
  const tmp = path.join(await o.files.tempDir(), `upload-${randomBytes(8).toString('hex')}`);
  let adopted = false;
  try {
    const outcome = await readUpload(req, o.maxBytes, tmp);
    if ('status' in outcome) return outcome;
    const stored = await o.files.adopt(tmp, outcome.sha256, outcome.size, outcome.type);
    adopted = true;
    return { id: stored.id, size: stored.size, contentType: stored.contentType };
  } finally {
    if (!adopted) await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Resolves once the body is fully read (or given up) and the temporary file is closed; rejects
 * only when writing to our own disk failed (a server error, not the client's).
 */
function readUpload(req: Request, maxBytes: number, tmp: string): Promise<Refusal | Written> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 5, parts: 6 } });
    } catch {
      return resolve(NO_FILE);
    }
    /** The body could not be read to its end: cut off, malformed, or the client went away. */
    let broken = false;
    let diskError: Error | null = null;
    let writing: Promise<Refusal | Written> | null = null;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      // Drain what the client still sends, so the refusal can be answered.
      req.resume();
      (writing ?? Promise.resolve(null)).then((written) => {
        if (diskError) return reject(diskError);
        if (written === TOO_LARGE) return resolve(TOO_LARGE);
        if (broken) return resolve(BROKEN);
        resolve(written ?? NO_FILE);
      }, reject);
    };
    bb.on('file', (name, stream, info) => {
      // Busboy destroys a part's stream with the error of the body; every stream gets a listener.
      if (name !== 'file' || writing) {
        stream.on('error', () => undefined);
        stream.resume();
        return;
      }
      const hash = createHash('sha256');
      let size = 0;
      let tooLarge = false;
      let head = Buffer.alloc(0);
      const out = createWriteStream(tmp, { mode: 0o600 });
      // The pipeline destroys `out` with the body's error too; only its own errors are ours.
      let bodyFailed = false;
      stream.on('error', () => (bodyFailed = true));
      out.on('error', (err) => {
        if (!bodyFailed) diskError ??= err;
      });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (head.length < 4096) head = Buffer.concat([head, chunk]).subarray(0, 4096);
        hash.update(chunk);
      });
      stream.on('limit', () => (tooLarge = true));
      writing = new Promise((done) => {
        pipeline(stream, out, (err) => {
          const result = (): Refusal | Written => {
            if (tooLarge) return TOO_LARGE;
            if (err) return BROKEN;
            const type = sniffType(head, info.filename ?? '');
            return size === 0 ? EMPTY : type ? { sha256: hash.digest('hex'), size, type } : WRONG_TYPE;
          };
          // Only once the file is closed may it be renamed or removed.
          if (out.closed) done(result());
          else out.once('close', () => done(result()));
        });
      });
    });
    bb.on('error', () => {
      broken = true;
      settle();
    });
    bb.on('close', settle);
    // A client that goes away mid-body: give up the parse (its file stream with it).
    const abandoned = (): void => {
      if (req.complete) return;
      broken = true;
      bb.destroy(new Error('request aborted'));
      settle();
    };
    req.on('error', abandoned);
    req.on('close', abandoned);
    if (req.destroyed) return abandoned();
    req.pipe(bb);
  });
}
