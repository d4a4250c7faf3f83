import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { resolveApiTracking } from '../../lib/http/api-tracking.resolver.js';
import { identifyFromUser } from '../../lib/http/identify.js';

describe('resolveApiTracking', () => {
  it('defaults: API Calls and errors on, default identify, no proxy trust, nothing excluded, everything sampled, every context tracked', () => {
    const resolved = resolveApiTracking({}, 'stripLastOctet');
    expect(resolved).toMatchObject({
      apiEnabled: true,
      errorsEnabled: true,
      trustProxy: false,
      sampleRate: 1,
      contexts: { rpc: 'track', ws: 'track', graphql: 'track' },
      ipPolicy: 'stripLastOctet',
    });
    expect(resolved.identify).toBe(identifyFromUser);
    expect(resolved.isExcluded('/health')).toBe(false);
  });

  it('reads values, strings from the environment included', () => {
    const identify = () => ({ userId: 'x' });
    const resolved = resolveApiTracking(
      { api: { enabled: 'false', trustProxy: '1', sampleRate: '0.25', exclude: ['/health'], identify, contexts: { rpc: 'skip' } }, errors: { enabled: 'off' } },
      'keep',
    );
    expect(resolved).toMatchObject({ apiEnabled: false, errorsEnabled: false, trustProxy: true, sampleRate: 0.25, contexts: { rpc: 'skip', ws: 'track', graphql: 'track' } });
    expect(resolved.identify).toBe(identify);
    expect(resolved.isExcluded('/health')).toBe(true);
  });

  it.each([0, 1, '0', '1', 0.5])('accepts sampleRate %p', (sampleRate) => {
    expect(resolveApiTracking({ api: { sampleRate } }, 'keep').sampleRate).toBe(Number(sampleRate));
  });

  it('collects every problem into one AnalyticsConfigError naming option, value and expectation', () => {
    let error: unknown;
    try {
      resolveApiTracking(
        {
          api: { enabled: 'maybe', sampleRate: 1.5, identify: 'user.id', exclude: ['health'], contexts: { rpc: 'record', grpc: 'track' }, exlcude: [] },
          errors: { enabled: 2 },
        },
        'keep',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnalyticsConfigError);
    expect((error as AnalyticsConfigError).problems).toEqual(
      expect.arrayContaining([
        "api.exlcude: unknown option; did you mean exclude?",
        "api.contexts.grpc: unknown option; did you mean rpc?",
        `api.exclude[0]: got "health", expected a path starting with '/' (e.g. '/health' or '/internal/*') or a RegExp`,
        'api.identify: got "user.id", expected a function (request) => ({ userId?, anonymousId? })',
        `api.enabled: got "maybe", expected a boolean (or 'true'/'false', '1'/'0')`,
        `errors.enabled: got number 2, expected a boolean (or 'true'/'false', '1'/'0')`,
        'api.sampleRate: got number 1.5, expected a number from 0 to 1 (the share of successful requests recorded)',
        `api.contexts.rpc: got "record", expected 'track' or 'skip'`,
      ]),
    );
    expect((error as AnalyticsConfigError).problems).toHaveLength(8);
  });

  it.each([
    ['api', 'yes', 'api: got "yes", expected an object'],
    ['api', [], 'api: got an array, expected an object'],
    ['errors', false, 'errors: got boolean false, expected an object'],
  ])('%s: %p is not an object', (group, value, message) => {
    expect(() => resolveApiTracking({ [group]: value }, 'keep')).toThrow(message);
  });

  it.each([Number.NaN, -0.1, 'half', Infinity])('refuses sampleRate %p', (sampleRate) => {
    expect(() => resolveApiTracking({ api: { sampleRate } }, 'keep')).toThrow(/api\.sampleRate: got .*, expected a number from 0 to 1/);
  });
});
