/** The three requirements (Persyaratan) of an information request. */
export interface Requirements {
  assignmentLetter: boolean;
  requestLetter: boolean;
  identityDocument: boolean;
}

export const NO_REQUIREMENTS: Requirements = { assignmentLetter: false, requestLetter: false, identityDocument: false };

export function missingRequirements(r: Requirements): (keyof Requirements)[] {
  return (Object.keys(r) as (keyof Requirements)[]).filter((k) => !r[k]);
}

export function isComplete(r: Requirements): boolean {
  return missingRequirements(r).length === 0;
}
