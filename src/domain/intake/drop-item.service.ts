import { Actor } from '../case/timeline-event';
import { ValidationError } from '../shared/domain-error';
import { Clock } from '../shared/clock.port';
import { DropItem, DropItemKind, DropItemRepository } from './drop-item';
import { IntakeItem } from './intake-item';
import { IntakeResult, IntakeService } from './intake.service';

const MAX_REASON = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Turns files from the drop folders (scanner, fax server) into cases, or sets them aside.
 * The case (with the file attached) is created through the intake with a dedupe key naming
 * the item, so a retry after a crash between the case and the mark returns the same case.
 */
export class DropItemService {
  constructor(
    private readonly items: DropItemRepository,
    private readonly intake: IntakeService,
    private readonly clock: Clock,
  ) {}

  unregistered(kind: DropItemKind, limit = 200): Promise<DropItem[]> {
    return this.items.unregistered(kind, limit);
  }

  /** A complaint-box scan transcribed by a clerk becomes a case; receivedAt defaults to when the scan arrived. */
  async registerScan(scanId: string, item: IntakeItem, actor: Actor): Promise<IntakeResult> {
    const replay = await this.replayed(scanId, item, actor);
    if (replay) return replay;
    const scan = await this.waiting(scanId, 'SCAN', 'scanId');
    return this.register(scan, prepared(scan, item), actor, 'scanId');
  }

  async discardScan(scanId: string, reason: string, actor: Actor): Promise<DropItem> {
    const text = reason.trim();
    if (!text) throw ValidationError.single('reason', 'must not be empty');
    if (text.length > MAX_REASON) throw ValidationError.single('reason', `must be at most ${MAX_REASON} characters`);
    await this.waiting(scanId, 'SCAN', 'scanId');
    if (!(await this.items.markDiscarded(scanId, text, this.clock.now(), actor.id))) {
      throw ValidationError.single('scanId', 'is no longer waiting to be registered');
    }
    return (await this.items.find(scanId))!;
  }

  /** A fax logged by a clerk, optionally linked to the fax file that the fax server dropped. */
  async logFax(item: IntakeItem, faxItemId: string | null, actor: Actor): Promise<IntakeResult> {
    if (!faxItemId) return this.intake.intake(item, actor);
    const replay = await this.replayed(faxItemId, item, actor);
    if (replay) return replay;
    const fax = await this.waiting(faxItemId, 'FAX', 'faxFileId');
    return this.register(fax, prepared(fax, item), actor, 'faxFileId');
  }

  private async register(d: DropItem, item: IntakeItem, actor: Actor, field: string): Promise<IntakeResult> {
    const result = await this.intake.intake({ ...item, dedupeKey: item.dedupeKey ?? `drop:${d.id}` }, actor, (c) => c.attachFile(d.fileId, d.filename, d.kind));
    if (!(await this.items.markRegistered(d.id, result.case.id, this.clock.now(), actor.id))) {
      // A concurrent call with the same dedupe key registered it to this very case: not an error.
      const now = await this.items.find(d.id);
      if (now?.caseId !== result.case.id) throw ValidationError.single(field, 'is no longer waiting to be registered');
    }
    return result;
  }

  /**
   * A retry of a registration that already succeeded (same idempotency key, which made the
   * case the item is registered to) answers that case again instead of an error.
   */
  private async replayed(id: string, item: IntakeItem, actor: Actor): Promise<IntakeResult | null> {
    if (!item.dedupeKey || !UUID.test(id)) return null;
    const d = await this.items.find(id);
    if (!d || d.status !== 'REGISTERED' || !d.caseId) return null;
    if ((await this.intake.caseIdForKey(item.dedupeKey)) !== d.caseId) return null;
    return this.intake.intake(prepared(d, item), actor);
  }

  private async waiting(id: string, kind: DropItemKind, field: string): Promise<DropItem> {
    const d = UUID.test(id) ? await this.items.find(id) : null;
    if (!d || d.kind !== kind) throw ValidationError.single(field, kind === 'SCAN' ? 'is not a known scan' : 'is not a known fax file');
    if (d.status !== 'UNREGISTERED') throw ValidationError.single(field, `is already ${d.status.toLowerCase()}`);
    return d;
  }
}

/** The intake a drop item makes: a scan is received when it arrived; a fax brings its number and time. */
function prepared(d: DropItem, item: IntakeItem): IntakeItem {
  if (d.kind === 'SCAN') return { ...item, receivedAt: item.receivedAt ?? d.arrivedAt };
  const details = { ...(item.channelDetails ?? {}) };
  if (!details.faxNumber && d.senderNumber) details.faxNumber = d.senderNumber;
  return { ...item, channelDetails: details, receivedAt: item.receivedAt ?? d.faxReceivedAt ?? d.arrivedAt };
}
