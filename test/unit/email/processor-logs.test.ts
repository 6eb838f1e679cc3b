import { createHash } from 'node:crypto';
import pino from 'pino';
import { InboundMailProcessor } from '../../../src/adapters/email/inbound-mail.processor';
import { EmailIntakeService } from '../../../src/domain/intake/email-intake.service';
import { FileStore } from '../../../src/domain/files/file-store.port';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('InboundMailProcessor logs no file ids (a raw message id opens the citizen mail through GET /files)', () => {
  it('neither "email processed" nor "email quarantined" carries the raw file id', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
    const files = {
      putMany: async (fs: { content: Buffer; contentType: string }[]) => fs.map((f) => ({ id: sha(f.content), size: f.content.length, contentType: f.contentType })),
    } as unknown as FileStore;
    const intake = {
      handleBatch: async (msgs: unknown[]) => msgs.map(() => ({ ok: true, value: { outcome: 'CREATED', caseId: '00000000-0000-4000-8000-000000000001', reason: null } })),
      quarantine: async () => undefined,
    } as unknown as EmailIntakeService;
    const processor = new InboundMailProcessor(intake, files, { ownAddresses: ['kesra@kalbarprov.go.id'], maxBytes: 1024 * 1024 }, log);
    const good = Buffer.from('From: Warga <warga@example.test>\r\nSubject: Pengaduan\r\nMessage-ID: <a@example.test>\r\n\r\nIsi pengaduan.\r\n');
    const empty = Buffer.from('   \r\n');
    const results = await processor.processBatch([{ raw: good, receivedAt: new Date() }, { raw: empty, receivedAt: new Date() }]);
    expect(results.map((r) => r.ok && r.value.outcome)).toEqual(['CREATED', 'QUARANTINED']);
    const messages = lines.map((l) => JSON.parse(l).msg);
    expect(messages).toEqual(expect.arrayContaining(['email processed', 'email quarantined']));
    for (const id of [sha(good), sha(empty)]) expect(lines.join('\n')).not.toContain(id);
  });
});
