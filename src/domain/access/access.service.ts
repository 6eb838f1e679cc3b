import { createHash, randomBytes } from 'node:crypto';
import { Actor } from '../case/timeline-event';
import { Clock } from '../shared/clock.port';
import { AccountLockedError, FieldProblem, RateLimitedError, UnauthenticatedError, ValidationError } from '../shared/domain-error';
import { IdGenerator } from '../shared/id-generator.port';
import { AccessRepository, AuditLog, PasswordHasher } from './access-repository.port';
import { ApiToken, StaffUser } from './credentials';
import { Principal, Role, ROLES, Scope, SCOPES } from './roles';

export const API_TOKEN_PREFIX = 'lkt_';
export const SESSION_TOKEN_PREFIX = 'lks_';

export interface AccessOptions {
  sessionHours: number;
  /** Failed logins for one username from one address before that pair is locked. */
  maxFailedLogins: number;
  lockMinutes: number;
  /** Attempts for one username from addresses without a recent success before the slow-down. */
  globalLoginThreshold: number;
  /** Past that threshold, one such attempt per this many seconds for the username. */
  globalLoginSpacingSeconds: number;
  /** An address where the user logged in within this many days is spared the slow-down. */
  trustedAddressDays: number;
}

const DEFAULTS: AccessOptions = {
  sessionHours: 12,
  maxFailedLogins: 5,
  lockMinutes: 15,
  globalLoginThreshold: 20,
  globalLoginSpacingSeconds: 30,
  trustedAddressDays: 30,
};
const USERNAME = /^[a-z0-9._-]{3,64}$/;
const MIN_PASSWORD = 10;
/** Verified against when the username is unknown, so both failures take as long. */
const DUMMY_HASH_INPUT = 'loket-dummy-password';
/** Who the bootstrap token is created by; it is found again by this at the next start. */
const BOOTSTRAP_CREATOR = 'system:bootstrap';
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3_600_000;
/** Idle login-attempt rows are forgotten after a day (bounded table); pruning runs at most hourly. */
const ATTEMPT_ROWS_IDLE_MS = DAY_MS;
const PRUNE_EVERY_MS = 3_600_000;

/** Secrets are 256-bit random; a fast hash is enough to store them (unlike passwords). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * What login attempts are keyed by: a hash of the normalized username, the same whether the
 * user exists or not (and a password typed into the username box is not stored in clear).
 */
export function loginKey(username: string): string {
  return hashSecret(`login:${username.trim().toLowerCase()}`);
}

/** The actor recorded on the timeline for what a principal does. */
export function actorOf(p: Principal): Actor {
  return { id: p.kind === 'USER' ? `user:${p.name}` : `token:${p.id}`, kind: 'USER' };
}

export interface CreateTokenInput {
  name: string;
  role: Role;
  scopes?: Scope[] | null;
  team?: string | null;
  expiresAt?: Date | null;
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Exclude<Role, 'INTEGRATION'>;
  team?: string | null;
  password: string;
}

/**
 * Authentication and credential management: API tokens (random, shown once, stored hashed,
 * expiring, revocable), staff users with argon2id passwords and lockout, login sessions.
 */
export class AccessService {
  private readonly options: AccessOptions;
  private dummyHash: Promise<string> | null = null;
  private nextPruneAt = 0;

  constructor(
    private readonly repo: AccessRepository,
    private readonly audit: AuditLog,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    options: Partial<AccessOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /**
   * Resolves a bearer credential. No credential gives null (the caller decides whether the
   * operation is public); a credential that is unknown, expired or revoked is an error.
   */
  async authenticate(bearer: string | null | undefined): Promise<Principal | null> {
    const secret = bearer?.trim();
    if (!secret) return null;
    const now = this.clock.now();
    if (secret.startsWith(SESSION_TOKEN_PREFIX)) {
      const session = await this.repo.findSessionByHash(hashSecret(secret));
      if (!session) throw new UnauthenticatedError('INVALID');
      if (session.revokedAt) throw new UnauthenticatedError('REVOKED');
      if (session.expiresAt <= now) throw new UnauthenticatedError('EXPIRED');
      const user = await this.repo.findUserById(session.userId);
      if (!user || user.disabledAt) throw new UnauthenticatedError('REVOKED');
      return {
        id: user.id, name: user.username, kind: 'USER', role: user.role, scopes: [], team: user.team, credentialId: session.id, expiresAt: session.expiresAt,
      };
    }
    const token = await this.repo.findTokenByHash(hashSecret(secret));
    if (!token) throw new UnauthenticatedError('INVALID');
    if (token.revokedAt) throw new UnauthenticatedError('REVOKED');
    if (token.expiresAt && token.expiresAt <= now) throw new UnauthenticatedError('EXPIRED');
    return {
      id: token.id, name: token.name, kind: 'TOKEN', role: token.role, scopes: token.scopes, team: token.team, credentialId: token.id, expiresAt: token.expiresAt,
    };
  }

  /** True while the credential behind a principal is still valid (for long-lived subscriptions). */
  async stillValid(p: Principal): Promise<boolean> {
    const now = this.clock.now();
    if (p.kind === 'TOKEN') {
      const t = await this.repo.findTokenById(p.credentialId);
      return !!t && !t.revokedAt && (!t.expiresAt || t.expiresAt > now);
    }
    const session = await this.repo.findSessionById(p.credentialId);
    if (!session || session.revokedAt || session.expiresAt <= now) return false;
    const user = await this.repo.findUserById(p.id);
    return !!user && !user.disabledAt;
  }

  /**
   * At every start: a bootstrap token installed earlier is revoked unless `secret` is still the
   * same (LOKET_BOOTSTRAP_TOKEN unset or changed ends it). Then, when `secret` is set and no
   * active admin token or user exists, it becomes an admin token.
   */
  async bootstrap(secret: string | undefined): Promise<{ installed: boolean; revoked: string[] }> {
    if (secret && secret.length < 24) throw ValidationError.single('LOKET_BOOTSTRAP_TOKEN', 'must be at least 24 characters');
    const now = this.clock.now();
    const hash = secret ? hashSecret(secret) : null;
    const revoked = await this.repo.revokeTokensCreatedBy(BOOTSTRAP_CREATOR, hash, now);
    if (revoked.length) {
      await this.audit.record(
        revoked.map((tokenId) => ({
          at: now, actorId: BOOTSTRAP_CREATOR, actorRole: 'ADMIN' as const, action: 'TOKEN_REVOKED' as const, caseId: null, reason: 'LOKET_BOOTSTRAP_TOKEN unset or changed', details: { tokenId },
        })),
      );
    }
    if (!secret || !hash) return { installed: false, revoked };
    if (await this.repo.hasActiveAdmin(now)) return { installed: false, revoked };
    if (await this.repo.findTokenByHash(hash)) return { installed: false, revoked };
    await this.repo.insertToken({
      id: this.ids.newId(), name: 'bootstrap', role: 'ADMIN', scopes: [], team: null, tokenHash: hash,
      createdBy: BOOTSTRAP_CREATOR, createdAt: now, expiresAt: null, revokedAt: null,
    });
    return { installed: true, revoked };
  }

  /** True when an active admin token or admin user exists. */
  hasAdmin(): Promise<boolean> {
    return this.repo.hasActiveAdmin(this.clock.now());
  }

  async createToken(actor: Principal | null, input: CreateTokenInput): Promise<{ token: string; apiToken: ApiToken }> {
    const problems: FieldProblem[] = [];
    const name = input.name?.trim() ?? '';
    if (!name || name.length > 100) problems.push({ field: 'name', message: 'must be 1 to 100 characters' });
    if (!ROLES.includes(input.role)) problems.push({ field: 'role', message: 'is not a known role' });
    const scopes = [...new Set(input.scopes ?? [])];
    if (scopes.some((s) => !SCOPES.includes(s))) problems.push({ field: 'scopes', message: 'contains an unknown scope' });
    if (input.role === 'INTEGRATION' && scopes.length === 0) problems.push({ field: 'scopes', message: 'an INTEGRATION token needs at least one scope' });
    if (input.role !== 'INTEGRATION' && scopes.length > 0) problems.push({ field: 'scopes', message: 'only INTEGRATION tokens have scopes' });
    if (input.role === 'HANDLER' && !input.team?.trim()) problems.push({ field: 'team', message: 'a HANDLER token needs a team' });
    const now = this.clock.now();
    if (input.expiresAt && input.expiresAt <= now) problems.push({ field: 'expiresAt', message: 'must be in the future' });
    if (problems.length) throw new ValidationError(problems);
    const token = newSecret(API_TOKEN_PREFIX);
    const apiToken: ApiToken = {
      id: this.ids.newId(), name, role: input.role, scopes, team: input.team?.trim() || null, tokenHash: hashSecret(token),
      createdBy: actor ? actorOf(actor).id : 'system:cli', createdAt: now, expiresAt: input.expiresAt ?? null, revokedAt: null,
    };
    await this.repo.insertToken(apiToken);
    await this.audit.record([{ at: now, actorId: apiToken.createdBy, actorRole: actor?.role ?? 'ADMIN', action: 'TOKEN_CREATED', caseId: null, reason: null, details: { tokenId: apiToken.id, role: apiToken.role, scopes } }]);
    return { token, apiToken };
  }

  async revokeToken(actor: Principal | null, id: string): Promise<ApiToken> {
    const now = this.clock.now();
    const t = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo.revokeToken(id, now) : null;
    if (!t) throw ValidationError.single('id', 'is not a known token');
    await this.audit.record([{ at: now, actorId: actor ? actorOf(actor).id : 'system:cli', actorRole: actor?.role ?? 'ADMIN', action: 'TOKEN_REVOKED', caseId: null, reason: null, details: { tokenId: id } }]);
    return t;
  }

  listTokens(): Promise<ApiToken[]> {
    return this.repo.listTokens();
  }

  listUsers(): Promise<StaffUser[]> {
    return this.repo.listUsers();
  }

  async createUser(actor: Principal | null, input: CreateUserInput): Promise<StaffUser> {
    const problems: FieldProblem[] = [];
    const username = input.username?.trim().toLowerCase() ?? '';
    if (!USERNAME.test(username)) problems.push({ field: 'username', message: 'must be 3-64 characters: a-z, 0-9, dot, dash, underscore' });
    const displayName = input.displayName?.trim() ?? '';
    if (!displayName || displayName.length > 200) problems.push({ field: 'displayName', message: 'must be 1 to 200 characters' });
    if (!ROLES.includes(input.role) || (input.role as Role) === 'INTEGRATION') problems.push({ field: 'role', message: 'is not a staff role' });
    if (input.role === 'HANDLER' && !input.team?.trim()) problems.push({ field: 'team', message: 'a HANDLER needs a team' });
    if (!input.password || input.password.length < MIN_PASSWORD) problems.push({ field: 'password', message: `must be at least ${MIN_PASSWORD} characters` });
    if (input.password && input.password.length > 200) problems.push({ field: 'password', message: 'must be at most 200 characters' });
    if (problems.length) throw new ValidationError(problems);
    if (await this.repo.findUserByUsername(username)) throw ValidationError.single('username', 'is already taken');
    const now = this.clock.now();
    const user: StaffUser = {
      id: this.ids.newId(), username, displayName, role: input.role, team: input.team?.trim() || null,
      passwordHash: await this.hasher.hash(input.password), lockedUntil: null, disabledAt: null, createdAt: now,
    };
    await this.repo.insertUser(user);
    await this.audit.record([{ at: now, actorId: actor ? actorOf(actor).id : 'system:cli', actorRole: actor?.role ?? 'ADMIN', action: 'USER_CREATED', caseId: null, reason: null, details: { userId: user.id, role: user.role } }]);
    return user;
  }

  /** Disabling a user ends their sessions at once; returns the ids of the ended sessions. */
  async setUserDisabled(actor: Principal, id: string, disabled: boolean): Promise<{ user: StaffUser; endedSessions: string[] }> {
    const now = this.clock.now();
    const user = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo.setUserDisabled(id, disabled ? now : null) : null;
    if (!user) throw ValidationError.single('id', 'is not a known user');
    const endedSessions = disabled ? await this.repo.revokeSessionsOfUser(id, now) : [];
    await this.audit.record([{ at: now, actorId: actorOf(actor).id, actorRole: actor.role, action: 'USER_DISABLED', caseId: null, reason: null, details: { userId: id, disabled } }]);
    return { user, endedSessions };
  }

  /**
   * Staff login from client address `ip`. Every attempt is counted before its password is checked
   * (so parallel attempts cannot pass the limit); the attempt that reaches `maxFailedLogins`
   * for this username from this address is the last one checked and, if wrong, locks the pair
   * for `lockMinutes`. Other addresses, the user's own among them, are not locked. Across all
   * addresses, attempts from addresses without a recent success for this user are slowed down
   * past a threshold (RATE_LIMITED). Unknown and disabled usernames go through the same steps
   * (a dummy hash is verified), so the answers cannot tell them from real ones.
   */
  async login(usernameInput: string, password: string, ip = 'unknown'): Promise<{ token: string; session: { id: string; expiresAt: Date }; user: StaffUser }> {
    const now = this.clock.now();
    const dummyHash = this.dummyPasswordHash();
    const username = usernameInput.trim().toLowerCase();
    const key = loginKey(username);
    this.pruneLoginAttempts(now);
    const found = await this.repo.findUserByUsername(username);
    const user = found && !found.disabledAt ? found : null;
    const trustedSince = new Date(now.getTime() - this.options.trustedAddressDays * DAY_MS);
    if (!(await this.repo.loginSucceededFrom(key, ip, trustedSince))) {
      const slot = await this.repo.takeGlobalLoginAttempt(key, now, {
        threshold: this.options.globalLoginThreshold,
        idleSince: new Date(now.getTime() - this.options.lockMinutes * MINUTE_MS),
        nextAt: new Date(now.getTime() + this.options.globalLoginSpacingSeconds * 1000),
      });
      if (!slot.allowed) {
        const waitMs = (slot.retryAt?.getTime() ?? now.getTime()) - now.getTime();
        throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
      }
    }
    const lockUntil = new Date(now.getTime() + this.options.lockMinutes * MINUTE_MS);
    const attempt = await this.repo.countLoginAttempt(key, ip, user?.id ?? null, now, { maxAttempts: this.options.maxFailedLogins, lockUntil });
    if (!attempt.counted) throw new AccountLockedError(attempt.lockedUntil ?? lockUntil);
    let valid = false;
    if (user) valid = await this.hasher.verify(user.passwordHash, password);
    else await this.hasher.verify(await dummyHash, password);
    if (!user || !valid) {
      if (attempt.lockedUntil) throw new AccountLockedError(attempt.lockedUntil);
      throw new UnauthenticatedError('BAD_LOGIN');
    }
    await this.repo.recordLoginSuccess(key, ip, user.id, now);
    const token = newSecret(SESSION_TOKEN_PREFIX);
    const session = {
      id: this.ids.newId(), userId: user.id, tokenHash: hashSecret(token), createdAt: now,
      expiresAt: new Date(now.getTime() + this.options.sessionHours * 3_600_000), revokedAt: null,
    };
    await this.repo.insertSession(session);
    // Read again: the lock this address had is gone (a lock from another address still shows).
    return { token, session: { id: session.id, expiresAt: session.expiresAt }, user: (await this.repo.findUserById(user.id)) ?? user };
  }

  /** The hash verified for unknown usernames, made once and started early so it costs no extra time later. */
  private dummyPasswordHash(): Promise<string> {
    if (!this.dummyHash) {
      this.dummyHash = this.hasher.hash(DUMMY_HASH_INPUT);
      this.dummyHash.catch(() => {
        this.dummyHash = null; // tried again at the next login; the awaiting login reports the error
      });
    }
    return this.dummyHash;
  }

  /** Keeps the login-attempt rows bounded; at most hourly, in the background (a failure waits for the next hour). */
  private pruneLoginAttempts(now: Date): void {
    if (now.getTime() < this.nextPruneAt) return;
    this.nextPruneAt = now.getTime() + PRUNE_EVERY_MS;
    const idleBefore = new Date(now.getTime() - Math.max(ATTEMPT_ROWS_IDLE_MS, 2 * this.options.lockMinutes * MINUTE_MS));
    const successBefore = new Date(now.getTime() - this.options.trustedAddressDays * DAY_MS);
    this.repo.pruneLoginAttempts(now, idleBefore, successBefore).catch(() => undefined);
  }

  async logout(p: Principal): Promise<void> {
    if (p.kind === 'USER') await this.repo.revokeSession(p.credentialId, this.clock.now());
  }
}
