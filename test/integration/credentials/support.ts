export { queryDb, trackedWsClient, waitFor } from '../../support/live';

/** GraphQL errors' first extensions, for terse assertions. */
export function firstExtensions(body: { errors?: { extensions?: Record<string, any> }[] }): Record<string, any> | undefined {
  return body.errors?.[0]?.extensions;
}

