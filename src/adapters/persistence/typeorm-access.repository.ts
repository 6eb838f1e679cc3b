import { DataSource } from 'typeorm';
import { AccessRepository, AuditLog } from '../../domain/access/access-repository.port';
import { ApiToken, AuditEntry, LoginAttemptCount, Session, StaffUser } from '../../domain/access/credentials';
import { Role, Scope } from '../../domain/access/roles';
import { TeamNotFoundError } from '../../domain/shared/domain-error';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw rows, mapped right below
const d = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

const toToken = (r: Row): ApiToken => ({
  id: r.id, name: r.name, role: r.role as Role, scopes: (r.scopes ?? []) as Scope[], team: r.team, tokenHash: r.token_hash,
  createdBy: r.created_by, createdAt: d(r.created_at)!, expiresAt: d(r.expires_at), revokedAt: d(r.revoked_at),
});
const toUser = (r: Row): StaffUser => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, team: r.team, passwordHash: r.password_hash,
  lockedUntil: d(r.locked_until), disabledAt: d(r.disabled_at), createdAt: d(r.created_at)!,
});
/** A user row with its lock: the latest one from any address (rows with ip '*' are the global slow-down). */
const USER_COLUMNS = `u.*, (SELECT max(a.locked_until) FROM login_attempts a WHERE a.user_id = u.id AND a.ip <> '*') AS locked_until`;
/** The pseudo-address of a username's count across all addresses. */
const ALL_ADDRESSES = '*';
const toSession = (r: Row): Session => ({
  id: r.id, userId: r.user_id, tokenHash: r.token_hash, createdAt: d(r.created_at)!, expiresAt: d(r.expires_at)!, revokedAt: d(r.revoked_at),
});
const iso = (v: Date | null): string | null => v?.toISOString() ?? null;
/** Guards an INSERT ... SELECT whose 5th parameter is the team: none, or an active one. */
const ACTIVE_TEAM_OR_NONE = `($5::text IS NULL OR EXISTS (SELECT 1 FROM teams WHERE code = $5::text AND active))`;

/** Tokens, users, login attempts and sessions. Bare UPDATEs go through CTEs: TypeORM answers them with [rows, count]. */
export class TypeormAccessRepository implements AccessRepository {
  constructor(private readonly ds: DataSource) {}

  private async rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.ds.query(sql, params)) as Row[];
  }

  /** TEAM_NOT_FOUND when the token names a team that does not exist or is deactivated. */
  async insertToken(t: ApiToken): Promise<void> {
    const inserted = await this.rows(
      `WITH i AS (INSERT INTO api_tokens (id, name, role, scopes, team, token_hash, created_by, created_at, expires_at, revoked_at)
       SELECT $1::uuid, $2, $3, $4::text[], $5::text, $6, $7, $8::timestamptz, $9::timestamptz, $10::timestamptz
       WHERE ${ACTIVE_TEAM_OR_NONE}
       ON CONFLICT (token_hash) DO NOTHING RETURNING id) SELECT id FROM i`, // two instances bootstrapping the same secret at once
      [t.id, t.name, t.role, t.scopes, t.team, t.tokenHash, t.createdBy, t.createdAt.toISOString(), iso(t.expiresAt), iso(t.revokedAt)],
    );
    if (inserted.length === 0 && t.team !== null && !(await this.activeTeam(t.team))) throw new TeamNotFoundError(t.team);
  }

  private async activeTeam(code: string): Promise<boolean> {
    return (await this.rows(`SELECT 1 FROM teams WHERE code = $1 AND active`, [code])).length > 0;
  }

  async findTokenByHash(hash: string): Promise<ApiToken | null> {
    const [r] = await this.rows(`SELECT * FROM api_tokens WHERE token_hash = $1`, [hash]);
    return r ? toToken(r) : null;
  }

  async findTokenById(id: string): Promise<ApiToken | null> {
    const [r] = await this.rows(`SELECT * FROM api_tokens WHERE id = $1::uuid`, [id]);
    return r ? toToken(r) : null;
  }

  async listTokens(): Promise<ApiToken[]> {
    return (await this.rows(`SELECT * FROM api_tokens ORDER BY created_at, id`)).map(toToken);
  }

  async revokeToken(id: string, at: Date): Promise<ApiToken | null> {
    await this.ds.query(
      `WITH u AS (UPDATE api_tokens SET revoked_at = $2::timestamptz WHERE id = $1::uuid AND revoked_at IS NULL RETURNING id) SELECT id FROM u`,
      [id, at.toISOString()],
    );
    return this.findTokenById(id);
  }

  async hasActiveAdmin(now: Date): Promise<boolean> {
    const [r] = await this.rows(
      `SELECT (EXISTS (SELECT 1 FROM api_tokens WHERE role = 'ADMIN' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1::timestamptz))
            OR EXISTS (SELECT 1 FROM staff_users WHERE role = 'ADMIN' AND disabled_at IS NULL)) AS present`,
      [now.toISOString()],
    );
    return r?.present === true;
  }

  async revokeTokensCreatedBy(createdBy: string, keepHash: string | null, at: Date): Promise<string[]> {
    const rows = await this.rows(
      `WITH u AS (UPDATE api_tokens SET revoked_at = $3::timestamptz
                  WHERE created_by = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR token_hash <> $2::text) RETURNING id)
       SELECT id::text AS id FROM u`,
      [createdBy, keepHash, at.toISOString()],
    );
    return rows.map((r) => r.id as string);
  }

  /** TEAM_NOT_FOUND when the user is to join a team that does not exist or is deactivated. */
  async insertUser(u: StaffUser): Promise<void> {
    const inserted = await this.rows(
      `WITH i AS (INSERT INTO staff_users (id, username, display_name, role, team, password_hash, disabled_at, created_at)
       SELECT $1::uuid, $2, $3, $4, $5::text, $6, $7::timestamptz, $8::timestamptz
       WHERE ${ACTIVE_TEAM_OR_NONE} RETURNING id) SELECT id FROM i`,
      [u.id, u.username, u.displayName, u.role, u.team, u.passwordHash, iso(u.disabledAt), u.createdAt.toISOString()],
    );
    if (inserted.length === 0 && u.team !== null) throw new TeamNotFoundError(u.team);
  }

  async findUserByUsername(username: string): Promise<StaffUser | null> {
    const [r] = await this.rows(`SELECT ${USER_COLUMNS} FROM staff_users u WHERE u.username = $1`, [username]);
    return r ? toUser(r) : null;
  }

  async findUserById(id: string): Promise<StaffUser | null> {
    const [r] = await this.rows(`SELECT ${USER_COLUMNS} FROM staff_users u WHERE u.id = $1::uuid`, [id]);
    return r ? toUser(r) : null;
  }

  async listUsers(): Promise<StaffUser[]> {
    return (await this.rows(`SELECT ${USER_COLUMNS} FROM staff_users u ORDER BY u.username`)).map(toUser);
  }

  // One statement per count: INSERT ... ON CONFLICT DO UPDATE takes the row lock, so parallel
  // attempts queue on it and each sees the count the previous one left.
  async countLoginAttempt(userKey: string, ip: string, userId: string | null, now: Date, rule: { maxAttempts: number; lockUntil: Date }): Promise<LoginAttemptCount> {
    const [r] = await this.rows(
      `WITH up AS (
         INSERT INTO login_attempts AS a (user_key, ip, user_id, attempts, locked_until, updated_at)
         VALUES ($1, $2, $3::uuid, 1, CASE WHEN 1 >= $5::int THEN $6::timestamptz END, $4::timestamptz)
         ON CONFLICT (user_key, ip) DO UPDATE SET
           attempts = CASE WHEN a.locked_until IS NOT NULL THEN 1 ELSE a.attempts + 1 END,
           locked_until = CASE WHEN (CASE WHEN a.locked_until IS NOT NULL THEN 1 ELSE a.attempts + 1 END) >= $5::int THEN $6::timestamptz END,
           user_id = COALESCE(EXCLUDED.user_id, a.user_id),
           updated_at = $4::timestamptz
         WHERE a.locked_until IS NULL OR a.locked_until <= $4::timestamptz
         RETURNING attempts, locked_until)
       SELECT attempts, locked_until FROM up`,
      [userKey, ip, userId, now.toISOString(), rule.maxAttempts, rule.lockUntil.toISOString()],
    );
    if (r) return { counted: true, attempts: Number(r.attempts), lockedUntil: d(r.locked_until) };
    const [locked] = await this.rows(`SELECT locked_until FROM login_attempts WHERE user_key = $1 AND ip = $2`, [userKey, ip]);
    return { counted: false, attempts: 0, lockedUntil: d(locked?.locked_until) };
  }

  async takeGlobalLoginAttempt(userKey: string, now: Date, rule: { threshold: number; idleSince: Date; nextAt: Date }): Promise<{ allowed: boolean; retryAt: Date | null }> {
    const [r] = await this.rows(
      `WITH up AS (
         INSERT INTO login_attempts AS a (user_key, ip, attempts, locked_until, updated_at)
         VALUES ($1, $2, 1, CASE WHEN 1 > $4::int THEN $6::timestamptz END, $3::timestamptz)
         ON CONFLICT (user_key, ip) DO UPDATE SET
           attempts = CASE WHEN a.updated_at <= $5::timestamptz THEN 1 ELSE a.attempts + 1 END,
           locked_until = CASE WHEN (CASE WHEN a.updated_at <= $5::timestamptz THEN 1 ELSE a.attempts + 1 END) > $4::int THEN $6::timestamptz END,
           updated_at = $3::timestamptz
         WHERE a.updated_at <= $5::timestamptz OR a.attempts < $4::int OR a.locked_until IS NULL OR a.locked_until <= $3::timestamptz
         RETURNING attempts)
       SELECT attempts FROM up`,
      [userKey, ALL_ADDRESSES, now.toISOString(), rule.threshold, rule.idleSince.toISOString(), rule.nextAt.toISOString()],
    );
    if (r) return { allowed: true, retryAt: null };
    const [wait] = await this.rows(`SELECT locked_until FROM login_attempts WHERE user_key = $1 AND ip = $2`, [userKey, ALL_ADDRESSES]);
    return { allowed: false, retryAt: d(wait?.locked_until) };
  }

  async loginSucceededFrom(userKey: string, ip: string, since: Date): Promise<boolean> {
    const rows = await this.rows(`SELECT 1 FROM login_attempts WHERE user_key = $1 AND ip = $2 AND last_success_at > $3::timestamptz`, [
      userKey,
      ip,
      since.toISOString(),
    ]);
    return rows.length > 0;
  }

  async recordLoginSuccess(userKey: string, ip: string, userId: string, now: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO login_attempts AS a (user_key, ip, user_id, attempts, locked_until, last_success_at, updated_at)
       VALUES ($1, $2, $3::uuid, 0, NULL, $4::timestamptz, $4::timestamptz)
       ON CONFLICT (user_key, ip) DO UPDATE SET attempts = 0, locked_until = NULL, user_id = $3::uuid, last_success_at = $4::timestamptz, updated_at = $4::timestamptz`,
      [userKey, ip, userId, now.toISOString()],
    );
  }

  async pruneLoginAttempts(now: Date, idleBefore: Date, successBefore: Date): Promise<number> {
    const [r] = await this.rows(
      `WITH gone AS (
         DELETE FROM login_attempts
         WHERE updated_at < $2::timestamptz AND (locked_until IS NULL OR locked_until < $1::timestamptz)
           AND (last_success_at IS NULL OR last_success_at < $3::timestamptz)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [now.toISOString(), idleBefore.toISOString(), successBefore.toISOString()],
    );
    return Number(r?.n ?? 0);
  }

  async setUserDisabled(id: string, at: Date | null): Promise<StaffUser | null> {
    const [r] = await this.rows(`WITH u AS (UPDATE staff_users SET disabled_at = $2::timestamptz WHERE id = $1::uuid RETURNING *) SELECT ${USER_COLUMNS} FROM u`, [
      id,
      iso(at),
    ]);
    return r ? toUser(r) : null;
  }

  async insertSession(s: Session): Promise<void> {
    await this.ds.query(
      `INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, revoked_at) VALUES ($1::uuid, $2::uuid, $3, $4::timestamptz, $5::timestamptz, $6::timestamptz)`,
      [s.id, s.userId, s.tokenHash, s.createdAt.toISOString(), s.expiresAt.toISOString(), iso(s.revokedAt)],
    );
  }

  async findSessionByHash(hash: string): Promise<Session | null> {
    const [r] = await this.rows(`SELECT * FROM sessions WHERE token_hash = $1`, [hash]);
    return r ? toSession(r) : null;
  }

  async findSessionById(id: string): Promise<Session | null> {
    const [r] = await this.rows(`SELECT * FROM sessions WHERE id = $1::uuid`, [id]);
    return r ? toSession(r) : null;
  }

  async revokeSession(id: string, at: Date): Promise<void> {
    await this.ds.query(
      `WITH u AS (UPDATE sessions SET revoked_at = $2::timestamptz WHERE id = $1::uuid AND revoked_at IS NULL RETURNING id) SELECT id FROM u`,
      [id, at.toISOString()],
    );
  }

  async revokeSessionsOfUser(userId: string, at: Date): Promise<string[]> {
    const rows = await this.rows(
      `WITH u AS (UPDATE sessions SET revoked_at = $2::timestamptz WHERE user_id = $1::uuid AND revoked_at IS NULL RETURNING id) SELECT id::text AS id FROM u`,
      [userId, at.toISOString()],
    );
    return rows.map((r) => r.id as string);
  }
}

/** The append-only audit log of access to personal data and of credential changes. */
export class TypeormAuditLog implements AuditLog {
  constructor(private readonly ds: DataSource) {}

  async record(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const values: unknown[] = [];
    const tuples = entries.map((e) => {
      const b = values.length;
      values.push(e.at.toISOString(), e.actorId, e.actorRole, e.action, e.caseId, e.reason, e.details ? JSON.stringify(e.details) : null);
      return `($${b + 1}::timestamptz, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::uuid, $${b + 6}, $${b + 7}::jsonb)`;
    });
    await this.ds.query(`INSERT INTO audit_log (at, actor_id, actor_role, action, case_id, reason, details) VALUES ${tuples.join(', ')}`, values);
  }

  async list(caseId: string | null, first: number, afterId: string | null): Promise<{ entries: AuditEntry[]; hasNextPage: boolean }> {
    const params: unknown[] = [first + 1];
    const where: string[] = [];
    if (caseId) {
      params.push(caseId);
      where.push(`case_id = $${params.length}::uuid`);
    }
    if (afterId) {
      params.push(afterId);
      where.push(`id > $${params.length}::bigint`);
    }
    const rows = (await this.ds.query(
      `SELECT id::text AS id, at, actor_id, actor_role, action, case_id::text AS case_id, reason, details FROM audit_log
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY audit_log.id LIMIT $1`, // the bigint, not the text alias
      params,
    )) as Row[];
    const entries = rows.slice(0, first).map((r) => ({
      id: r.id, at: d(r.at)!, actorId: r.actor_id, actorRole: r.actor_role as Role, action: r.action, caseId: r.case_id, reason: r.reason, details: r.details,
    }));
    return { entries, hasNextPage: rows.length > first };
  }
}
