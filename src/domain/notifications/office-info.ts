import { OfficeHoursSlot } from '../sla/working-calendar';

/** The office's street address as the service standard (SK 285/OR/2022) gives it. */
export const OFFICE_ADDRESS = 'Jl. Jenderal Ahmad Yani, Bangka Belitung Laut, Kec. Pontianak Tenggara, Kota Pontianak, Kalimantan Barat 78124';

const WEEKDAY = ['', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'] as const;
const ZONE: Readonly<Record<string, string>> = {
  'Asia/Pontianak': 'WIB',
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/** The citizen's status page under the service's public address (LOKET_PUBLIC_URL). */
export function statusPageUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/status`;
}

/**
 * Office hours as people read them, e.g. "Senin s.d. Kamis pukul 07.30–16.00 WIB; Jumat pukul
 * 07.30–16.30 WIB". The standard names no hours, so they come from the working calendar (the
 * same data the deadlines are counted in, corrected by an administrator).
 */
export function formatOfficeHours(slots: readonly OfficeHoursSlot[], timeZone: string): string {
  return officeHoursLines(slots, timeZone).join('; ');
}

/** The same, one line per group of days (a receipt prints them one below the other). */
export function officeHoursLines(slots: readonly OfficeHoursSlot[], timeZone: string): string[] {
  const zone = ZONE[timeZone] ?? timeZone;
  const dayText = (weekday: number): string =>
    slots
      .filter((s) => s.weekday === weekday)
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((s) => `${s.start.replace(':', '.')}–${s.end.replace(':', '.')}`)
      .join(' dan ');
  const groups: { from: number; to: number; text: string }[] = [];
  for (let d = 1; d <= 7; d++) {
    const text = dayText(d);
    if (!text) continue;
    const last = groups[groups.length - 1];
    if (last && last.to === d - 1 && last.text === text) last.to = d;
    else groups.push({ from: d, to: d, text });
  }
  if (groups.length === 0) return ['sesuai hari dan jam kerja kantor'];
  return groups.map((g) => {
    const days = g.from === g.to ? WEEKDAY[g.from] : g.to === g.from + 1 ? `${WEEKDAY[g.from]} dan ${WEEKDAY[g.to]}` : `${WEEKDAY[g.from]} s.d. ${WEEKDAY[g.to]}`;
    return `${days} pukul ${g.text} ${zone}`;
  });
}
