import { apiCallEvent, authEvent, externalApiEvent, fileEvent } from '../../lib/events/event-builders.js';

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

  it('drop the fragment of an API path and of an external endpoint, as they drop the query string', () => {
    expect(apiCallEvent({ method: 'GET', path: '/callback#access_token=abc123', statusCode: 200, durationMs: 0 }).properties.path).toBe('/callback');
    expect(externalApiEvent('crm', 'https://crm.example.com/v1/contacts#token=abc123', 5, true).properties.endpoint).toBe('https://crm.example.com/v1/contacts');
  });

  it('record an empty file as 0 bytes, without a warning', () => {
    const event = fileEvent('upload', 'text/plain', 0, true);
    expect(event.properties.file_size_bytes).toBe(0);
    expect(event.warnings).toBeUndefined();
  });

  it('treat an empty user id as none', () => {
    const event = authEvent('login', '', false);
    expect(event.properties).not.toHaveProperty('user_id');
    expect(event.userId).toBeUndefined();
  });
});
