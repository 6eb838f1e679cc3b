import { GraphQLError } from 'graphql';
import { isDatabaseUnavailable } from '../../../src/adapters/persistence/database-unavailable';
import { formatError, serviceUnavailable } from '../../../src/schema/errors/error-mapping';

/** What node-postgres, its pool and TypeORM throw while the server is away, and what they throw otherwise. */
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address: '127.0.0.1', port: 5433 });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', refused],
    ['a bare socket error object (not an Error)', { errno: -111, code: 'ECONNREFUSED', syscall: 'connect' }],
    ['several refused addresses (AggregateError)', Object.assign(new AggregateError([refused, refused]), { code: 'ECONNREFUSED' })],
    ['"the database system is starting up" (57P03)', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['an administrator shutdown (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a connection exception (class 08)', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['the pool timing out', new Error('timeout exceeded when trying to connect')],
    ['a client the driver closed after a connection error', new Error('Client was closed and is not queryable')],
    ['TypeORM wrapping the driver error', Object.assign(new Error('Query failed'), { name: 'QueryFailedError', driverError: Object.assign(new Error('x'), { code: '57P01' }) })],
    ['TypeORM after the connection died mid-transaction', Object.assign(new Error('released'), { name: 'QueryRunnerProviderAlreadyReleasedError' })],
    ['TypeORM when the connection died right before COMMIT', Object.assign(new Error('Query runner already released'), { name: 'QueryRunnerAlreadyReleasedError' })],
    ['graphql-js wrapping a thrown non-Error', Object.assign(new Error('Unexpected error value'), { thrownValue: { code: 'ECONNRESET' } })],
  ])('%s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a syntax error', Object.assign(new Error('syntax error'), { code: '42601' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', null],
  ])('not %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('SERVICE_UNAVAILABLE in the error mapping', () => {
  it('maps a driver error to SERVICE_UNAVAILABLE without the driver text, with the correlation id', () => {
    const original = Object.assign(refused, { correlationId: 'req-1' });
    const err = new GraphQLError(original.message, { originalError: original, path: ['logPhoneCall'] });
    const out = formatError(err.toJSON(), err);
    expect(out).toEqual({
      message: 'Layanan sedang tidak tersedia untuk sementara; silakan coba lagi sebentar lagi',
      path: ['logPhoneCall'],
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 2, correlationId: 'req-1' },
    });
    expect(serviceUnavailable(err)?.retryAfterSeconds).toBe(2);
  });
});

describe('values thrown without their Error class (another realm), wrapped as "Unexpected error value"', () => {
  it('a socket error so wrapped is SERVICE_UNAVAILABLE, without the host and port', () => {
    const err = new GraphQLError('Unexpected error value: Error: connect ECONNRESET 127.0.0.1:40769');
    const out = formatError(err.toJSON(), err);
    expect(out.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(out)).not.toMatch(/127\.0\.0\.1|ECONNRESET/);
  });

  it('anything else so wrapped is INTERNAL_SERVER_ERROR, its raw text never shown', () => {
    const err = new GraphQLError('Unexpected error value: { secret: "6171014505900002" }');
    const out = formatError(err.toJSON(), err);
    expect(out).toEqual({ message: 'Terjadi kesalahan internal', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});

describe('an error Apollo could not place, marked INTERNAL_SERVER_ERROR without its original', () => {
  it('with the server shutting down is SERVICE_UNAVAILABLE', () => {
    const err = new GraphQLError('terminating connection due to administrator command', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(formatError(err.toJSON(), err).extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });
  it('otherwise is masked', () => {
    const err = new GraphQLError('relation "x" does not exist at host db.internal', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(formatError(err.toJSON(), err)).toEqual({ message: 'Terjadi kesalahan internal', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
