import fc from 'fast-check';
import { isIPv6 } from 'node:net';
import { IP_POLICIES, type IpPolicy, applyIpPolicy, clientIp, parseIp } from '../../lib/privacy/ip-policy.js';

const SEED = 203_0113;

/** WHATWG URL serialises IPv6 hosts in RFC 5952 form: an independent oracle for normalisation. */
function canonicalIpv6(ip: string): string {
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

describe('applyIpPolicy', () => {
  it.each<[string | undefined, IpPolicy, string | undefined]>([
    ['203.0.113.77', 'keep', '203.0.113.77'],
    ['203.0.113.77', 'stripLastOctet', '203.0.113.0'],
    ['203.0.113.77', 'remove', undefined],
    [' 203.0.113.77 ', 'keep', '203.0.113.77'],
    ['203.0.113.77:51234', 'stripLastOctet', '203.0.113.0'],
    ['0.0.0.0', 'keep', '0.0.0.0'],
    ['255.255.255.255', 'stripLastOctet', '255.255.255.0'],
    ['::ffff:1.2.3.4', 'keep', '1.2.3.4'],
    ['::ffff:1.2.3.4', 'stripLastOctet', '1.2.3.0'],
    ['::FFFF:0102:0304', 'stripLastOctet', '1.2.3.0'],
    ['[::ffff:10.0.0.9]:443', 'stripLastOctet', '10.0.0.0'],
    // Only ::ffff:0:0/96 is IPv4-mapped; the same tail under another prefix is an IPv6 address.
    ['2001:db8::ffff:102:304', 'keep', '2001:db8::ffff:102:304'],
    ['2001:0DB8:85a3:0000:0000:8a2e:0370:7334', 'keep', '2001:db8:85a3::8a2e:370:7334'],
    ['2001:db8:85a3:1234:5678:8a2e:370:7334', 'stripLastOctet', '2001:db8:85a3::'],
    ['2001:db8::1', 'stripLastOctet', '2001:db8::'],
    ['2001:db8:1::', 'stripLastOctet', '2001:db8:1::'],
    ['[2001:db8:aa:bb::1]:8080', 'stripLastOctet', '2001:db8:aa::'],
    ['fe80::1%eth0', 'keep', 'fe80::1'],
    ['::1', 'keep', '::1'],
    ['::1', 'stripLastOctet', '::'],
    ['::', 'keep', '::'],
    ['1:0:0:1:0:0:0:1', 'keep', '1:0:0:1::1'],
    ['1:0:0:1:1:0:0:1', 'keep', '1::1:1:0:0:1'],
    ['1:2:3:4:5:6:7::', 'keep', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', 'keep', '0:2:3:4:5:6:7:8'],
    ['64:ff9b::192.0.2.33', 'keep', '64:ff9b::c000:221'],
  ])('%j with %s → %j', (ip, policy, expected) => {
    expect(applyIpPolicy(ip, policy)).toBe(expected);
  });

  it.each([
    undefined,
    '',
    'unknown',
    'localhost',
    'example.com',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.-4',
    '01.2.3.4',
    '1.2.3.4:99999999',
    '1.2.3.4 5.6.7.8',
    '1.2.3.4, 5.6.7.8',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    'g::1',
    '::ffff:1.2.3.256',
    '1.2.3.4::',
    '[::1',
    '<script>alert(1)</script>',
    '2001:db8::1'.repeat(20),
  ])('never echoes unparseable %j', (ip) => {
    for (const policy of IP_POLICIES) expect(applyIpPolicy(ip, policy)).toBeUndefined();
  });

  it('fails closed on an unknown policy and on non-string input', () => {
    expect(applyIpPolicy('203.0.113.77', 'anonymize' as IpPolicy)).toBeUndefined();
    expect(applyIpPolicy(42 as unknown as string, 'keep')).toBeUndefined();
  });

  it('keeps generated IPv4 addresses and zeroes their last octet (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(applyIpPolicy(ip, 'keep')).toBe(ip);
        expect(applyIpPolicy(ip, 'stripLastOctet')).toBe(ip.replace(/\.\d+$/, '.0'));
        expect(applyIpPolicy(`::ffff:${ip}`, 'keep')).toBe(ip);
        expect(applyIpPolicy(ip, 'remove')).toBeUndefined();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('normalises generated IPv6 addresses as RFC 5952 does and keeps their /48 (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const groups = parseIp(ip) as number[];
        if (groups.length === 4) {
          // IPv4-mapped: reported as the IPv4 address it carries.
          expect(applyIpPolicy(ip, 'keep')).toBe(groups.join('.'));
          return;
        }
        expect(applyIpPolicy(ip, 'keep')).toBe(canonicalIpv6(ip));
        const stripped = applyIpPolicy(ip, 'stripLastOctet') as string;
        expect(isIPv6(stripped)).toBe(true);
        const kept = parseIp(stripped) as number[];
        expect(kept.slice(0, 3)).toEqual(groups.slice(0, 3));
        expect(kept.slice(3)).toEqual([0, 0, 0, 0, 0]);
        expect(stripped).toBe(canonicalIpv6(stripped));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('returns only parseable addresses for arbitrary input (property)', () => {
    // Random text is almost never an address: mixed with real ones, so the check on a result runs.
    const input = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.string({ maxLength: 50 }));
    let addresses = 0;
    fc.assert(
      fc.property(input, fc.constantFrom(...IP_POLICIES), (text, policy) => {
        const out = applyIpPolicy(text, policy);
        if (policy === 'remove') expect(out).toBeUndefined();
        if (out !== undefined) {
          addresses++;
          expect(parseIp(out)).toBeDefined();
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
    expect(addresses).toBeGreaterThan(100);
  });
});

describe('clientIp', () => {
  it.each([
    [{ remoteAddress: '10.0.0.1', forwardedFor: '203.0.113.7, 10.0.0.2', trustProxy: true }, '203.0.113.7'],
    [{ remoteAddress: '10.0.0.1', forwardedFor: '203.0.113.7, 10.0.0.2', trustProxy: false }, '10.0.0.1'],
    [{ remoteAddress: '10.0.0.1', forwardedFor: ['198.51.100.1, 10.0.0.3', '10.0.0.4'], trustProxy: true }, '198.51.100.1'],
    [{ remoteAddress: '10.0.0.1', forwardedFor: '  2001:db8::1  ', trustProxy: true }, '2001:db8::1'],
    [{ remoteAddress: '10.0.0.1', forwardedFor: '', trustProxy: true }, '10.0.0.1'],
    [{ remoteAddress: '10.0.0.1', forwardedFor: ' , 1.2.3.4', trustProxy: true }, '10.0.0.1'],
    [{ remoteAddress: '10.0.0.1', forwardedFor: [], trustProxy: true }, '10.0.0.1'],
    [{ remoteAddress: '10.0.0.1', trustProxy: true }, '10.0.0.1'],
    [{ trustProxy: false }, undefined],
    [{ remoteAddress: '', trustProxy: false }, undefined],
    // Only an explicit true trusts the client-controlled header.
    [{ remoteAddress: '10.0.0.1', forwardedFor: '203.0.113.7', trustProxy: undefined as unknown as boolean }, '10.0.0.1'],
  ])('%j → %j', (input, expected) => {
    expect(clientIp(input)).toBe(expected);
  });

  it('passes a spoofable or garbage entry through raw, for applyIpPolicy to judge', () => {
    const ip = clientIp({ remoteAddress: '10.0.0.1', forwardedFor: 'unknown', trustProxy: true });
    expect(ip).toBe('unknown');
    expect(applyIpPolicy(ip, 'keep')).toBeUndefined();
  });

  it('returns undefined instead of throwing on a missing input', () => {
    expect(clientIp(undefined as unknown as { trustProxy: boolean })).toBeUndefined();
    expect(clientIp(null as unknown as { trustProxy: boolean })).toBeUndefined();
  });
});
