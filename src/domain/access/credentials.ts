import { Role, Scope } from './roles';

/** An API token as stored: only the hash of the secret, never the secret itself. */
export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  scopes: Scope[];
  team: string | null;
  tokenHash: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: Exclude<Role, 'INTEGRATION'>;
  team: string | null;
  passwordHash: string;
  failedLogins: number;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface Session {
  id: string;
  userId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** An entry of the audit log: who did what to which case's personal data, and why. */
export interface AuditEntry {
  id?: string;
  at: Date;
  actorId: string;
  actorRole: Role;
  action: 'NIK_REVEALED' | 'IDENTITY_VIEWED' | 'IDENTITY_ERASED' | 'TOKEN_CREATED' | 'TOKEN_REVOKED' | 'USER_CREATED' | 'USER_DISABLED' | 'RETENTION_RUN'
    | 'TEAM_CREATED' | 'TEAM_CHANGED' | 'USER_TEAM_SET';
  caseId: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}
