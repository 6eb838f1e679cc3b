import type { CaseKind, ComplaintClass } from '../case/case-types';
import type { DeadlineCalculator } from './deadline-calculator';
import type { DeadlineResult } from './deadline-result';

/** How long a clock runs: whole working days (>= 1), or office hours (> 0, fractions allowed). */
export type SlaRule =
  | { unit: 'WORKING_DAYS'; amount: number }
  | { unit: 'OFFICE_HOURS'; amount: number };

/** The configurable numbers behind every deadline. */
export interface SlaPolicy {
  informationRequest: SlaRule;
  complaint: Record<ComplaintClass, SlaRule>;
}

/** From the service standard (SK 285/OR/2022) of the Biro Kesra. */
export const DEFAULT_SLA_POLICY: Readonly<SlaPolicy> = Object.freeze({
  informationRequest: Object.freeze({ unit: 'WORKING_DAYS', amount: 3 }),
  complaint: Object.freeze({
    LIGHT: Object.freeze({ unit: 'OFFICE_HOURS', amount: 3 }),
    NORMATIVE: Object.freeze({ unit: 'WORKING_DAYS', amount: 5 }),
    NON_SUPERVISORY: Object.freeze({ unit: 'WORKING_DAYS', amount: 14 }),
    SUPERVISORY: Object.freeze({ unit: 'WORKING_DAYS', amount: 60 }),
  }),
} as const);

export interface DueAtInput {
  kind: CaseKind;
  /** Ignored for information requests; null for a complaint not classified yet. */
  complaintClass: ComplaintClass | null;
  /** Receipt, or the moment the request became complete. */
  clockStart: Date;
}

/**
 * The rule a case is held to. An unclassified complaint gets the LIGHT rule: the service
 * standard holds it to the strictest clock until the officer classifies it.
 */
export function slaRuleFor(policy: SlaPolicy, kind: CaseKind, complaintClass: ComplaintClass | null): SlaRule {
  switch (kind) {
    case 'INFORMATION_REQUEST':
      return policy.informationRequest;
    case 'COMPLAINT':
      return policy.complaint[complaintClass ?? 'LIGHT'];
    default:
      return assertUnreachable(kind);
  }
}

/**
 * The due instant of a case whose clock started at `input.clockStart`.
 * @throws RangeError when the policy's amount is unusable for its unit.
 */
export function computeDueAt(
  calculator: DeadlineCalculator,
  input: DueAtInput,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): DeadlineResult {
  const rule = slaRuleFor(policy, input.kind, input.complaintClass);
  switch (rule.unit) {
    case 'WORKING_DAYS':
      return calculator.addWorkingDays(input.clockStart, rule.amount);
    case 'OFFICE_HOURS':
      if (!(rule.amount > 0)) throw new RangeError(`Office-hours SLA must be > 0, got ${rule.amount}.`);
      return calculator.addOfficeHours(input.clockStart, rule.amount);
    default:
      return assertUnreachable(rule);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
