import { MigrationInterface, QueryRunner } from 'typeorm';

// A snapshot on purpose: a migration must stay what it was when it ran.
const DAYS_2026: [string, 'NATIONAL_HOLIDAY' | 'CUTI_BERSAMA', string][] = [
  ['2026-01-01', 'NATIONAL_HOLIDAY', 'Tahun Baru 2026 Masehi'],
  ['2026-01-16', 'NATIONAL_HOLIDAY', "Isra Mi'raj Nabi Muhammad SAW"],
  ['2026-02-16', 'CUTI_BERSAMA', 'Cuti Bersama Tahun Baru Imlek 2577 Kongzili'],
  ['2026-02-17', 'NATIONAL_HOLIDAY', 'Tahun Baru Imlek 2577 Kongzili'],
  ['2026-03-18', 'CUTI_BERSAMA', 'Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1948'],
  ['2026-03-19', 'NATIONAL_HOLIDAY', 'Hari Suci Nyepi Tahun Baru Saka 1948'],
  ['2026-03-20', 'CUTI_BERSAMA', 'Cuti Bersama Idul Fitri 1447 H'],
  ['2026-03-21', 'NATIONAL_HOLIDAY', 'Hari Raya Idul Fitri 1447 H'],
  ['2026-03-22', 'NATIONAL_HOLIDAY', 'Hari Raya Idul Fitri 1447 H'],
  ['2026-03-23', 'CUTI_BERSAMA', 'Cuti Bersama Idul Fitri 1447 H'],
  ['2026-03-24', 'CUTI_BERSAMA', 'Cuti Bersama Idul Fitri 1447 H'],
  ['2026-04-03', 'NATIONAL_HOLIDAY', 'Wafat Yesus Kristus'],
  ['2026-04-05', 'NATIONAL_HOLIDAY', 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2026-05-01', 'NATIONAL_HOLIDAY', 'Hari Buruh Internasional'],
  ['2026-05-14', 'NATIONAL_HOLIDAY', 'Kenaikan Yesus Kristus'],
  ['2026-05-15', 'CUTI_BERSAMA', 'Cuti Bersama Kenaikan Yesus Kristus'],
  ['2026-05-27', 'NATIONAL_HOLIDAY', 'Hari Raya Idul Adha 1447 H'],
  ['2026-05-28', 'CUTI_BERSAMA', 'Cuti Bersama Idul Adha 1447 H'],
  ['2026-05-31', 'NATIONAL_HOLIDAY', 'Hari Raya Waisak 2570 BE'],
  ['2026-06-01', 'NATIONAL_HOLIDAY', 'Hari Lahir Pancasila'],
  ['2026-06-16', 'NATIONAL_HOLIDAY', '1 Muharam Tahun Baru Islam 1448 H'],
  ['2026-08-17', 'NATIONAL_HOLIDAY', 'Proklamasi Kemerdekaan Republik Indonesia'],
  ['2026-08-25', 'NATIONAL_HOLIDAY', 'Maulid Nabi Muhammad SAW'],
  ['2026-12-24', 'CUTI_BERSAMA', 'Cuti Bersama Kelahiran Yesus Kristus'],
  ['2026-12-25', 'NATIONAL_HOLIDAY', 'Kelahiran Yesus Kristus'],
];

/** Office hours (Mon-Thu 07:30-16:00, Fri 07:30-16:30, WIB) and the SKB 3 Menteri 2026 calendar. */
export class SeedCalendar20261764288200000 implements MigrationInterface {
  name = 'SeedCalendar20261764288200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO calendar_settings (id, time_zone) VALUES (1, 'Asia/Pontianak')`);
    await q.query(`
      INSERT INTO office_hours (weekday, start_time, end_time) VALUES
        (1, '07:30', '16:00'), (2, '07:30', '16:00'), (3, '07:30', '16:00'),
        (4, '07:30', '16:00'), (5, '07:30', '16:30')`);
    for (const [date, kind, name] of DAYS_2026) {
      await q.query(`INSERT INTO non_working_days (date, kind, name) VALUES ($1, $2, $3)`, [date, kind, name]);
    }
    await q.query(`INSERT INTO calendar_years (year) VALUES (2026)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM calendar_years WHERE year = 2026`);
    await q.query(`DELETE FROM non_working_days WHERE date BETWEEN '2026-01-01' AND '2026-12-31'`);
    await q.query(`DELETE FROM office_hours`);
    await q.query(`DELETE FROM calendar_settings`);
  }
}
