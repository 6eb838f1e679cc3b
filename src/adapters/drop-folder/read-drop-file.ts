import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why a drop-folder entry was not read; `null` content means it is not (or no longer) a regular file. */
export type DropFileRead = { content: Buffer } | { content: null; tooLarge: boolean };

/**
 * Reads a file from a drop folder as it is now, not as it was when listed: a symlink put in its
 * place is not followed (it could point at any file the server may read, which would then be
 * served through GET /files), a FIFO or device does not block the pass, and a file that grew
 * past `maxBytes` is not read whole into memory.
 */
export async function readDropFile(full: string, maxBytes: number): Promise<DropFileRead> {
  let handle;
  try {
    handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ELOOP: a symlink; ENXIO: a FIFO without writer; ENOENT: moved away meanwhile.
    if (code === 'ELOOP' || code === 'ENXIO' || code === 'ENOENT') return { content: null, tooLarge: false };
    throw err;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { content: null, tooLarge: false };
    if (st.size > maxBytes) return { content: null, tooLarge: true };
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let read = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, read, buf.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
      if (read === buf.length) return { content: null, tooLarge: true };
    }
    return { content: buf.subarray(0, read) };
  } finally {
    await handle.close();
  }
}
