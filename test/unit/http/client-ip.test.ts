import { clientIp, RequestLike, trustProxyFromEnv, UNKNOWN_CLIENT_IP } from '../../../src/adapters/http/client-ip';

function request(remoteAddress: string | undefined, forwardedFor?: string | string[]): RequestLike {
  return { socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } };
}

describe('clientIp', () => {
  it('returns the socket address by default, ignoring X-Forwarded-For', () => {
    expect(clientIp(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
    expect(clientIp(request('203.0.113.9', '198.51.100.1'), { trustProxy: false })).toBe('203.0.113.9');
  });

  it('with trustProxy, returns the address the proxy appended (last hop), not client-supplied ones', () => {
    expect(clientIp(request('10.0.0.2', '198.51.100.1'), { trustProxy: true })).toBe('198.51.100.1');
    expect(clientIp(request('10.0.0.2', '1.2.3.4, 198.51.100.1'), { trustProxy: true })).toBe('198.51.100.1');
    expect(clientIp(request('10.0.0.2', ['1.2.3.4', '198.51.100.1']), { trustProxy: true })).toBe('198.51.100.1');
  });

  it('with trustProxy, falls back to the socket when the header is missing or garbage', () => {
    expect(clientIp(request('10.0.0.2'), { trustProxy: true })).toBe('10.0.0.2');
    expect(clientIp(request('10.0.0.2', ''), { trustProxy: true })).toBe('10.0.0.2');
    expect(clientIp(request('10.0.0.2', 'not-an-ip, <script>'), { trustProxy: true })).toBe('10.0.0.2');
  });

  it('normalises IPv4-mapped IPv6 and case so one client has one key', () => {
    expect(clientIp(request('::ffff:203.0.113.9'))).toBe('203.0.113.9');
    expect(clientIp(request('2001:DB8::1'))).toBe('2001:db8::1');
    expect(clientIp(request('10.0.0.2', '::FFFF:198.51.100.1'), { trustProxy: true })).toBe('198.51.100.1');
  });

  it('names unknown peers', () => {
    expect(clientIp(request(undefined))).toBe(UNKNOWN_CLIENT_IP);
  });
});

describe('trustProxyFromEnv', () => {
  it('trusts only the exact value "true"', () => {
    expect(trustProxyFromEnv({ LOKET_TRUST_PROXY: 'true' })).toBe(true);
    for (const value of [undefined, '', 'false', '1', 'TRUE', 'yes']) expect(trustProxyFromEnv({ LOKET_TRUST_PROXY: value })).toBe(false);
  });
});
