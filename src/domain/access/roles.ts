/** Staff roles of the desk, and INTEGRATION for internal tools' tokens. */
export const ROLES = ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN', 'INTEGRATION'] as const;
export type Role = (typeof ROLES)[number];

/** What an INTEGRATION token may do; staff roles do not use scopes. */
export const SCOPES = ['CASES_READ', 'CASES_INTAKE', 'PERSONAL_DATA_READ'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: a staff user (through a login session) or an API token. */
export interface Principal {
  /** User id or token id: what the timeline records as the actor. */
  id: string;
  name: string;
  kind: 'USER' | 'TOKEN';
  role: Role;
  scopes: Scope[];
  /** The handling team of a HANDLER (cases assigned to this team are theirs). */
  team: string | null;
  /** The session or token that authenticated this call (revocation closes its subscriptions). */
  credentialId: string;
  /** When the credential expires (null: never); live connections are closed at that moment. */
  expiresAt?: Date | null;
}
