/** Node socket errors that mean the database server cannot be reached (now). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * SQLSTATEs of a server that is going away, starting up or full: 57P01 admin shutdown, 57P02
 * crash shutdown, 57P03 cannot connect now ("the database system is starting up"), 53300 too
 * many connections; class 08 is "connection exception".
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** What node-postgres and its pool say when a connection drops or cannot be had. */
const DRIVER_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /^Connection ended/i,
  /Client was closed and is not queryable/i,
  // The server's own words (57P01, 57P02, 57P03) when only the text survived the wrapping.
  /^terminating connection due to administrator command$/,
  /^terminating connection because of crash of another server process/,
  /^the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/,
  // A socket error that lost its class on the way (a value from another realm, which graphql-js
  // and Apollo then wrap as "Unexpected error value: Error: connect ECONNRESET host:port").
  /^Unexpected error value: \S*Error: (connect |read |write )?(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ECONNABORTED)\b/,
];

/** TypeORM's errors for a query runner whose connection was released because it broke. */
const TYPEORM_RELEASED = new Set(['QueryRunnerProviderAlreadyReleasedError', 'QueryRunnerAlreadyReleasedError']);

/**
 * True when `err` (or what it wraps: TypeORM's `driverError`, `cause`, an AggregateError's
 * errors, graphql-js's thrownValue) says the PostgreSQL server is unreachable, shutting down or starting up: a
 * temporary condition, answered as SERVICE_UNAVAILABLE rather than as an internal error.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown; thrownValue?: unknown };
  if (typeof e.code === 'string' && (SOCKET_CODES.has(e.code) || SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return true;
  // TypeORM: the transaction's connection died under it (the server went away mid-transaction,
  // or right before COMMIT: the outcome is then unknown, and a retry with the same key dedupes).
  if (TYPEORM_RELEASED.has((err as Error).name)) return true;
  if (typeof e.message === 'string' && DRIVER_MESSAGES.some((m) => m.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  // thrownValue: graphql-js wraps a thrown non-Error (a bare socket error object) in NonErrorThrown.
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.thrownValue, depth + 1);
}
