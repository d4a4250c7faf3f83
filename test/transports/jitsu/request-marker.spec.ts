import { isJitsuTransportRequest, MARKER_HEADER } from '../../../lib/transports/jitsu/request-marker.js';

describe('isJitsuTransportRequest', () => {
  const origin = 'http://localhost:8080';

  it('recognises the flat header array undici 7 publishes, with string or Buffer values', () => {
    expect(isJitsuTransportRequest({ origin, headers: ['content-type', 'application/json', MARKER_HEADER, '1'] })).toBe(true);
    expect(isJitsuTransportRequest({ origin, headers: [Buffer.from('X-Jitsu-Analytics-Client'), Buffer.from('1')] })).toBe(true);
  });

  it('recognises the raw header string of undici 6 (Node fetch)', () => {
    expect(isJitsuTransportRequest({ headers: 'host: a\r\nX-Jitsu-Analytics-Client: 1\r\n' })).toBe(true);
  });

  it('recognises pair arrays and plain objects', () => {
    expect(isJitsuTransportRequest({ headers: [['accept', '*/*'], [MARKER_HEADER, '1']] })).toBe(true);
    expect(isJitsuTransportRequest({ headers: { [MARKER_HEADER]: '1' } })).toBe(true);
    expect(isJitsuTransportRequest({ headers: { [MARKER_HEADER]: ['1'] } })).toBe(true);
  });

  it('does not match other requests, including ones to the same origin', () => {
    expect(isJitsuTransportRequest({ origin, headers: ['content-type', 'application/json'] })).toBe(false);
    expect(isJitsuTransportRequest({ origin, headers: 'host: a\r\nx-other: x-jitsu-analytics-client\r\n' })).toBe(false);
    expect(isJitsuTransportRequest({ origin, headers: { [MARKER_HEADER]: '0' } })).toBe(false);
    expect(isJitsuTransportRequest({ origin, headers: ['x-jitsu-analytics-client-x', '1'] })).toBe(false);
    expect(isJitsuTransportRequest({ origin })).toBe(false);
    expect(isJitsuTransportRequest({ headers: 42 })).toBe(false);
  });
});
