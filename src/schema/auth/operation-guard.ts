import { DocumentNode, FragmentDefinitionNode, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { isPublicOperation, mayCall } from '../../domain/access/access-policy';
import { Principal } from '../../domain/access/roles';
import { ForbiddenError, UnauthenticatedError } from '../../domain/shared/domain-error';

const ROOT_TYPE = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/** The operation a request will execute (by name, or the only one). */
export function selectOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | null {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName) ?? null;
  return ops.length === 1 ? ops[0] : null;
}

/**
 * The root fields an operation executes, by response key (alias or name) -> field name, looking
 * through fragments and inline fragments. graphql-js runs each response key once, so
 * `a: addNote(...) b: addNote(...)` is two executions and a fragment spread twice is one.
 */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): Map<string, string> {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const fields = new Map<string, string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) fields.set(sel.alias?.value ?? sel.name.value, sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (sel.kind === Kind.FRAGMENT_SPREAD && !seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const f = fragments.get(sel.name.value);
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return fields;
}

/** Root field names of an operation (`Mutation.addNote`), each once, looking through fragments. */
export function rootOperations(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const type = ROOT_TYPE[operation.operation];
  return [...new Set(rootFields(document, operation).values())].map((n) => `${type}.${n}`);
}

/**
 * How many mutations an operation runs, for the mutation rate limit: every top-level mutation
 * field, aliases counted (15 aliased addNote are 15 notes). `login` has its own limit, per
 * attempt, and `__typename` runs nothing. 0 for queries and subscriptions.
 */
export function mutationCount(document: DocumentNode, operation: OperationDefinitionNode): number {
  if (operation.operation !== 'mutation') return 0;
  return [...rootFields(document, operation).values()].filter((name) => name !== 'login' && name !== '__typename').length;
}

/**
 * Default deny, before anything executes: every root field of the operation must be allowed
 * for the caller by the permission matrix. No credential: UNAUTHENTICATED (unless every field
 * is public); a credential without the right: FORBIDDEN.
 */
export function authorizeOperation(principal: Principal | null, operations: string[]): void {
  if (!principal) {
    const meta = (op: string): boolean => op.endsWith('.__typename');
    if (operations.every((op) => isPublicOperation(op) || meta(op))) return;
    throw new UnauthenticatedError('MISSING');
  }
  for (const op of operations) if (!mayCall(principal, op)) throw new ForbiddenError(op);
}
