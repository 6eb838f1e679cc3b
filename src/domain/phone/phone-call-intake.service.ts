import { Actor } from '../case/timeline-event';
import { ValidationError } from '../shared/domain-error';
import { IntakeItem } from '../intake/intake-item';
import { IntakeResult, IntakeService } from '../intake/intake.service';
import { CallRecordRepository } from './call-record-repository.port';

export interface PhoneIntakeResult extends IntakeResult {
  /** False when another case holds the call record (claimed concurrently, or a replayed key naming another call). */
  callRecordLinked: boolean;
}

/**
 * Logs a phone call that names its PBX call record: the record fills in the caller number and
 * the time of the call, and is linked to the case so that it leaves the unlogged calls.
 */
export class PhoneCallIntakeService {
  constructor(
    private readonly intake: IntakeService,
    private readonly records: CallRecordRepository,
  ) {}

  async logCall(item: IntakeItem, callRecordId: string, actor: Actor): Promise<PhoneIntakeResult> {
    const record = await this.records.findById(callRecordId.trim());
    if (!record) throw ValidationError.single('callRecordId', 'is not a known call record');
    // A replay with the same idempotency key returns the case the record is already linked to.
    if (record.caseId && !item.dedupeKey) throw ValidationError.single('callRecordId', 'is already linked to a case');
    const details = { ...(item.channelDetails ?? {}) };
    if (!details.callerNumber && record.callerNumber) details.callerNumber = record.callerNumber;
    const result = await this.intake.intake({ ...item, receivedAt: item.receivedAt ?? record.start, channelDetails: details }, actor);
    // Not atomic with the intake: a retry with the same idempotency key links it then.
    const callRecordLinked = await this.records.linkToCase(record, result.case.id);
    return { ...result, callRecordLinked };
  }
}
