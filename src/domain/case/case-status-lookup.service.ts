import { CaseStatusNotFoundError } from '../shared/domain-error';
import { accessCodesMatch, normalizeAccessCode } from './access-code';
import { CaseProps } from './case';
import { CaseRepository } from './case-repository.port';
import { KIND_TEXT, STATUS_TEXT } from './case-status-text';
import { CaseKind, CaseStatus } from './case-types';
import { parseReference } from './reference-number';

/** What a citizen may learn with reference and access code: the matter's progress, nobody's data. */
export interface CaseStatusView {
  /** The reference asked about (canonical form). */
  reference: string;
  kind: CaseKind;
  kindText: string;
  /** Of the case this one was merged into, when it was merged (that is where the work goes on). */
  status: CaseStatus;
  statusText: string;
  receivedAt: Date;
  dueAt: Date | null;
  answered: boolean;
  answeredAt: Date | null;
  mergedIntoReference: string | null;
}

/** A code compared when the reference is unknown, so both refusals do the same work. */
const DUMMY_CODE = '22222222';
/** Merges form chains only when a target was merged later; a few hops are plenty. */
const MAX_MERGE_HOPS = 5;

/**
 * The public status lookup. An unknown reference, a malformed one and a wrong code all end in
 * the same CaseStatusNotFoundError, so the answer never tells which references exist. The
 * caller rate-limits per client address.
 */
export class CaseStatusLookupService {
  constructor(
    private readonly cases: CaseRepository,
    /** A channel's own handle for the case (a SP4N-LAPOR! tracking ID), accepted in place of the reference. */
    private readonly byChannelHandle: (handle: string) => Promise<string | null> = async () => null,
  ) {}

  async lookup(reference: string, accessCode: string): Promise<CaseStatusView> {
    const parsed = parseReference(reference.slice(0, 64));
    const typed = normalizeAccessCode(accessCode) ?? '';
    const found = parsed ? (await this.cases.findByReference(parsed.reference))?.snapshot() ?? null : await this.byHandle(reference.slice(0, 64));
    const matches = accessCodesMatch(found?.accessCode ?? DUMMY_CODE, typed);
    if (!found || !typed || !matches) throw new CaseStatusNotFoundError();
    const current = await this.followMerges(found);
    const merged = current.id !== found.id;
    const statusText = merged ? `${STATUS_TEXT[current.status]} (digabungkan dengan ${current.reference})` : STATUS_TEXT[current.status];
    return {
      reference: found.reference,
      kind: found.kind,
      kindText: KIND_TEXT[found.kind],
      status: current.status,
      statusText,
      receivedAt: found.receivedAt,
      dueAt: current.dueAt,
      answered: !!current.answer,
      answeredAt: current.answer?.answeredAt ?? null,
      mergedIntoReference: merged ? current.reference : null,
    };
  }

  private async byHandle(handle: string): Promise<CaseProps | null> {
    const id = await this.byChannelHandle(handle);
    return id ? (await this.cases.findById(id))?.snapshot() ?? null : null;
  }

  /** The case the work went on in: this one, or the end of its merge chain. */
  private async followMerges(c: CaseProps): Promise<CaseProps> {
    let current = c;
    for (let hop = 0; hop < MAX_MERGE_HOPS && current.status === 'MERGED' && current.mergedIntoId; hop++) {
      const target = (await this.cases.findById(current.mergedIntoId))?.snapshot();
      if (!target) break;
      current = target;
    }
    return current;
  }
}
