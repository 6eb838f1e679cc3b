import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
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
const NO_FILE: Refusal = { status: 400, code: 'BAD_USER_INPUT', message: 'Kirim satu berkas di kolom "file" (multipart/form-data)' };

/**
 * POST /files (multipart field `file`): streamed to a temporary file while hashed, checked
 * by size and by its first bytes (PDF, JPEG, PNG, TIFF), then kept in the content-addressed
 * store; answers {"id"}. A refused upload leaves nothing behind. GET /files/{id}: only for
 * callers who may see a case the file belongs to.
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
      res.status(201).json({ id: result.id, size: result.size, contentType: result.contentType });
    } catch (err) {
      next(err);
    }
  });

  router.get('/files/:id', async (req, res, next) => {
    try {
      const p = await principalOr401(req, res);
      if (!p) return;
      let file;
      try {
        file = await o.access.authorizeDownload(p, req.params.id);
      } catch {
        return refuse(res, { status: 403, code: 'FORBIDDEN', message: 'Anda tidak berwenang mengunduh berkas ini' });
      }
      const content = file ? await o.files.get(file.id) : null;
      if (!file || !content) return refuse(res, { status: 404, code: 'FILE_NOT_FOUND', message: 'Berkas tidak ditemukan' });
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

/** Streams the single `file` part to disk, hashing and checking it on the way. */
async function receive(req: Request, o: FileRoutesOptions): Promise<{ id: string; size: number; contentType: string } | Refusal> {
  const tmp = path.join(await o.files.tempDir(), `upload-${randomBytes(8).toString('hex')}`);
  let outcome: Refusal | { sha256: string; size: number; type: string } | null = null;
  await new Promise<void>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: o.maxBytes, fields: 5, parts: 6 } });
    } catch {
      outcome = NO_FILE;
      return resolve();
    }
    let writing: Promise<void> | null = null;
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || writing) {
        stream.resume();
        return;
      }
      const hash = createHash('sha256');
      let size = 0;
      let head = Buffer.alloc(0);
      const out = createWriteStream(tmp, { mode: 0o600 });
      writing = new Promise<void>((done, fail) => {
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (head.length < 4096) head = Buffer.concat([head, chunk]).subarray(0, 4096);
          hash.update(chunk);
        });
        stream.on('limit', () => {
          outcome = TOO_LARGE;
        });
        stream.pipe(out);
        out.on('finish', () => {
          if (!outcome) {
            const type = sniffType(head, info.filename ?? '');
            outcome = size === 0 ? EMPTY : type ? { sha256: hash.digest('hex'), size, type } : WRONG_TYPE;
          }
          done();
        });
        out.on('error', fail);
      });
    });
    bb.on('error', () => {
      outcome ??= NO_FILE;
      resolve();
    });
    bb.on('close', () => {
      (writing ?? Promise.resolve()).then(() => resolve(), reject);
    });
    req.pipe(bb);
  });
  const done = outcome as Refusal | { sha256: string; size: number; type: string } | null;
  if (!done || 'status' in done) {
    await unlink(tmp).catch(() => undefined);
    return done ?? NO_FILE;
  }
  const stored = await o.files.adopt(tmp, done.sha256, done.size, done.type);
  return { id: stored.id, size: stored.size, contentType: stored.contentType };
}
