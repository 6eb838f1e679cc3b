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

/** Root field names of an operation, looking through fragments and inline fragments. */
export function rootOperations(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) names.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (sel.kind === Kind.FRAGMENT_SPREAD && !seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const f = fragments.get(sel.name.value);
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  const type = ROOT_TYPE[operation.operation];
  return [...names].map((n) => `${type}.${n}`);
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
