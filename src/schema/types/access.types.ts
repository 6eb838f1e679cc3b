import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ApiToken, AuditEntry, StaffUser } from '../../domain/access/credentials';
import { Principal, Role, ROLES, Scope, SCOPES } from '../../domain/access/roles';
import { DateTimeScalar, JSONObjectScalar } from './scalars';

export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as Record<Role, Role>;
export const ScopeEnum = Object.fromEntries(SCOPES.map((s) => [s, s])) as Record<Scope, Scope>;
registerEnumType(RoleEnum, { name: 'Role' });
registerEnumType(ScopeEnum, { name: 'Scope', description: 'What an INTEGRATION token may do' });

@ObjectType('Principal', { description: 'Who the current credential belongs to' })
export class PrincipalType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'USER (login session) or TOKEN' }) kind!: string;
  @Field(() => RoleEnum) role!: Role;
  @Field(() => [ScopeEnum]) scopes!: Scope[];
  @Field(() => String, { nullable: true }) team!: string | null;

  static from(p: Principal): PrincipalType {
    return Object.assign(new PrincipalType(), { id: p.id, name: p.name, kind: p.kind, role: p.role, scopes: p.scopes, team: p.team });
  }
}

@ObjectType('ApiToken', { description: 'An API token; its secret is shown only once, when created' })
export class ApiTokenType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => RoleEnum) role!: Role;
  @Field(() => [ScopeEnum]) scopes!: Scope[];
  @Field(() => String, { nullable: true }) team!: string | null;
  @Field(() => String) createdBy!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt!: Date | null;

  static from(t: ApiToken): ApiTokenType {
    const { tokenHash: _hash, ...rest } = t;
    void _hash;
    return Object.assign(new ApiTokenType(), rest);
  }
}

@ObjectType('CreatedApiToken')
export class CreatedApiTokenType {
  @Field(() => String, { description: 'The secret: store it now, it cannot be shown again' }) token!: string;
  @Field(() => ApiTokenType) apiToken!: ApiTokenType;
}

@InputType('CreateApiTokenInput')
export class CreateApiTokenInput {
  @Field(() => String) name!: string;
  @Field(() => RoleEnum) role!: Role;
  @Field(() => [ScopeEnum], { nullable: true }) scopes?: Scope[] | null;
  @Field(() => String, { nullable: true }) team?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt?: Date | null;
}

@ObjectType('StaffUser')
export class StaffUserType {
  @Field(() => ID) id!: string;
  @Field(() => String) username!: string;
  @Field(() => String) displayName!: string;
  @Field(() => RoleEnum) role!: Role;
  @Field(() => String, { nullable: true }) team!: string | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'The latest end of a login lock on this account; a lock holds only for the client address the failed logins came from',
  })
  lockedUntil!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) disabledAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;

  static from(u: StaffUser): StaffUserType {
    const { passwordHash: _hash, ...rest } = u;
    void _hash;
    return Object.assign(new StaffUserType(), rest);
  }
}

@InputType('CreateStaffUserInput')
export class CreateStaffUserInput {
  @Field(() => String) username!: string;
  @Field(() => String) displayName!: string;
  @Field(() => RoleEnum) role!: Role;
  @Field(() => String, { nullable: true, description: 'Required for HANDLER' }) team?: string | null;
  @Field(() => String, { description: 'At least 10 characters' }) password!: string;
}

@ObjectType('LoginSession')
export class LoginSessionType {
  @Field(() => String, { description: 'Bearer token for this session' }) token!: string;
  @Field(() => DateTimeScalar) expiresAt!: Date;
  @Field(() => StaffUserType) user!: StaffUserType;
}

@ObjectType('AuditEntry')
export class AuditEntryType {
  @Field(() => ID) id!: string;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => String) actor!: string;
  @Field(() => RoleEnum) actorRole!: Role;
  @Field(() => String) action!: string;
  @Field(() => ID, { nullable: true }) caseId!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => JSONObjectScalar, { nullable: true }) details!: Record<string, unknown> | null;

  static from(e: AuditEntry): AuditEntryType {
    return Object.assign(new AuditEntryType(), { ...e, id: e.id ?? '', actor: e.actorId });
  }
}

@ObjectType('AuditLogPage')
export class AuditLogPageType {
  @Field(() => [AuditEntryType]) entries!: AuditEntryType[];
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
}
