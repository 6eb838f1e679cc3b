import { ApiToken, AuditEntry, LoginAttemptCount, Session, StaffUser } from './credentials';

export interface AccessRepository {
  insertToken(token: ApiToken): Promise<void>;
  findTokenByHash(hash: string): Promise<ApiToken | null>;
  findTokenById(id: string): Promise<ApiToken | null>;
  listTokens(): Promise<ApiToken[]>;
  /** Sets revokedAt unless already revoked; returns the token, or null when unknown. */
  revokeToken(id: string, at: Date): Promise<ApiToken | null>;
  hasActiveAdmin(now: Date): Promise<boolean>;
  /** Revokes the unrevoked tokens created by `createdBy` except the one with `keepHash`; returns their ids. */
  revokeTokensCreatedBy(createdBy: string, keepHash: string | null, at: Date): Promise<string[]>;

  insertUser(user: StaffUser): Promise<void>;
  findUserByUsername(username: string): Promise<StaffUser | null>;
  findUserById(id: string): Promise<StaffUser | null>;
  listUsers(): Promise<StaffUser[]>;

  /*
   * Login attempts, keyed by a hash of the username (known or not) and the client address. Each
   * count is one atomic statement (parallel attempts can never read the same count).
   */
  /**
   * Counts an attempt for (userKey, ip) unless the pair is locked. The attempt that reaches
   * `maxAttempts` locks the pair until `lockUntil` (it is still checked: it is the last allowed);
   * the first attempt after a lock ended starts the count again.
   */
  countLoginAttempt(userKey: string, ip: string, userId: string | null, now: Date, rule: { maxAttempts: number; lockUntil: Date }): Promise<LoginAttemptCount>;
  /**
   * The username's attempts across addresses: the first `threshold` since the count went idle
   * (no attempt since `idleSince`) pass; after that one attempt passes whenever the previous one's
   * wait is over, and sets the next wait to `nextAt`. Refused: allowed false and when to retry.
   */
  takeGlobalLoginAttempt(userKey: string, now: Date, rule: { threshold: number; idleSince: Date; nextAt: Date }): Promise<{ allowed: boolean; retryAt: Date | null }>;
  /** Whether a login for userKey succeeded from this address since `since`. */
  loginSucceededFrom(userKey: string, ip: string, since: Date): Promise<boolean>;
  /** After a successful login: the pair's count and lock are cleared and its success remembered; the global count is cleared. */
  recordLoginSuccess(userKey: string, ip: string, userId: string, now: Date): Promise<void>;
  /** Forgets pairs idle since `idleBefore` whose lock is over and whose last success is older than `successBefore`. */
  pruneLoginAttempts(now: Date, idleBefore: Date, successBefore: Date): Promise<number>;
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
