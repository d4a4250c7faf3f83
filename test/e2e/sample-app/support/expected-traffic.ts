import { statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './build-freshness.js';

/**
 * What the README's requests must produce, request by request, on a fresh data folder: the
 * seeded demo user is id 1, the account the block registers id 2, the first upload file 1.
 * `api` is the expected `API Call` (undefined for an untracked path); `others` are the events of
 * other tables recorded while serving that request (same `request_id`), with their fields.
 */
export interface ExpectedRequest {
  request: string;
  api?: { route: string; status: number; controller: string; handler: string; userId: string | null };
  others: Array<{ table: string; fields: Record<string, unknown> }>;
}

const DEMO_USER = '1';
const NEW_USER = '2';
const UPLOAD_SIZE = statSync(join(REPO_ROOT, 'package.json')).size;

const auth = (fields: Record<string, unknown>) => ({ table: 'authentication_events', fields: { event: 'User Authentication', ...fields } });
const apiError = (name: string, status: number, method: string, route: string) => ({
  table: 'backend_error_events',
  fields: { error_source: 'api', error_name: name, status_code: status, method, route },
});
const charge = (amount: number, currency: string, success: number) => ({
  table: 'payment_events',
  fields: { payment_action: 'charge', payment_amount: amount, payment_currency: currency, payment_success: success, payment_provider: 'fakepay', user_id: DEMO_USER },
});
const external = (service: string, endpoint: string, method: string, status: number, success: number) => ({
  table: 'external_api_events',
  fields: { service, endpoint, http_method: method, status_code: status, success },
});
const email = (template: string, domain: string, success: number) => ({
  table: 'email_events',
  fields: { email_template: template, recipient_domain: domain, email_success: success, email_provider: 'fake-smtp' },
});
const file = (operation: string) => ({
  table: 'file_operation_events',
  fields: { file_operation: operation, file_type: 'application/json', file_size_bytes: UPLOAD_SIZE, file_success: 1 },
});

export const EXPECTED_REQUESTS: readonly ExpectedRequest[] = [
  { request: 'GET /health', others: [] },
  {
    request: 'POST /api/auth/register',
    api: { route: '/api/auth/register', status: 201, controller: 'AuthController', handler: 'register', userId: null },
    others: [auth({ auth_action: 'register', auth_success: 1, auth_method: 'password', user_id: NEW_USER, failure_reason: null })],
  },
  {
    request: 'POST /api/auth/login',
    api: { route: '/api/auth/login', status: 401, controller: 'AuthController', handler: 'login', userId: null },
    others: [
      auth({ auth_action: 'login', auth_success: 0, auth_method: 'password', user_id: null, failure_reason: 'invalid_credentials' }),
      apiError('UnauthorizedException', 401, 'POST', '/api/auth/login'),
    ],
  },
  {
    request: 'POST /api/auth/login',
    api: { route: '/api/auth/login', status: 200, controller: 'AuthController', handler: 'login', userId: null },
    others: [auth({ auth_action: 'login', auth_success: 1, auth_method: 'password', user_id: DEMO_USER, failure_reason: null })],
  },
  { request: 'GET /api/products', api: { route: '/api/products', status: 200, controller: 'ProductsController', handler: 'list', userId: null }, others: [] },
  {
    request: 'GET /api/products/2',
    api: { route: '/api/products/:id', status: 200, controller: 'ProductsController', handler: 'get', userId: null },
    others: [{ table: 'custom_events', fields: { event: 'Product Viewed', event_action: 'custom' } }],
  },
  {
    request: 'GET /api/products/999',
    api: { route: '/api/products/:id', status: 404, controller: 'ProductsController', handler: 'get', userId: null },
    others: [apiError('NotFoundException', 404, 'GET', '/api/products/:id')],
  },
  {
    request: 'POST /api/payment/process',
    api: { route: '/api/payment/process', status: 201, controller: 'PaymentsController', handler: 'process', userId: DEMO_USER },
    others: [charge(49.99, 'USD', 1), external('fakepay', '/v1/charges', 'POST', 200, 1)],
  },
  {
    request: 'POST /api/payment/process',
    api: { route: '/api/payment/process', status: 402, controller: 'PaymentsController', handler: 'process', userId: DEMO_USER },
    others: [charge(120, 'EUR', 0), external('fakepay', '/v1/charges', 'POST', 402, 0), apiError('HttpException', 402, 'POST', '/api/payment/process')],
  },
  {
    request: 'POST /api/payment/process',
    api: { route: '/api/payment/process', status: 401, controller: 'PaymentsController', handler: 'process', userId: null },
    others: [apiError('UnauthorizedException', 401, 'POST', '/api/payment/process')],
  },
  {
    request: 'POST /api/notifications/email',
    api: { route: '/api/notifications/email', status: 201, controller: 'NotificationsController', handler: 'email', userId: null },
    others: [email('welcome', 'example.org', 1)],
  },
  {
    request: 'POST /api/notifications/email',
    api: { route: '/api/notifications/email', status: 502, controller: 'NotificationsController', handler: 'email', userId: null },
    others: [
      email('receipt', 'mailbox.invalid', 0),
      { table: 'backend_error_events', fields: { error_source: 'email', error_name: 'MailRejectedError', status_code: null } },
      apiError('BadGatewayException', 502, 'POST', '/api/notifications/email'),
    ],
  },
  {
    request: 'POST /api/files/upload',
    api: { route: '/api/files/upload', status: 201, controller: 'FilesController', handler: 'upload', userId: null },
    others: [file('upload')],
  },
  {
    request: 'GET /api/files/1',
    api: { route: '/api/files/:id', status: 200, controller: 'FilesController', handler: 'download', userId: null },
    others: [file('download')],
  },
  {
    request: 'GET /api/weather?city=Berlin',
    api: { route: '/api/weather', status: 200, controller: 'WeatherController', handler: 'forecast', userId: null },
    others: [external('weather-api', '/v1/forecast', 'GET', 200, 1)],
  },
  {
    request: 'GET /api/weather?city=Atlantis',
    api: { route: '/api/weather', status: 404, controller: 'WeatherController', handler: 'forecast', userId: null },
    others: [external('weather-api', '/v1/forecast', 'GET', 404, 0), apiError('NotFoundException', 404, 'GET', '/api/weather')],
  },
  {
    request: 'POST /api/auth/logout',
    api: { route: '/api/auth/logout', status: 204, controller: 'AuthController', handler: 'logout', userId: DEMO_USER },
    others: [auth({ auth_action: 'logout', auth_success: 1, user_id: DEMO_USER })],
  },
];

/** Values from the README's requests that must not reach any table, in any column. */
export const SECRETS = [
  'correct-horse-battery',
  'wrong-password',
  'demo-password',
  '4242424242424242',
  '4000000000000002',
  'ada@example.com',
  'demo@example.com',
  'grace@example.org',
  'nobody@mailbox.invalid',
];
