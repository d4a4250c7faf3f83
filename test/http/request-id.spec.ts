import { requestIdFrom as requestIdWith } from '../../lib/http/request-id.js';
import { scrubString } from '../../lib/privacy/scrub-string.js';

const requestIdFrom = (header: string | string[] | undefined) => requestIdWith(header, { scrubText: scrubString });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFrom (X-Request-Id)', () => {
  it.each(['abc-123', '4bf92f3577b34da6a3ce929d0e0e4736', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8', 'x'.repeat(128)])(
    'keeps an id-like value: %s',
    (id) => {
      expect(requestIdFrom(id)).toBe(id);
    },
  );

  it('takes the first of repeated headers', () => {
    expect(requestIdFrom(['first-id', 'second-id'])).toBe('first-id');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['with spaces', 'my request'],
    ['with control characters', 'id\r\nInjected: 1'],
    ['not ASCII', 'idé'],
    ['an empty list', []],
  ])('generates a UUID when the header is %s', (_label, header) => {
    const id = requestIdFrom(header as string | string[] | undefined);
    expect(id).toMatch(UUID);
  });

  it('passes a client id through the privacy rules', () => {
    expect(requestIdFrom('bob@example.com')).toBe('[REDACTED]@example.com');
  });

  it('generates a different id per request', () => {
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
