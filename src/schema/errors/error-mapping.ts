import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  AccountLockedError, AssigneeNotInTeamError, DomainError, DomainErrorCode, ForbiddenError, RateLimitedError, ServiceUnavailableError, TeamNotFoundError,
  UnauthenticatedError, UserNotFoundError, ValidationError,
} from '../../domain/shared/domain-error';
import { isDatabaseUnavailable } from '../../adapters/persistence/database-unavailable';
import { SubscriberTooSlowError } from '../case-stream';

/** The codes clients see in `extensions.code`. */
export type ApiErrorCode = Exclude<DomainErrorCode, 'VALIDATION_FAILED'> | 'BAD_USER_INPUT' | 'SUBSCRIBER_TOO_SLOW' | 'INTERNAL_SERVER_ERROR';

function assertUnreachable(x: never): never {
  throw new Error(`Unmapped domain error code: ${String(x)}`);
}

/** Indonesian text for people; `extensions` carry the machine-readable details. */
function mapDomainError(e: DomainError): { code: ApiErrorCode; message: string; extensions: Record<string, unknown> } {
  const code = e.code;
  switch (code) {
    case 'VALIDATION_FAILED': {
      const problems = (e as ValidationError).problems;
      return {
        code: 'BAD_USER_INPUT',
        message: `Data tidak valid: ${problems.map((p) => p.field).join(', ')}`,
        extensions: { field: problems[0]?.field, problems },
      };
    }
    case 'CASE_NOT_FOUND':
      return { code, message: 'Kasus tidak ditemukan', extensions: {} };
    case 'CASE_STATUS_NOT_FOUND':
      return { code, message: 'Nomor referensi atau kode akses tidak cocok', extensions: {} };
    case 'INVALID_TRANSITION':
      return { code, message: 'Perubahan status ini tidak diperbolehkan', extensions: { detail: e.message } };
    case 'REQUIREMENTS_MISSING':
      return { code, message: 'Persyaratan belum lengkap', extensions: { detail: e.message } };
    case 'IDEMPOTENCY_KEY_REUSED':
      return { code, message: 'Kunci idempotensi sudah dipakai untuk permintaan lain', extensions: {} };
    case 'CONCURRENT_MODIFICATION':
      return { code, message: 'Kasus sedang diubah oleh orang lain; muat ulang lalu coba lagi', extensions: {} };
    case 'CALENDAR_INVALID':
      return { code, message: 'Kalender kerja tidak valid', extensions: { detail: e.message } };
    case 'UNAUTHENTICATED':
      return { code, message: 'Autentikasi diperlukan atau tidak berlaku', extensions: { reason: (e as UnauthenticatedError).reason, http: { status: 401 } } };
    case 'FORBIDDEN':
      return { code, message: 'Anda tidak berwenang melakukan ini', extensions: { operation: (e as ForbiddenError).operation, http: { status: 403 } } };
    case 'ACCOUNT_LOCKED':
      return { code, message: 'Akun dikunci sementara karena terlalu banyak percobaan masuk', extensions: { lockedUntil: (e as AccountLockedError).until.toISOString() } };
    case 'RATE_LIMITED': {
      const retryAfterSeconds = (e as RateLimitedError).retryAfterSeconds;
      return {
        code,
        message: 'Terlalu banyak permintaan; coba lagi nanti',
        extensions: { retryAfterSeconds, http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) } },
      };
    }
    case 'TEAM_NOT_FOUND':
      return { code, message: 'Tim tidak ditemukan atau tidak aktif', extensions: { team: (e as TeamNotFoundError).team } };
    case 'USER_NOT_FOUND':
      return { code, message: 'Pegawai tidak ditemukan atau tidak aktif', extensions: { userId: (e as UserNotFoundError).userId } };
    case 'ASSIGNEE_NOT_IN_TEAM': {
      const a = e as AssigneeNotInTeamError;
      return { code, message: 'Pegawai ini bukan anggota tim tersebut', extensions: { userId: a.userId, team: a.team } };
    }
    case 'NO_DRAFT':
      return { code, message: 'Belum ada konsep jawaban untuk kasus ini', extensions: {} };
    case 'LAPOR_NOT_CONNECTED':
      return { code, message: 'API SP4N-LAPOR! belum dikonfigurasi; catat tindak lanjut secara manual (recordLaporFollowUp)', extensions: {} };
    case 'SERVICE_UNAVAILABLE': {
      const retryAfterSeconds = (e as ServiceUnavailableError).retryAfterSeconds;
      return {
        code,
        message: 'Layanan sedang tidak tersedia untuk sementara; silakan coba lagi sebentar lagi',
        extensions: { retryAfterSeconds, http: { status: 503, headers: new Map([['retry-after', String(retryAfterSeconds)]]) } },
      };
    }
    default:
      return assertUnreachable(code);
  }
}

/**
 * The one place errors become GraphQL errors. Domain errors keep their stable code; GraphQL's
 * own (syntax, validation, bad variables) pass through; anything else is an internal error:
 * no message, no stack, only the correlation id that the log line carries too.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  // The id is set on the original, or on the GraphQLError itself when it has none (a wrapped non-Error).
  const correlationId = (original as { correlationId?: string } | null)?.correlationId ?? (error as { correlationId?: string } | null)?.correlationId ?? (formatted.extensions?.correlationId as string | undefined);
  const unavailable = serviceUnavailable(original);
  if (unavailable) {
    // The driver's text (host, port, state) never reaches the client.
    const m = mapDomainError(unavailable);
    return { message: m.message, path: formatted.path, extensions: { code: m.code, ...withoutHttp(m.extensions), ...(correlationId ? { correlationId } : {}) } };
  }
  if (original instanceof DomainError) {
    const m = mapDomainError(original);
    return { message: m.message, locations: formatted.locations, path: formatted.path, extensions: { code: m.code, ...withoutHttp(m.extensions) } };
  }
  if (original instanceof SubscriberTooSlowError) {
    return { message: original.message, path: formatted.path, extensions: { code: 'SUBSCRIBER_TOO_SLOW' } };
  }
  if (!isUnexpected(error) && !isWrappedNonError(error)) {
    const { stacktrace: _stack, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    void _stack;
    return { ...formatted, extensions };
  }
  return {
    message: 'Terjadi kesalahan internal',
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(correlationId ? { correlationId } : {}) },
  };
}

/**
 * A thrown value that was not an Error (or one from another realm), wrapped by graphql-js or
 * Apollo as a GraphQLError named "Unexpected error value: ..." whose text is the raw value:
 * unexpected, so its text is never shown.
 */
function isWrappedNonError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.originalError) return false;
  // Apollo marks an error it could not place (thrown by a plugin, without its class) INTERNAL_SERVER_ERROR.
  return error.message.startsWith('Unexpected error value: ') || error.extensions?.code === 'INTERNAL_SERVER_ERROR';
}

/** True when an error reaching the client is unexpected and must be logged in full. */
export function isUnexpected(error: unknown): boolean {
  const original = unwrapResolverError(error);
  return !(original instanceof DomainError) && !(original instanceof SubscriberTooSlowError) && !(original instanceof GraphQLError) && !isDatabaseUnavailable(original);
}

/**
 * The error as SERVICE_UNAVAILABLE when it says the database is away for now (or already is
 * one), else null. Every entry point (GraphQL over HTTP and WebSocket, the REST routes) asks
 * this, so an outage is answered alike everywhere: 503, Retry-After, no driver text.
 */
export function serviceUnavailable(error: unknown): ServiceUnavailableError | null {
  const original = unwrapResolverError(error);
  if (original instanceof ServiceUnavailableError) return original;
  return isDatabaseUnavailable(original) ? new ServiceUnavailableError(undefined, { cause: original }) : null;
}

/** A domain error as a GraphQLError, for errors raised outside resolvers (plugins, graphql-ws). */
export function toGraphQLError(e: DomainError): GraphQLError {
  const m = mapDomainError(e);
  return new GraphQLError(m.message, { extensions: { code: m.code, ...m.extensions } });
}

/** Apollo turns extensions.http into the response status; clients never see it. */
export function withoutHttp(extensions: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!extensions || !('http' in extensions)) return extensions;
  const { http: _http, ...rest } = extensions;
  void _http;
  return rest;
}
