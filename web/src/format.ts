/** Dates as people at the bureau read them: "Senin, 7 Desember 2026 pukul 16.00 WIB" (Asia/Pontianak). */
const ZONE = 'Asia/Pontianak';

const dateTime = new Intl.DateTimeFormat('id-ID', {
  timeZone: ZONE,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const dateOnly = new Intl.DateTimeFormat('id-ID', { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

function parts(f: Intl.DateTimeFormat, d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(d)) if (p.type !== 'literal') out[p.type] = p.value;
  return out;
}

/** Built from the parts, so the shape does not depend on the browser's ICU data for the literals. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value == null) return '–';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '–';
  const p = parts(dateTime, d);
  return `${p.weekday}, ${p.day} ${p.month} ${p.year} pukul ${p.hour}.${p.minute} WIB`;
}

export function formatDate(value: string | Date | null | undefined): string {
  if (value == null) return '–';
  const d = typeof value === 'string' ? new Date(value) : value;
  const p = parts(dateOnly, d);
  return `${p.weekday}, ${p.day} ${p.month} ${p.year}`;
}

/** The office day (YYYY-MM-DD, WIB) of an instant. */
export function officeDay(d: Date): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  return f.format(d);
}

/** Working minutes as "2 hari kerja 3 jam 15 menit" (a working day counted as 8 office hours is NOT assumed: hours only). */
export function formatWorkingMinutes(minutes: number | null | undefined): string {
  if (minutes == null) return '–';
  const late = minutes < 0;
  const m = Math.abs(minutes);
  const h = Math.floor(m / 60);
  const rest = m % 60;
  const text = h > 0 ? `${h} jam ${rest} menit` : `${rest} menit`;
  return late ? `lewat ${text}` : text;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1).replace('.', ',')} KB`;
  return `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}
