import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SKB Menteri Agama No. 1205/2026, Menteri Ketenagakerjaan No. 3/2026 and Menteri PANRB
 * No. 2/2026 of 15 September 2026 on the national holidays and cuti bersama of 2027:
 * 18 libur nasional, 8 cuti bersama.
 *
 * Idulfitri and Iduladha 1448 H may still be moved by a decree of the Minister of Religious
 * Affairs (sidang isbat); an administrator then corrects those days (setNonWorkingDay /
 * removeNonWorkingDay), which moves the open deadlines they touch.
 *
 * A snapshot on purpose: a migration must stay what it was when it ran. A day an administrator
 * already entered for 2027 is kept (ON CONFLICT DO NOTHING): it may be a correction.
 */
export const SKB_2027 = 'SKB 3 Menteri 2027 (Menag 1205/2026, Menaker 3/2026, MenPANRB 2/2026, 15 September 2026)';

export const DAYS_2027: [string, 'NATIONAL_HOLIDAY' | 'CUTI_BERSAMA', string][] = [
  ['2027-01-01', 'NATIONAL_HOLIDAY', 'Tahun Baru 2027 Masehi'],
  ['2027-01-05', 'NATIONAL_HOLIDAY', 'Isra Mikraj Nabi Muhammad SAW 1448 H'],
  ['2027-02-05', 'CUTI_BERSAMA', 'Cuti Bersama Tahun Baru Imlek 2578 Kongzili'],
  ['2027-02-06', 'NATIONAL_HOLIDAY', 'Tahun Baru Imlek 2578 Kongzili'],
  ['2027-03-08', 'NATIONAL_HOLIDAY', 'Hari Suci Nyepi Tahun Baru Saka 1949'],
  ['2027-03-09', 'CUTI_BERSAMA', 'Cuti Bersama Idulfitri 1448 H'],
  ['2027-03-10', 'NATIONAL_HOLIDAY', 'Hari Raya Idulfitri 1448 H'],
  ['2027-03-11', 'NATIONAL_HOLIDAY', 'Hari Raya Idulfitri 1448 H'],
  ['2027-03-12', 'CUTI_BERSAMA', 'Cuti Bersama Idulfitri 1448 H'],
  ['2027-03-15', 'CUTI_BERSAMA', 'Cuti Bersama Idulfitri 1448 H'],
  ['2027-03-25', 'CUTI_BERSAMA', 'Cuti Bersama Wafat Yesus Kristus'],
  ['2027-03-26', 'NATIONAL_HOLIDAY', 'Wafat Yesus Kristus'],
  ['2027-03-28', 'NATIONAL_HOLIDAY', 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2027-05-01', 'NATIONAL_HOLIDAY', 'Hari Buruh Internasional'],
  ['2027-05-06', 'NATIONAL_HOLIDAY', 'Kenaikan Yesus Kristus'],
  ['2027-05-17', 'NATIONAL_HOLIDAY', 'Hari Raya Iduladha 1448 H'],
  ['2027-05-18', 'CUTI_BERSAMA', 'Cuti Bersama Iduladha 1448 H'],
  ['2027-05-19', 'CUTI_BERSAMA', 'Cuti Bersama Hari Raya Waisak 2571 BE'],
  ['2027-05-20', 'NATIONAL_HOLIDAY', 'Hari Raya Waisak 2571 BE'],
  ['2027-06-01', 'NATIONAL_HOLIDAY', 'Hari Lahir Pancasila'],
  ['2027-06-06', 'NATIONAL_HOLIDAY', '1 Muharam Tahun Baru Islam 1449 H'],
  ['2027-08-15', 'NATIONAL_HOLIDAY', 'Maulid Nabi Muhammad SAW'],
  ['2027-08-17', 'NATIONAL_HOLIDAY', 'Proklamasi Kemerdekaan Republik Indonesia'],
  ['2027-12-24', 'CUTI_BERSAMA', 'Cuti Bersama Kelahiran Yesus Kristus'],
  ['2027-12-25', 'NATIONAL_HOLIDAY', 'Kelahiran Yesus Kristus'],
  ['2027-12-26', 'NATIONAL_HOLIDAY', 'Isra Mikraj Nabi Muhammad SAW 1449 H'],
];

/**
 * The 2027 calendar, and 2027 marked covered. Open cases whose deadline reached into 2027 were
 * computed over weekends only (CALENDAR_YEAR_MISSING:2027): this records a calendar change
 * with its recompute still due, which the start-up step does once, in one transaction, with a
 * DEADLINE_MOVED event on each case whose deadline moves (CalendarAdminService.recomputePending).
 */
export class SeedCalendar20271764289410000 implements MigrationInterface {
  name = 'SeedCalendar20271764289410000';

  async up(q: QueryRunner): Promise<void> {
    for (const [date, kind, name] of DAYS_2027) {
      await q.query(`INSERT INTO non_working_days (date, kind, name) VALUES ($1, $2, $3) ON CONFLICT (date) DO NOTHING`, [date, kind, name]);
    }
    await q.query(`INSERT INTO calendar_years (year) VALUES (2027) ON CONFLICT DO NOTHING`);
    // A CTE, because TypeORM's query() answers a bare UPDATE with [rows, count].
    const [bumped] = (await q.query(
      `WITH v AS (UPDATE calendar_settings SET version = version + 1 WHERE id = 1 RETURNING version) SELECT version::text AS version FROM v`,
    )) as { version: string }[];
    await q.query(
      `INSERT INTO calendar_changes (at, actor_id, actor_kind, actor_role, change, calendar_version)
       VALUES (now(), $1, 'SYSTEM', NULL, $2::jsonb, $3)`,
      [`migration:${this.name}`, JSON.stringify({ kind: 'YEAR_IMPORTED', year: 2027, decree: SKB_2027, days: DAYS_2027.length }), bumped?.version ?? '1'],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM calendar_years WHERE year = 2027`);
    await q.query(`DELETE FROM non_working_days WHERE date = ANY($1::date[])`, [DAYS_2027.map(([date]) => date)]);
    await q.query(`UPDATE calendar_settings SET version = version + 1 WHERE id = 1`);
  }
}
