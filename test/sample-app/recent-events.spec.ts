import { describeRow, newestEvents } from '../../sample-app/dashboard/recent-events.js';

describe('recent events', () => {
  it.each([
    ['api_events', { method: 'GET', path: '/api/products/2', status_code: 200, duration_ms: 3.14159 }, 'GET /api/products/2 → 200 in 3.1 ms'],
    ['authentication_events', { auth_action: 'login', auth_success: 0, failure_reason: 'invalid_credentials' }, 'login failed (invalid_credentials)'],
    ['payment_events', { payment_action: 'charge', payment_amount: 49.99, payment_currency: 'USD', payment_success: 1 }, 'charge 49.99 USD ok'],
    ['email_events', { email_template: 'welcome', recipient_domain: 'example.org', email_success: 1 }, 'welcome to @example.org ok'],
    ['file_operation_events', { file_operation: 'upload', file_type: 'image/png', file_size_bytes: 10, file_success: 1 }, 'upload image/png 10 B ok'],
    ['external_api_events', { service: 'fakepay', http_method: 'POST', endpoint: '/v1/charges', status_code: 402, duration_ms: 40 }, 'fakepay POST /v1/charges → 402 in 40 ms'],
    ['backend_error_events', { error_source: 'api', error_name: 'NotFoundException', status_code: 404 }, 'api: NotFoundException (404)'],
    ['database_events', { query_type: 'SELECT', query_table: 'users', query_success: 1, query_duration_ms: 0.5 }, 'SELECT users ok in 0.5 ms'],
    ['custom_events', { event_action: 'custom' }, 'custom'],
  ])('describes a row of %s', (table, row, text) => {
    expect(describeRow(table, row)).toBe(text);
  });

  it('merges tables newest first and keeps the limit', () => {
    const rows = new Map([
      ['api_events', [{ timestamp: '2026-01-01T00:00:03Z', event: 'API Call', user_id: 7, request_id: 'r3' }, { timestamp: '2026-01-01T00:00:01Z', event: 'API Call' }]],
      ['custom_events', [{ timestamp: '2026-01-01T00:00:02Z', event: 'Product Viewed', event_action: 'custom' }]],
    ]);
    expect(newestEvents(rows, 2)).toEqual([
      { timestamp: '2026-01-01T00:00:03Z', table: 'api_events', event: 'API Call', userId: '7', requestId: 'r3', detail: expect.any(String) },
      { timestamp: '2026-01-01T00:00:02Z', table: 'custom_events', event: 'Product Viewed', userId: null, requestId: null, detail: 'custom' },
    ]);
  });
});
