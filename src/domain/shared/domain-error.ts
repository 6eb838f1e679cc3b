/**
 * Every error the core raises on purpose. `code` is stable: clients and the GraphQL error
 * mapping switch on it. Messages are English (they reach logs); they never contain personal data.
 */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'CASE_NOT_FOUND'
  | 'CASE_STATUS_NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'REQUIREMENTS_MISSING'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'CONCURRENT_MODIFICATION'
  | 'CALENDAR_INVALID'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'ACCOUNT_LOCKED'
  | 'RATE_LIMITED'
  | 'TEAM_NOT_FOUND'
  | 'USER_NOT_FOUND'
  | 'ASSIGNEE_NOT_IN_TEAM'
  | 'NO_DRAFT'
  | 'LAPOR_NOT_CONNECTED'
  | 'SERVICE_UNAVAILABLE';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One rejected input field; `field` is the input path, e.g. `requester.nik`. */
export interface FieldProblem {
  field: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
  static single(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class CaseNotFoundError extends DomainError {
  readonly code = 'CASE_NOT_FOUND' as const;
  constructor(what: string) {
    super(`No case found for ${what}`);
  }
}

/** A status lookup whose reference and access code do not go together (or either is unknown). */
export class CaseStatusNotFoundError extends DomainError {
  readonly code = 'CASE_STATUS_NOT_FOUND' as const;
  constructor() {
    super('No case matches this reference and access code');
  }
}

export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION' as const;
  constructor(
    readonly from: string,
    readonly to: string,
    detail?: string,
  ) {
    super(`Cannot move a case from ${from} to ${to}${detail ? `: ${detail}` : ''}`);
  }
}

export class RequirementsMissingError extends DomainError {
  readonly code = 'REQUIREMENTS_MISSING' as const;
  constructor(readonly missing: string[]) {
    super(`Requirements missing: ${missing.join(', ')}`);
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED' as const;
  constructor() {
    super('This idempotency key was already used for a different request');
  }
}

export class ConcurrentModificationError extends DomainError {
  readonly code = 'CONCURRENT_MODIFICATION' as const;
  constructor(caseId: string) {
    super(`Case ${caseId} was changed by someone else; reload and try again`);
  }
}

/** No valid credential: missing, unknown, expired or revoked token, or a failed login. */
export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor(readonly reason: 'MISSING' | 'INVALID' | 'EXPIRED' | 'REVOKED' | 'BAD_LOGIN') {
    super(`Not authenticated (${reason})`);
  }
}

/** Authenticated, but this role may not do this. */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN' as const;
  constructor(readonly operation: string) {
    super(`Not allowed: ${operation}`);
  }
}

/** Too many failed logins: the account waits until `until`. */
export class AccountLockedError extends DomainError {
  readonly code = 'ACCOUNT_LOCKED' as const;
  constructor(readonly until: Date) {
    super(`Account locked until ${until.toISOString()}`);
  }
}

/** Too many requests for this token or address; try again after the given seconds. */
export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED' as const;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} s`);
  }
}

/** No active team with this code (unknown, or deactivated). */
export class TeamNotFoundError extends DomainError {
  readonly code = 'TEAM_NOT_FOUND' as const;
  constructor(readonly team: string) {
    super(`No active team with code ${team}`);
  }
}

/** No active staff user with this id. */
export class UserNotFoundError extends DomainError {
  readonly code = 'USER_NOT_FOUND' as const;
  constructor(readonly userId: string) {
    super(`No active staff user with id ${userId}`);
  }
}

/** A case may be assigned to a person only within their own team. */
export class AssigneeNotInTeamError extends DomainError {
  readonly code = 'ASSIGNEE_NOT_IN_TEAM' as const;
  constructor(
    readonly userId: string,
    readonly team: string,
  ) {
    super(`Staff user ${userId} is not a member of team ${team}`);
  }
}

/** Answering from the draft, but no draft answer was written for the case. */
export class NoDraftError extends DomainError {
  readonly code = 'NO_DRAFT' as const;
  constructor(caseId: string) {
    super(`Case ${caseId} has no draft answer`);
  }
}

/** Posting to SP4N-LAPOR! needs the API (LOKET_LAPOR_URL / LOKET_LAPOR_TOKEN); without it, record the follow-up by hand. */
export class LaporNotConnectedError extends DomainError {
  readonly code = 'LAPOR_NOT_CONNECTED' as const;
  constructor() {
    super('The SP4N-LAPOR! API is not configured');
  }
}

/**
 * A dependency the request needs (the database) is away for now: the request was not carried
 * out and may be retried (with the same idempotency key) after `retryAfterSeconds`.
 */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE' as const;
  constructor(
    readonly retryAfterSeconds = 2,
    options?: { cause?: unknown },
  ) {
    super('A service this request needs is unavailable; retry shortly', options);
  }
}
