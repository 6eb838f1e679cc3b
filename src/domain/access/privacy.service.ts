import { Case } from '../case/case';
import { CaseRepository } from '../case/case-repository.port';
import { Clock } from '../shared/clock.port';
import { CaseNotFoundError, ForbiddenError, ValidationError } from '../shared/domain-error';
import { retryOnConflict } from '../case/retry-on-conflict';
import { AuditLog } from './access-repository.port';
import { MailTraces } from './mail-traces.port';
import { FileStore } from '../files/file-store.port';
import { AuditEntry } from './credentials';
import { maySeeCase, maySeeIdentity } from './access-policy';
import { actorOf } from './access.service';
import { Principal } from './roles';
import { PersonalDataEraser } from './personal-data-eraser.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RETENTION_BATCH = 200;
/** Largest page of the audit log. */
export const MAX_AUDIT_PAGE_SIZE = 200;

/**
 * Personal data under UU 27/2022: reveals of a NIK and views of an identity are audited,
 * a person's identity can be erased from all their cases (with the raw mail received from them
 * and the mail sent to them), and a retention setting anonymizes requesters of long-finished
 * cases. Cases, their matter and statistics remain. What channel modules keep in tables of their
 * own is erased through their `PersonalDataEraser`s.
 */
export class PrivacyService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly mail: MailTraces,
    private readonly files: Pick<FileStore, 'erase'>,
    /** The channel modules' erasers of their own records. */
    private readonly erasers: PersonalDataEraser[] = [],
  ) {}

  /** The full NIK of a case's requester, for a stated reason; the reveal is audited. */
  async revealNik(p: Principal, caseId: string, reason: string): Promise<string | null> {
    const why = reason?.trim() ?? '';
    if (why.length < 5 || why.length > 500) throw ValidationError.single('reason', 'must be 5 to 500 characters');
    const c = await this.load(caseId);
    const props = c.snapshot();
    if (!maySeeCase(p, props) || !maySeeIdentity(p, props)) throw new ForbiddenError('Mutation.revealNik');
    const nik = props.requester?.nik ?? null;
    await this.audit.record([{ at: this.clock.now(), actorId: actorOf(p).id, actorRole: p.role, action: 'NIK_REVEALED', caseId, reason: why, details: { found: nik !== null } }]);
    return nik;
  }

  /** A page of the audit log (all, or one case's), oldest first. */
  async auditLog(caseId: string | null, first: number | null, after: string | null): Promise<{ entries: AuditEntry[]; hasNextPage: boolean }> {
    const size = first ?? 50;
    if (!Number.isInteger(size) || size < 1 || size > MAX_AUDIT_PAGE_SIZE) throw ValidationError.single('first', `must be between 1 and ${MAX_AUDIT_PAGE_SIZE}`);
    if (after && !/^\d{1,19}$/.test(after)) throw ValidationError.single('after', 'is not a valid cursor');
    if (caseId && !UUID.test(caseId)) throw ValidationError.single('caseId', 'is not a case id');
    return this.audit.list(caseId, size, after);
  }

  /** Records that `p` was shown the identity on these cases (one entry per case). */
  async recordIdentityViews(p: Principal, caseIds: string[]): Promise<void> {
    const at = this.clock.now();
    const actorId = actorOf(p).id;
    await this.audit.record([...new Set(caseIds)].map((caseId) => ({ at, actorId, actorRole: p.role, action: 'IDENTITY_VIEWED' as const, caseId, reason: null, details: null })));
  }

  /**
   * Erases the identity of the requester of `caseId` from every case of that person (same NIK,
   * email or phone). Returns the number of cases changed.
   */
  async eraseRequester(p: Principal, caseId: string, reason: string): Promise<number> {
    const why = reason?.trim() ?? '';
    if (why.length < 5 || why.length > 500) throw ValidationError.single('reason', 'must be 5 to 500 characters');
    const origin = (await this.load(caseId)).snapshot();
    const r = origin.requester;
    const targets = r && (r.nik || r.email || r.phone) ? await this.cases.findByRequester({ nik: r.nik, email: r.email, phone: r.phone }) : [];
    if (!targets.some((t) => t.id === caseId)) targets.push(await this.load(caseId));
    await this.eraseChannelData(targets.map((t) => t.id));
    let changed = 0;
    for (const t of targets) changed += (await this.eraseOne(t.id, 'REQUEST', p)) ? 1 : 0;
    await this.audit.record([{ at: this.clock.now(), actorId: actorOf(p).id, actorRole: p.role, action: 'IDENTITY_ERASED', caseId, reason: why, details: { cases: changed } }]);
    return changed;
  }

  /** Anonymizes requesters of cases finished more than `months` months ago. */
  async runRetention(months: number): Promise<number> {
    if (!Number.isInteger(months) || months < 1) throw ValidationError.single('months', 'must be a whole number of months, at least 1');
    const now = this.clock.now();
    const before = new Date(now);
    before.setUTCMonth(before.getUTCMonth() - months);
    const system: Principal = { id: 'retention', name: 'retention', kind: 'TOKEN', role: 'ADMIN', scopes: [], team: null, credentialId: 'system' };
    let total = 0;
    for (;;) {
      const batch = await this.cases.findForRetention(before, RETENTION_BATCH);
      await this.eraseChannelData(batch.map((c) => c.id));
      let changed = 0;
      for (const c of batch) changed += (await this.eraseOne(c.id, 'RETENTION', system)) ? 1 : 0;
      total += changed;
      if (batch.length < RETENTION_BATCH || changed === 0) break;
    }
    if (total > 0) {
      await this.audit.record([{ at: now, actorId: 'system:retention', actorRole: 'ADMIN', action: 'RETENTION_RUN', caseId: null, reason: `older than ${months} months`, details: { cases: total } }]);
    }
    return total;
  }

  /** The channel modules' own records of these cases' requester; before the cases change, so a failure is repeated. */
  private async eraseChannelData(caseIds: string[]): Promise<void> {
    if (caseIds.length === 0) return;
    for (const e of this.erasers) await e.eraseForCases([...new Set(caseIds)]);
  }

  private async eraseOne(caseId: string, reason: 'REQUEST' | 'RETENTION', p: Principal): Promise<boolean> {
    const actor = reason === 'RETENTION' ? { id: 'system:retention', kind: 'SYSTEM' as const } : actorOf(p);
    // What the mail channel keeps goes first: the raw messages (they carry name and address)
    // and the mails sent to the person. Repeating this is harmless; the case change records it.
    for (const fileId of await this.mail.forgetCase(caseId)) await this.files.erase(fileId);
    return retryOnConflict(async () => {
      const c = await this.load(caseId);
      if (!c.eraseRequester(reason, actor, this.clock.now())) return false;
      await this.cases.save([c]);
      return true;
    });
  }

  private async load(caseId: string): Promise<Case> {
    const c = UUID.test(caseId) ? await this.cases.findById(caseId) : null;
    if (!c) throw new CaseNotFoundError(`id ${caseId}`);
    return c;
  }
}
