import { assertMayWork, mayCall, mayReadAccessCode, maySeeCase, maySeeIdentity, OPERATION_RULES } from '../../../src/domain/access/access-policy';
import { Principal, Role, Scope } from '../../../src/domain/access/roles';

const principal = (role: Role, over: Partial<Principal> = {}): Principal => ({
  id: `${role}-1`, name: role.toLowerCase(), kind: 'TOKEN', role, scopes: [], team: null, credentialId: `${role}-cred`, ...over,
});
const handler = principal('HANDLER', { team: 'tim-1' });
const tool = (...scopes: Scope[]) => principal('INTEGRATION', { scopes });

describe('permission matrix', () => {
  it('denies what it does not list, to everyone', () => {
    for (const role of ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN', 'INTEGRATION'] as Role[]) {
      expect(mayCall(principal(role, { scopes: ['CASES_READ', 'CASES_INTAKE', 'PERSONAL_DATA_READ'] }), 'Mutation.dropEverything')).toBe(false);
    }
  });

  it('lets an integration token do only what its scopes say', () => {
    expect(mayCall(tool('CASES_READ'), 'Query.cases')).toBe(true);
    expect(mayCall(tool('CASES_READ'), 'Mutation.logPhoneCall')).toBe(false);
    expect(mayCall(tool('CASES_INTAKE'), 'Mutation.logPhoneCall')).toBe(true);
    expect(mayCall(tool('CASES_READ', 'CASES_INTAKE', 'PERSONAL_DATA_READ'), 'Mutation.classifyComplaint')).toBe(false);
  });

  it('keeps administration with admins and classification with complaint officers', () => {
    expect(mayCall(principal('ADMIN'), 'Mutation.createApiToken')).toBe(true);
    expect(mayCall(principal('SUPERVISOR'), 'Mutation.createApiToken')).toBe(false);
    expect(mayCall(principal('COMPLAINT_OFFICER'), 'Mutation.classifyComplaint')).toBe(true);
    expect(mayCall(principal('ADMIN'), 'Mutation.classifyComplaint')).toBe(false);
    expect(mayCall(principal('CLERK'), 'Mutation.logWalkIn')).toBe(true);
    expect(mayCall(handler, 'Mutation.logWalkIn')).toBe(false);
  });

  it('only login and the status lookup are public', () => {
    expect(Object.entries(OPERATION_RULES).filter(([, r]) => r.public).map(([op]) => op).sort()).toEqual(['Mutation.login', 'Query.caseStatus']);
  });
});

describe('who sees a case and an identity', () => {
  const complaint = { kind: 'COMPLAINT' as const, confidential: true, assignee: 'tim-1' };
  const open = { kind: 'INFORMATION_REQUEST' as const, confidential: false, assignee: 'tim-1' };
  const otherTeam = { kind: 'INFORMATION_REQUEST' as const, confidential: false, assignee: 'tim-2' };

  it('a handler sees only the cases of their team', () => {
    expect(maySeeCase(handler, complaint)).toBe(true);
    expect(maySeeCase(handler, otherTeam)).toBe(false);
    expect(maySeeCase(principal('HANDLER'), complaint)).toBe(false); // no team, no cases
    expect(maySeeCase(principal('CLERK'), otherTeam)).toBe(true);
  });

  it("a confidential complainant's identity is for officers, supervisors and admins", () => {
    for (const role of ['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] as Role[]) expect(maySeeIdentity(principal(role), complaint)).toBe(true);
    expect(maySeeIdentity(principal('CLERK'), complaint)).toBe(false);
    expect(maySeeIdentity(handler, complaint)).toBe(false);
    expect(maySeeIdentity(tool('CASES_READ'), complaint)).toBe(false);
    expect(maySeeIdentity(tool('CASES_READ', 'PERSONAL_DATA_READ'), complaint)).toBe(true);
  });

  it('a non-confidential identity is also for the desk and the assigned team', () => {
    expect(maySeeIdentity(principal('CLERK'), open)).toBe(true);
    expect(maySeeIdentity(handler, open)).toBe(true);
    expect(maySeeIdentity(handler, otherTeam)).toBe(false);
  });

  it('clerks answer and close information requests, not complaints', () => {
    expect(() => assertMayWork(principal('CLERK'), 'Mutation.answerCase', open)).not.toThrow();
    expect(() => assertMayWork(principal('CLERK'), 'Mutation.answerCase', complaint)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => assertMayWork(handler, 'Mutation.addNote', otherTeam)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it("a case's access code is for those who talk to the citizen, and tools with the personal-data scope", () => {
    for (const role of ['CLERK', 'COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] as Role[]) expect(mayReadAccessCode(principal(role))).toBe(true);
    expect(mayReadAccessCode(handler)).toBe(false);
    expect(mayReadAccessCode(tool('CASES_READ', 'CASES_INTAKE'))).toBe(false);
    expect(mayReadAccessCode(tool('CASES_READ', 'PERSONAL_DATA_READ'))).toBe(true);
  });
});
