/**
 * What a channel module keeps of a person in tables of its own (numbers, names, message texts,
 * raw deliveries), erased with the person's identity on their cases (on request or by
 * retention). Called before the cases themselves are changed, so a failure leaves the erasure to
 * be repeated; it must be idempotent and keep enough (hashes) to recognise a late retry of what
 * was erased without turning it into a new case.
 */
export interface PersonalDataEraser {
  /** Stable name for logs. */
  readonly name: string;
  eraseForCases(caseIds: string[]): Promise<void>;
}
