import type { NonWorkingDay, OfficeHoursSlot, WorkingCalendar } from './working-calendar';

/** The office's zone: WIB, fixed UTC+7. */
export const OFFICE_TIME_ZONE = 'Asia/Pontianak';

/** Common Indonesian government office hours: Mon-Thu 07:30-16:00, Fri 07:30-16:30. */
export const DEFAULT_OFFICE_HOURS: readonly OfficeHoursSlot[] = [
  { weekday: 1, start: '07:30', end: '16:00' },
  { weekday: 2, start: '07:30', end: '16:00' },
  { weekday: 3, start: '07:30', end: '16:00' },
  { weekday: 4, start: '07:30', end: '16:00' },
  { weekday: 5, start: '07:30', end: '16:30' },
];

const holiday = (date: string, name: string): NonWorkingDay => ({ date, kind: 'NATIONAL_HOLIDAY', name });
const cutiBersama = (date: string, name: string): NonWorkingDay => ({ date, kind: 'CUTI_BERSAMA', name });

/** National holidays and cuti bersama 2026 (SKB 3 Menteri). Seed data; administrators may correct it. */
export const CALENDAR_2026: readonly NonWorkingDay[] = [
  holiday('2026-01-01', 'Tahun Baru 2026 Masehi'),
  holiday('2026-01-16', "Isra Mi'raj Nabi Muhammad SAW"),
  cutiBersama('2026-02-16', 'Cuti Bersama Tahun Baru Imlek 2577 Kongzili'),
  holiday('2026-02-17', 'Tahun Baru Imlek 2577 Kongzili'),
  cutiBersama('2026-03-18', 'Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1948'),
  holiday('2026-03-19', 'Hari Suci Nyepi Tahun Baru Saka 1948'),
  cutiBersama('2026-03-20', 'Cuti Bersama Idul Fitri 1447 H'),
  holiday('2026-03-21', 'Hari Raya Idul Fitri 1447 H'),
  holiday('2026-03-22', 'Hari Raya Idul Fitri 1447 H'),
  cutiBersama('2026-03-23', 'Cuti Bersama Idul Fitri 1447 H'),
  cutiBersama('2026-03-24', 'Cuti Bersama Idul Fitri 1447 H'),
  holiday('2026-04-03', 'Wafat Yesus Kristus'),
  holiday('2026-04-05', 'Kebangkitan Yesus Kristus (Paskah)'),
  holiday('2026-05-01', 'Hari Buruh Internasional'),
  holiday('2026-05-14', 'Kenaikan Yesus Kristus'),
  cutiBersama('2026-05-15', 'Cuti Bersama Kenaikan Yesus Kristus'),
  holiday('2026-05-27', 'Hari Raya Idul Adha 1447 H'),
  cutiBersama('2026-05-28', 'Cuti Bersama Idul Adha 1447 H'),
  holiday('2026-05-31', 'Hari Raya Waisak 2570 BE'),
  holiday('2026-06-01', 'Hari Lahir Pancasila'),
  holiday('2026-06-16', '1 Muharam Tahun Baru Islam 1448 H'),
  holiday('2026-08-17', 'Proklamasi Kemerdekaan Republik Indonesia'),
  holiday('2026-08-25', 'Maulid Nabi Muhammad SAW'),
  cutiBersama('2026-12-24', 'Cuti Bersama Kelahiran Yesus Kristus'),
  holiday('2026-12-25', 'Kelahiran Yesus Kristus'),
];

/** The office calendar as shipped: WIB, default office hours, 2026 holidays. Fresh copy per call. */
export function defaultCalendar(): WorkingCalendar {
  return {
    timeZone: OFFICE_TIME_ZONE,
    officeHours: DEFAULT_OFFICE_HOURS.map((slot) => ({ ...slot })),
    nonWorkingDays: CALENDAR_2026.map((day) => ({ ...day })),
    coveredYears: [2026],
  };
}
