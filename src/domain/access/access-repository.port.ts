import { ApiToken, AuditEntry, Session, StaffUser } from './credentials';

export interface AccessRepository {
  insertToken(token: ApiToken): Promise<void>;
  findTokenByHash(hash: string): Promise<ApiToken | null>;
  findTokenById(id: string): Promise<ApiToken | null>;
  listTokens(): Promise<ApiToken[]>;
  /** Sets revokedAt unless already revoked; returns the token, or null when unknown. */
  revokeToken(id: string, at: Date): Promise<ApiToken | null>;
  hasActiveAdmin(now: Date): Promise<boolean>;

  insertUser(user: StaffUser): Promise<void>;
  findUserByUsername(username: string): Promise<StaffUser | null>;
  findUserById(id: string): Promise<StaffUser | null>;
  listUsers(): Promise<StaffUser[]>;
  /** Records a login attempt's outcome on the user row. */
  updateLoginState(id: string, failedLogins: number, lockedUntil: Date | null): Promise<void>;
  setUserDisabled(id: string, at: Date | null): Promise<StaffUser | null>;

  insertSession(session: Session): Promise<void>;
  findSessionByHash(hash: string): Promise<Session | null>;
  findSessionById(id: string): Promise<Session | null>;
  revokeSession(id: string, at: Date): Promise<void>;
  revokeSessionsOfUser(userId: string, at: Date): Promise<string[]>;
}

export interface AuditLog {
  record(entries: AuditEntry[]): Promise<void>;
  list(caseId: string | null, first: number, afterId: string | null): Promise<{ entries: AuditEntry[]; hasNextPage: boolean }>;
}

/** argon2id in the adapter; the core only asks to hash and verify. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}
