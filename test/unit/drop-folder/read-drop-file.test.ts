import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDropFile } from '../../../src/adapters/drop-folder/read-drop-file';

describe('readDropFile: a drop-folder file is read as what it is when opened', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loket-dropread-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file', async () => {
    writeFileSync(path.join(dir, 'a.pdf'), '%PDF-1.4 isi');
    expect((await readDropFile(path.join(dir, 'a.pdf'), 1024)).content?.toString()).toBe('%PDF-1.4 isi');
  });

  it('does not follow a symlink put in place of a file (it could point at any file the server may read)', async () => {
    const secret = path.join(dir, 'rahasia.txt');
    writeFileSync(secret, 'kunci server');
    symlinkSync(secret, path.join(dir, 'SCAN0002.pdf'));
    expect(await readDropFile(path.join(dir, 'SCAN0002.pdf'), 1024)).toEqual({ content: null, tooLarge: false });
  });

  it('does not block on a FIFO', async () => {
    execFileSync('mkfifo', [path.join(dir, 'SCAN0003.pdf')]);
    expect(await readDropFile(path.join(dir, 'SCAN0003.pdf'), 1024)).toEqual({ content: null, tooLarge: false });
  });

  it('does not read a file larger than the limit', async () => {
    writeFileSync(path.join(dir, 'big.pdf'), Buffer.alloc(2048, 0x20));
    expect(await readDropFile(path.join(dir, 'big.pdf'), 1024)).toEqual({ content: null, tooLarge: true });
  });
});
