import { Case } from '../../../src/domain/case/case';
import { CaseRepository } from '../../../src/domain/case/case-repository.port';
import { IntakeItem } from '../../../src/domain/intake/intake-item';
import { IntakeService } from '../../../src/domain/intake/intake.service';
import { WaHandled, WhatsAppInboxStore } from '../../../src/domain/whatsapp/whatsapp-inbox.port';
import { WhatsAppIntakeService } from '../../../src/domain/whatsapp/whatsapp-intake.service';
import { WaMessage } from '../../../src/domain/whatsapp/whatsapp-message';
import { caseIn, openComplaint } from '../case/builders';

const NOW = new Date('2026-12-01T03:00:00Z');
const DAY = 86_400_000;
const WINDOW = 30 * DAY;
const FROM = '6281234567890';

/** The service with in-memory cases, conversations and ledger (the rules only, no I/O). */
function setup() {
  const cases = new Map<string, Case>();
  const threads = new Map<string, { caseId: string; lastInboundAt: Date }>();
  const handled: WaHandled[] = [];
  const intakes: IntakeItem[] = [];
  const put = (c: Case): Case => {
    cases.set(c.id, c);
    return c;
  };
  const repo = {
    findById: async (id: string) => cases.get(id) ?? null,
    findByReference: async (ref: string) => [...cases.values()].find((c) => c.snapshot().reference === ref) ?? null,
    saveClaiming: async () => true,
  } as unknown as CaseRepository;
  const intake = {
    caseIdForKey: async () => null,
    intake: async (item: IntakeItem) => {
      intakes.push(item);
      const c = put(openComplaint({ id: `new-${intakes.length}`, reference: `ADU-2026-00010${intakes.length}`, channel: 'WHATSAPP' }));
      return { case: c.snapshot(), created: true };
    },
  } as unknown as IntakeService;
  const store: WhatsAppInboxStore = {
    isHandled: async (wamid) => handled.some((h) => h.wamid === wamid),
    threadOf: async (waId) => threads.get(waId) ?? null,
    recordHandled: async (h) => {
      handled.push(h);
      if (h.thread) threads.set(h.thread.waId, { caseId: h.thread.caseId, lastInboundAt: h.thread.at });
    },
    caseOfSentMessage: async () => null,
  };
  const service = new WhatsAppIntakeService(intake, repo, store, { now: () => NOW }, { threadWindowMs: WINDOW, statusPageUrl: 'https://loket.example.id/status' });
  let seq = 0;
  const msg = (over: Partial<WaMessage> = {}): WaMessage => ({
    wamid: `wamid.T${++seq}`, waId: FROM, profileName: 'Siti Aminah', at: NOW, type: 'text', role: 'CONTENT', text: 'Bantuan belum cair', media: null, ...over,
  });
  return { service, cases, threads, handled, intakes, put, msg };
}

describe('WhatsApp threading: reference, open conversation, or a new case', () => {
  it('makes a new confidential WHATSAPP complaint with the number and profile name, acknowledged to the sender', async () => {
    const t = setup();
    const m = t.msg({ text: 'Bantuan PKH saya belum cair sejak Agustus' });
    expect(await t.service.handleMessage(m, 'd1')).toBe('CREATED');
    expect(t.intakes[0]).toMatchObject({
      kind: 'COMPLAINT', channel: 'WHATSAPP', confidential: true, subject: 'WhatsApp: Bantuan PKH saya belum cair sejak Agustus',
      description: 'Bantuan PKH saya belum cair sejak Agustus', receivedAt: NOW,
      requester: { name: 'Siti Aminah', phone: '+6281234567890' }, channelDetails: { whatsappMessageId: m.wamid }, dedupeKey: `whatsapp:${m.wamid}`,
    });
    const h = t.handled[0];
    expect(h).toMatchObject({ wamid: m.wamid, deliveryId: 'd1', outcome: 'CREATED', caseId: 'new-1', thread: { waId: FROM, caseId: 'new-1', at: NOW } });
    expect(h.acknowledgement).toMatchObject({ caseId: 'new-1', toWaId: FROM });
    expect(h.acknowledgement?.text).toContain('ADU-2026-000101');
  });

  it('joins the case whose reference is in the text, from any number, without a conversation', async () => {
    const t = setup();
    const known = t.put(openComplaint({ id: 'known', reference: 'ADU-2026-000123', channel: 'WALK_IN' }));
    expect(await t.service.handleMessage(t.msg({ waId: '6289999999999', text: 'Perkembangan adu-2026-000123?' }), 'd1')).toBe('JOINED');
    expect(t.intakes).toHaveLength(0);
    expect(t.handled[0]).toMatchObject({ outcome: 'JOINED', caseId: known.id, acknowledgement: null, thread: { waId: '6289999999999', caseId: 'known' } });
    expect(known.pendingEvents().filter((e) => e.type === 'INCOMING_MESSAGE').map((e) => e.text)).toEqual(['Perkembangan adu-2026-000123?']);
  });

  it('a reference that names no case falls back to the conversation or a new case', async () => {
    const t = setup();
    expect(await t.service.handleMessage(t.msg({ text: 'Nomor ADU-2026-999999' }), 'd1')).toBe('CREATED');
  });

  it('joins the open case of the number within the window (measured from its last message), else starts a new case', async () => {
    const t = setup();
    t.put(openComplaint({ id: 'open', reference: 'ADU-2026-000050', channel: 'WHATSAPP' }));
    t.threads.set(FROM, { caseId: 'open', lastInboundAt: new Date(NOW.getTime() - WINDOW) });
    expect(await t.service.handleMessage(t.msg(), 'd1')).toBe('JOINED'); // exactly at the window's end
    expect(t.handled[0].caseId).toBe('open');
    expect(t.threads.get(FROM)?.lastInboundAt).toEqual(NOW); // the window starts again

    t.threads.set(FROM, { caseId: 'open', lastInboundAt: new Date(NOW.getTime() - WINDOW - 1) });
    expect(await t.service.handleMessage(t.msg(), 'd2')).toBe('CREATED');
    expect(t.threads.get(FROM)?.caseId).toBe('new-1');
  });

  it.each(['CLOSED', 'REJECTED', 'MERGED'] as const)('does not join a %s case of the number: a new case', async (status) => {
    const t = setup();
    t.put(caseIn(status, { id: 'done' }));
    t.threads.set(FROM, { caseId: 'done', lastInboundAt: NOW });
    expect(await t.service.handleMessage(t.msg(), 'd1')).toBe('CREATED');
  });

  it('a sticker, reaction or system notice only notes a known case; from a stranger it is ignored, no case', async () => {
    const t = setup();
    expect(await t.service.handleMessage(t.msg({ type: 'sticker', role: 'NOTE', text: '[Stiker]' }), 'd1')).toBe('IGNORED');
    expect(t.intakes).toHaveLength(0);
    expect(t.handled[0]).toMatchObject({ outcome: 'IGNORED', caseId: null, thread: null, acknowledgement: null });
    const c = t.put(openComplaint({ id: 'open', channel: 'WHATSAPP' }));
    t.threads.set(FROM, { caseId: 'open', lastInboundAt: NOW });
    expect(await t.service.handleMessage(t.msg({ type: 'reaction', role: 'NOTE', text: '[Reaksi]' }), 'd2')).toBe('NOTED');
    expect(c.pendingEvents().filter((e) => e.type === 'NOTE_ADDED').map((e) => e.text)).toEqual(['[Reaksi]']);
  });

  it('a message handled before (by wamid) changes nothing', async () => {
    const t = setup();
    const m = t.msg();
    await t.service.handleMessage(m, 'd1');
    expect(await t.service.handleMessage(m, 'd2')).toBe('IGNORED');
    expect(t.intakes).toHaveLength(1);
    expect(t.handled).toHaveLength(1);
  });

  it('downloads media of a content message on its case, never a sticker', async () => {
    const t = setup();
    const media = { mediaId: 'm1', kind: 'image' as const, mimeType: 'image/jpeg', sha256: null, filename: null };
    await t.service.handleMessage(t.msg({ type: 'image', media }), 'd1');
    expect(t.handled[0].media).toEqual(media);
    await t.service.handleMessage(t.msg({ type: 'sticker', role: 'NOTE', media: { ...media, kind: 'sticker' } }), 'd2');
    expect(t.handled[1]).toMatchObject({ outcome: 'NOTED', media: null });
  });
});
