import { CaseProps } from '../case/case';
import { ForbiddenError } from '../shared/domain-error';
import { Principal, Role, Scope } from './roles';

/** Who may call an operation: staff roles, and the scope an INTEGRATION token needs. */
export interface OperationRule {
  roles: Role[];
  scope?: Scope;
  /** Callable without any credential (login, and the citizen's status lookup). */
  public?: boolean;
}

const READERS: Role[] = ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN', 'INTEGRATION'];
const STAFF: Role[] = ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN'];
const INTAKE: Role[] = ['CLERK', 'COMPLAINT_OFFICER', 'INTEGRATION'];

/**
 * The one permission matrix: every GraphQL root operation by name. An operation that is not
 * listed is denied to everyone (default deny); a test walks the schema against this table.
 */
export const OPERATION_RULES: Readonly<Record<string, OperationRule>> = {
  'Query.case': { roles: READERS, scope: 'CASES_READ' },
  'Query.cases': { roles: READERS, scope: 'CASES_READ' },
  'Query.workingCalendar': { roles: READERS, scope: 'CASES_READ' },
  'Query.calendarAlarm': { roles: READERS, scope: 'CASES_READ' },
  'Query.calendarChanges': { roles: ['SUPERVISOR', 'ADMIN'] },
  'Query.me': { roles: [...STAFF, 'INTEGRATION'] },
  'Query.apiTokens': { roles: ['ADMIN'] },
  'Query.staffUsers': { roles: ['ADMIN'] },
  'Query.auditLog': { roles: ['SUPERVISOR', 'ADMIN'] },
  'Query.emailInboxStatus': { roles: ['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] },
  'Query.whatsappChannelStatus': { roles: ['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] },
  'Query.quarantinedEmails': { roles: ['COMPLAINT_OFFICER', 'ADMIN'] },
  'Query.guestBook': { roles: ['CLERK', 'COMPLAINT_OFFICER', 'SUPERVISOR'] },
  'Query.unregisteredScans': { roles: ['CLERK', 'COMPLAINT_OFFICER'] },
  'Query.unregisteredFaxes': { roles: ['CLERK', 'COMPLAINT_OFFICER'] },
  'Query.unloggedCalls': { roles: ['CLERK', 'COMPLAINT_OFFICER', 'SUPERVISOR'] },
  'Query.scheduledJobs': { roles: ['SUPERVISOR', 'ADMIN'] },
  // The citizen's lookup with reference + access code: no credential, rate-limited per address.
  'Query.caseStatus': { roles: [], public: true },
  'Query.teams': { roles: ['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] },
  // Reports (and GET /reports/cases.csv, mayReadReports): supervisors and admins.
  'Query.caseStatistics': { roles: ['SUPERVISOR', 'ADMIN'] },
  'Query.laporChannelStatus': { roles: ['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] },
  'Query.quarantinedLaporReports': { roles: ['COMPLAINT_OFFICER', 'ADMIN'] },

  'Mutation.logPhoneCall': { roles: INTAKE, scope: 'CASES_INTAKE' },
  'Mutation.logFax': { roles: INTAKE, scope: 'CASES_INTAKE' },
  'Mutation.logWalkIn': { roles: INTAKE, scope: 'CASES_INTAKE' },
  'Mutation.registerComplaintBoxEntry': { roles: INTAKE, scope: 'CASES_INTAKE' },
  'Mutation.recordComplaintBoxOpening': { roles: ['CLERK', 'COMPLAINT_OFFICER'] },
  'Mutation.recordVisit': { roles: ['CLERK'] },
  'Mutation.registerScan': { roles: ['CLERK', 'COMPLAINT_OFFICER'] },
  'Mutation.discardScan': { roles: ['CLERK', 'COMPLAINT_OFFICER'] },
  'Mutation.classifyComplaint': { roles: ['COMPLAINT_OFFICER'] },
  'Mutation.updateRequirements': { roles: ['CLERK', 'COMPLAINT_OFFICER'] },
  'Mutation.assignCase': { roles: ['COMPLAINT_OFFICER', 'SUPERVISOR'] },
  'Mutation.addNote': { roles: ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR'] },
  'Mutation.draftAnswer': { roles: ['COMPLAINT_OFFICER', 'HANDLER'] },
  'Mutation.answerCase': { roles: ['CLERK', 'COMPLAINT_OFFICER'] },
  'Mutation.closeCase': { roles: ['CLERK', 'COMPLAINT_OFFICER'] },
  'Mutation.rejectCase': { roles: ['COMPLAINT_OFFICER', 'SUPERVISOR'] },
  'Mutation.mergeCases': { roles: ['COMPLAINT_OFFICER', 'SUPERVISOR'] },
  // Handlers only on their team's cases (assertMayWork).
  'Mutation.pauseCase': { roles: ['COMPLAINT_OFFICER', 'HANDLER'] },
  'Mutation.resumeCase': { roles: ['COMPLAINT_OFFICER', 'HANDLER'] },
  'Mutation.revealNik': { roles: ['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] },
  'Mutation.eraseRequester': { roles: ['ADMIN'] },
  'Mutation.setNonWorkingDay': { roles: ['ADMIN'] },
  'Mutation.removeNonWorkingDay': { roles: ['ADMIN'] },
  'Mutation.setCalendarYearCovered': { roles: ['ADMIN'] },
  'Mutation.setOfficeHours': { roles: ['ADMIN'] },
  'Mutation.createApiToken': { roles: ['ADMIN'] },
  'Mutation.revokeApiToken': { roles: ['ADMIN'] },
  'Mutation.createStaffUser': { roles: ['ADMIN'] },
  'Mutation.setStaffUserDisabled': { roles: ['ADMIN'] },
  'Mutation.createTeam': { roles: ['ADMIN'] },
  'Mutation.renameTeam': { roles: ['ADMIN'] },
  'Mutation.setTeamActive': { roles: ['ADMIN'] },
  'Mutation.setUserTeam': { roles: ['ADMIN'] },
  'Mutation.reprocessQuarantinedEmail': { roles: ['COMPLAINT_OFFICER', 'ADMIN'] },
  'Mutation.discardQuarantinedEmail': { roles: ['COMPLAINT_OFFICER', 'ADMIN'] },
  'Mutation.importCallRecords': { roles: ['CLERK', 'COMPLAINT_OFFICER', 'ADMIN'] },
  // SP4N-LAPOR!: the complaint officer works the LAPOR! admin page.
  'Mutation.logLaporReport': { roles: ['COMPLAINT_OFFICER'] },
  'Mutation.recordLaporFollowUp': { roles: ['COMPLAINT_OFFICER'] },
  'Mutation.postLaporFollowUp': { roles: ['COMPLAINT_OFFICER'] },
  'Mutation.login': { roles: [], public: true },
  'Mutation.logout': { roles: STAFF },

  'Subscription.caseCreated': { roles: READERS, scope: 'CASES_READ' },
  'Subscription.caseEvents': { roles: READERS, scope: 'CASES_READ' },
  'Subscription.slaAlerts': { roles: READERS, scope: 'CASES_READ' },
};

/** Fields every authenticated caller may select at the root (GraphQL's own). */
const META_FIELDS = new Set(['__typename', '__schema', '__type']);

export function isPublicOperation(operation: string): boolean {
  return OPERATION_RULES[operation]?.public === true;
}

/** True when `p` may call the root operation named `Type.field`. */
export function mayCall(p: Principal, operation: string): boolean {
  if (META_FIELDS.has(operation.split('.')[1] ?? '')) return true;
  const rule = OPERATION_RULES[operation];
  if (!rule) return false;
  if (rule.public) return true;
  if (!rule.roles.includes(p.role)) return false;
  // A tool needs the rule's scope; rules without one (such as `me`) need only the role.
  if (p.role === 'INTEGRATION') return !rule.scope || p.scopes.includes(rule.scope);
  return true;
}

export function assertMayCall(p: Principal, operation: string): void {
  if (!mayCall(p, operation)) throw new ForbiddenError(operation);
}

/** Handlers work only the cases assigned to their team. */
export function maySeeCase(p: Principal, c: Pick<CaseProps, 'assignee'>): boolean {
  if (p.role !== 'HANDLER') return true;
  return !!p.team && c.assignee === p.team;
}

/**
 * Confidentiality of complainants: the identity of a confidential case (every complaint
 * unless the complainant agreed otherwise) is shown only to complaint officers, supervisors
 * and admins; handlers see the matter, not the person; tools need the personal-data scope.
 */
export function maySeeIdentity(p: Principal, c: Pick<CaseProps, 'assignee' | 'confidential'>): boolean {
  switch (p.role) {
    case 'ADMIN':
    case 'SUPERVISOR':
    case 'COMPLAINT_OFFICER':
      return true;
    case 'INTEGRATION':
      return p.scopes.includes('PERSONAL_DATA_READ');
    case 'CLERK':
      return !c.confidential;
    case 'HANDLER':
      return !c.confidential && maySeeCase(p, c);
    default:
      return false;
  }
}

/**
 * The case's access code is the citizen's key to its status. Those who talk to the citizen see
 * it (the desk reads it to a caller, prints it on the receipt): clerks, complaint officers,
 * supervisors and admins. Handlers work the matter and never the contact with the person, so
 * they do not; a tool needs the personal-data scope, as a tool that writes to citizens does.
 * It applies to cases the caller may see at all.
 */
export function mayReadAccessCode(p: Principal): boolean {
  switch (p.role) {
    case 'CLERK':
    case 'COMPLAINT_OFFICER':
    case 'SUPERVISOR':
    case 'ADMIN':
      return true;
    case 'INTEGRATION':
      return p.scopes.includes('PERSONAL_DATA_READ');
    case 'HANDLER':
      return false;
    default:
      return false;
  }
}

/** Clerks (petugas informasi) answer and close information requests, not complaints. */
export function assertMayWork(p: Principal, operation: string, c: Pick<CaseProps, 'kind' | 'assignee'>): void {
  if (!maySeeCase(p, c)) throw new ForbiddenError(operation);
  if (p.role === 'CLERK' && ['Mutation.answerCase', 'Mutation.closeCase'].includes(operation) && c.kind !== 'INFORMATION_REQUEST') {
    throw new ForbiddenError(operation);
  }
}

/**
 * Who may upload files through POST /files: intake (scans, faxes, call records) and handlers,
 * whose drafted answers carry letters; an upload is its uploader's alone until it is on a case.
 */
export function mayUploadFiles(p: Principal): boolean {
  if (p.role === 'INTEGRATION') return p.scopes.includes('CASES_INTAKE');
  return ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'ADMIN'].includes(p.role);
}

/** Reports on how the bureau keeps its promises (caseStatistics, GET /reports/cases.csv): supervisors and admins. */
export function mayReadReports(p: Principal): boolean {
  return mayCall(p, 'Query.caseStatistics');
}
