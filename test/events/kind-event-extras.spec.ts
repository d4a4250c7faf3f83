import { apiCallEvent } from '../../lib/events/event-builders.js';

describe('kind event properties', () => {
  it('keep the extras first, let the typed fields win, and keep an own __proto__ key as a key', () => {
    const extra = JSON.parse('{"__proto__": {"polluted": true}, "request_id": "r1", "method": "EXTRA", "route": "/from-extra"}');
    const { kind, properties } = apiCallEvent({ method: 'GET', path: '/a?b=1', statusCode: 200, durationMs: 1.23456 }, extra);
    expect(kind).toBe('api');
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect((properties as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(properties)).toEqual([
      '__proto__',
      'request_id',
      'method',
      'route',
      'event_category',
      'event_action',
      'path',
      'status_code',
      'duration_ms',
    ]);
    expect(properties).toMatchObject({ method: 'GET', route: '/from-extra', path: '/a', duration_ms: 1.235, event_category: 'backend', event_action: 'api_request' });
  });

  it('treat missing extras as none', () => {
    for (const extra of [undefined, null]) {
      expect(Object.keys(apiCallEvent({ method: 'GET', path: '/', statusCode: 204, durationMs: 0 }, extra).properties)).toEqual([
        'event_category',
        'event_action',
        'method',
        'path',
        'status_code',
        'duration_ms',
      ]);
    }
  });
});
