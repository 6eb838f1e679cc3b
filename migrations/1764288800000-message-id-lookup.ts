import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Threading looks Message-IDs up case-insensitively (lower(message_id)); without these
 * indexes every reply read all mail Loket ever received and sent.
 */
export class MessageIdLookup1764288800000 implements MigrationInterface {
  name = 'MessageIdLookup1764288800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX email_messages_message_id`);
    await q.query(`CREATE INDEX email_messages_message_id_lower ON email_messages (lower(message_id)) WHERE message_id IS NOT NULL`);
    await q.query(`CREATE INDEX outgoing_mails_message_id_lower ON outgoing_mails (lower(message_id)) WHERE message_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outgoing_mails_message_id_lower`);
    await q.query(`DROP INDEX email_messages_message_id_lower`);
    await q.query(`CREATE INDEX email_messages_message_id ON email_messages (message_id) WHERE message_id IS NOT NULL`);
  }
}
