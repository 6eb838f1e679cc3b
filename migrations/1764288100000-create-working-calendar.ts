import { MigrationInterface, QueryRunner } from 'typeorm';

/** The working calendar as data an administrator can correct. */
export class CreateWorkingCalendar1764288100000 implements MigrationInterface {
  name = 'CreateWorkingCalendar1764288100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_settings (
        id integer PRIMARY KEY CHECK (id = 1),
        time_zone text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE office_hours (
        weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start_time text NOT NULL,
        end_time text NOT NULL,
        PRIMARY KEY (weekday, start_time)
      )`);
    await q.query(`
      CREATE TABLE non_working_days (
        date date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('NATIONAL_HOLIDAY', 'CUTI_BERSAMA')),
        name text NOT NULL
      )`);
    await q.query(`CREATE TABLE calendar_years (year integer PRIMARY KEY)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_years`);
    await q.query(`DROP TABLE non_working_days`);
    await q.query(`DROP TABLE office_hours`);
    await q.query(`DROP TABLE calendar_settings`);
  }
}
