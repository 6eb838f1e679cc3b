import {
  DocumentNode,
  getOperationAST,
  getVariableValues,
  GraphQLSchema,
  Kind,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';

const NUL = '\u0000';

/** The path of the first string under `value` that holds a NUL character (keys count too), or null. */
function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  // Input objects (graphql-js builds them without a prototype) and JSON scalars; not Dates.
  const proto: unknown = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key.includes(NUL)) return path;
      const found = nulPath(v, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The argument (e.g. `input.subject`, `filter.text`) of the operation that would carry a NUL
 * character (U+0000) to a resolver, literal or through a variable; null when none does.
 * PostgreSQL refuses NUL in `text` and `jsonb`, so such a value would fail deep in a query as an
 * internal error; every string input is checked here, once, before anything runs. Variables that do
 * not coerce are left to execution, which refuses them.
 */
export function nulCharacterArgument(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): string | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return null;
  const only: DocumentNode = { ...document, definitions: document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION) };
  const typeInfo = new TypeInfo(schema);
  let found: string | null = null;
  visit(
    only,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        if (found) return;
        const def = typeInfo.getArgument();
        if (!def) return;
        const value = valueFromAST(node.value, def.type, coerced.coerced);
        found = nulPath(value, node.name.value);
      },
    }),
  );
  return found;
}
