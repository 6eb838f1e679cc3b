import { Requirements } from '../case/requirements';
import { FieldProblem } from '../shared/domain-error';

/** Requirement ticks as the desk sends them: a boolean and/or the id of the scanned document. */
export type RequirementTicks = { [K in keyof Requirements]?: boolean | null } & { [K in keyof Requirements as `${K}FileId`]?: string | null };

export interface RequirementScan {
  requirement: keyof Requirements;
  fileId: string;
}

/** Names under which a requirement's scan is attached to the case. */
export const REQUIREMENT_FILENAMES: Record<keyof Requirements, string> = {
  assignmentLetter: 'surat-tugas',
  requestLetter: 'surat-permintaan',
  identityDocument: 'tanda-pengenal',
};

/**
 * Splits ticks into requirement changes and scans; a scan ticks its requirement. A scan for a
 * requirement explicitly set to false is contradictory.
 */
export function parseRequirementTicks(input: RequirementTicks | null | undefined, prefix: string): {
  changes: Partial<Requirements>;
  scans: RequirementScan[];
  problems: FieldProblem[];
} {
  const changes: Partial<Requirements> = {};
  const scans: RequirementScan[] = [];
  const problems: FieldProblem[] = [];
  for (const k of Object.keys(REQUIREMENT_FILENAMES) as (keyof Requirements)[]) {
    const ticked = input?.[k];
    const fileId = input?.[`${k}FileId`]?.trim() || null;
    if (ticked !== undefined && ticked !== null) changes[k] = ticked;
    if (fileId) {
      if (ticked === false) problems.push({ field: `${prefix}${k}FileId`, message: `a scan cannot be given for a requirement set to false` });
      changes[k] = true;
      scans.push({ requirement: k, fileId });
    }
  }
  return { changes, scans, problems };
}
