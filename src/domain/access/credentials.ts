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
  /** The latest end of a login lock on this account from one of the addresses it was tried from. */
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
  action: 'NIK_REVEALED' | 'IDENTITY_VIEWED' | 'IDENTITY_ERASED' | 'TOKEN_CREATED' | 'TOKEN_REVOKED' | 'USER_CREATED' | 'USER_DISABLED' | 'RETENTION_RUN' | 'FILE_DOWNLOADED'
    | 'TEAM_CREATED' | 'TEAM_CHANGED' | 'USER_TEAM_SET';
  caseId: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

/** A login attempt counted for one (username, address) pair before its password is checked. */
export interface LoginAttemptCount {
  /** False while the pair is locked: the attempt was refused and not counted. */
  counted: boolean;
  /** The attempt's number since the pair's last reset (0 when not counted). */
  attempts: number;
  /** The pair's lock: set by this attempt when it was the last one allowed, or the running one. */
  lockedUntil: Date | null;
}
