import { normalizePhone } from '../case/requester';
import { ValidationError } from '../shared/domain-error';

/**
 * Refuses phone and fax numbers a clerk typed (`callerNumber`, `faxNumber`) that are not phone
 * numbers, by the rule of the requester's phone (08xx, 628xx, +62..., "(0561) 736541", +country):
 * "halo halo" or "0812-ABCD-7890" is VALIDATION_FAILED naming the field, never echoing the value.
 * Valid numbers are kept as written. Numbers a machine recorded (the PBX's "anonymous" caller, a fax
 * server's sidecar) are not checked here: they fill in only what the clerk left out, as recorded.
 */
export function checkTypedNumbers(numbers: Record<string, string | null | undefined>): void {
  const problems = Object.entries(numbers)
    .filter(([, raw]) => !!raw?.trim() && normalizePhone(raw) === null)
    .map(([field]) => ({ field, message: field === 'faxNumber' ? 'is not a valid fax number' : 'is not a valid phone number' }));
  if (problems.length > 0) throw new ValidationError(problems);
}
