import { carriesIdentity, HIDDEN_ADDRESS, timelineEventFor } from '../../../src/domain/access/timeline-privacy';
import { Principal, Role } from '../../../src/domain/access/roles';
import { TimelineEvent } from '../../../src/domain/case/timeline-event';

const principal = (role: Role, over: Partial<Principal> = {}): Principal => ({
  id: `${role}-1`, name: role, kind: 'USER', role, scopes: [], team: role === 'HANDLER' ? 'tim-1' : null, credentialId: 'c', ...over,
});
const confidentialCase = { assignee: 'tim-1', confidential: true, requesterErasedAt: null };
const event = (type: TimelineEvent['type'], after: Record<string, unknown>): TimelineEvent => ({
  id: '1', caseId: 'c1', type, actor: { id: 'system:email', kind: 'SYSTEM' }, at: new Date(0), before: null, after, text: 'isi pesan',
});

describe('mail addresses on the timeline (identity)', () => {
  const incoming = event('INCOMING_MESSAGE', { channel: 'EMAIL', from: 'budi@example.id', subject: 'Re: bantuan', messageId: '<a@b>' });
  const sent = event('MAIL_SENT', { kind: 'ACKNOWLEDGEMENT', to: 'budi@example.id', messageId: '<c@d>' });
  const bounced = event('DELIVERY_FAILED', { messageId: '<c@d>', reason: '550 5.1.1 <budi@example.id>: Recipient address rejected' });

  it('are hidden from the handler of a confidential case; the matter stays', () => {
    expect(timelineEventFor(principal('HANDLER'), confidentialCase, incoming)).toEqual({ ...incoming, after: { ...incoming.after, from: null } });
    expect(timelineEventFor(principal('HANDLER'), confidentialCase, sent).after).toMatchObject({ to: null, kind: 'ACKNOWLEDGEMENT' });
    const reason = timelineEventFor(principal('HANDLER'), confidentialCase, bounced).after!.reason as string;
    expect(reason).toBe(`550 5.1.1 <${HIDDEN_ADDRESS}>: Recipient address rejected`);
  });

  it('are shown to those who may see the identity, and to a tool only with PERSONAL_DATA_READ', () => {
    for (const role of ['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] as Role[]) expect(timelineEventFor(principal(role), confidentialCase, incoming)).toBe(incoming);
    expect(timelineEventFor(principal('INTEGRATION', { scopes: ['PERSONAL_DATA_READ'] }), confidentialCase, sent)).toBe(sent);
    expect(timelineEventFor(principal('INTEGRATION', { scopes: ['CASES_READ'] }), confidentialCase, sent).after!.to).toBeNull();
  });

  it('are shown to no one once the identity was erased', () => {
    const erased = { ...confidentialCase, requesterErasedAt: new Date(0) };
    expect(timelineEventFor(principal('ADMIN'), erased, incoming).after!.from).toBeNull();
  });

  it('other events pass unchanged, and only events with an address count as carrying identity', () => {
    const note = event('NOTE_ADDED', { whatever: 'budi@example.id' });
    expect(timelineEventFor(principal('HANDLER'), confidentialCase, note)).toBe(note);
    expect([incoming, sent, bounced].every(carriesIdentity)).toBe(true);
    expect(carriesIdentity(note)).toBe(false);
    expect(carriesIdentity(event('INCOMING_MESSAGE', { channel: 'EMAIL', from: null }))).toBe(false);
    expect(carriesIdentity(event('DELIVERY_FAILED', { reason: 'mailbox full' }))).toBe(false);
  });
});
