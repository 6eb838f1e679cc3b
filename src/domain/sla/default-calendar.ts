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

/**
 * National holidays and cuti bersama 2027: SKB Menteri Agama No. 1205/2026, Menteri
 * Ketenagakerjaan No. 3/2026, Menteri PANRB No. 2/2026 (15 September 2026). 18 libur nasional,
 * 8 cuti bersama. Idulfitri and Iduladha may still be moved by the Minister of Religious Affairs.
 * Shipped to databases by migration 1764289410000; administrators may correct it.
 */
export const CALENDAR_2027: readonly NonWorkingDay[] = [
  holiday('2027-01-01', 'Tahun Baru 2027 Masehi'),
  holiday('2027-01-05', 'Isra Mikraj Nabi Muhammad SAW 1448 H'),
  cutiBersama('2027-02-05', 'Cuti Bersama Tahun Baru Imlek 2578 Kongzili'),
  holiday('2027-02-06', 'Tahun Baru Imlek 2578 Kongzili'),
  holiday('2027-03-08', 'Hari Suci Nyepi Tahun Baru Saka 1949'),
  cutiBersama('2027-03-09', 'Cuti Bersama Idulfitri 1448 H'),
  holiday('2027-03-10', 'Hari Raya Idulfitri 1448 H'),
  holiday('2027-03-11', 'Hari Raya Idulfitri 1448 H'),
  cutiBersama('2027-03-12', 'Cuti Bersama Idulfitri 1448 H'),
  cutiBersama('2027-03-15', 'Cuti Bersama Idulfitri 1448 H'),
  cutiBersama('2027-03-25', 'Cuti Bersama Wafat Yesus Kristus'),
  holiday('2027-03-26', 'Wafat Yesus Kristus'),
  holiday('2027-03-28', 'Kebangkitan Yesus Kristus (Paskah)'),
  holiday('2027-05-01', 'Hari Buruh Internasional'),
  holiday('2027-05-06', 'Kenaikan Yesus Kristus'),
  holiday('2027-05-17', 'Hari Raya Iduladha 1448 H'),
  cutiBersama('2027-05-18', 'Cuti Bersama Iduladha 1448 H'),
  cutiBersama('2027-05-19', 'Cuti Bersama Hari Raya Waisak 2571 BE'),
  holiday('2027-05-20', 'Hari Raya Waisak 2571 BE'),
  holiday('2027-06-01', 'Hari Lahir Pancasila'),
  holiday('2027-06-06', '1 Muharam Tahun Baru Islam 1449 H'),
  holiday('2027-08-15', 'Maulid Nabi Muhammad SAW'),
  holiday('2027-08-17', 'Proklamasi Kemerdekaan Republik Indonesia'),
  cutiBersama('2027-12-24', 'Cuti Bersama Kelahiran Yesus Kristus'),
  holiday('2027-12-25', 'Kelahiran Yesus Kristus'),
  holiday('2027-12-26', 'Isra Mikraj Nabi Muhammad SAW 1449 H'),
];

/** The office calendar as shipped: WIB, default office hours, 2026 and 2027 holidays. Fresh copy per call. */
export function defaultCalendar(): WorkingCalendar {
  return {
    timeZone: OFFICE_TIME_ZONE,
    officeHours: DEFAULT_OFFICE_HOURS.map((slot) => ({ ...slot })),
    nonWorkingDays: [...CALENDAR_2026, ...CALENDAR_2027].map((day) => ({ ...day })),
    coveredYears: [2026, 2027],
  };
}
