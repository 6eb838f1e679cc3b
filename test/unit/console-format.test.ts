import path from 'node:path';

/* The console's dates (web/src/format.ts, loaded by path so the server's tsc never compiles web/). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const format = require(path.resolve(__dirname, '..', '..', 'web', 'src', 'format.ts')) as {
  formatDateTime(v: string | Date | null): string;
  formatDate(v: string | Date | null): string;
  formatWorkingMinutes(m: number | null): string;
};

describe('console date format', () => {
  it('writes an instant as the office reads it, in WIB (Asia/Pontianak)', () => {
    expect(format.formatDateTime('2026-12-07T09:00:00Z')).toBe('Senin, 7 Desember 2026 pukul 16.00 WIB');
    expect(format.formatDateTime('2026-12-31T17:05:00Z')).toBe('Jumat, 1 Januari 2027 pukul 00.05 WIB');
    expect(format.formatDateTime(null)).toBe('–');
    expect(format.formatDate('2026-08-17T05:00:00Z')).toBe('Senin, 17 Agustus 2026');
  });

  it('writes working time left in hours and minutes, and time past the deadline as such', () => {
    expect(format.formatWorkingMinutes(179)).toBe('2 jam 59 menit');
    expect(format.formatWorkingMinutes(45)).toBe('45 menit');
    expect(format.formatWorkingMinutes(-90)).toBe('lewat 1 jam 30 menit');
  });
});
