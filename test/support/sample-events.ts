import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { CUSTOM_EVENTS_TABLE, EVENT_CATALOG, type EventKind, eventKindSpec } from '../../lib/events/event-catalog.js';
import type { QueuedEvent } from '../../lib/transports/transport.interface.js';

/** Every kind the fixtures can build: the nine catalogued ones plus a caller-named custom event. */
export type SampleKind = EventKind | 'custom';

export const SAMPLE_KINDS: readonly EventKind[] = EVENT_CATALOG.map((spec) => spec.kind);

const BASE_TIME_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const ROUTES = ['/users/:id', '/orders', '/orders/:id/items', '/health'] as const;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
const STATUS_CODES = [200, 201, 404, 500] as const;

/**
 * A realistic, deterministic event of one kind: the same (kind, i) always gives the same event,
 * messageId included, so tests can re-send it and compute expected values from the fixture itself.
 */
export function sampleEvent(kind: SampleKind, i: number): AnalyticsEvent {
  const kindIndex = kind === 'custom' ? EVENT_CATALOG.length : SAMPLE_KINDS.indexOf(kind);
  const spec = kind === 'custom' ? undefined : eventKindSpec(kind);
  const common = {
    event_category: 'backend',
    event_action: spec?.action ?? 'custom',
    request_id: `req-${kindIndex}-${i}`,
    service_name: 'orders-api',
    environment: 'test',
  };
  return {
    type: 'track',
    event: spec?.event ?? 'Newsletter Signup',
    messageId: sampleMessageId(kindIndex, i),
    timestamp: new Date(BASE_TIME_MS + i * 1000 + kindIndex).toISOString(),
    userId: i % 3 === 0 ? undefined : `user-${i % 97}`,
    anonymousId: i % 3 === 0 ? `anon-${i}` : undefined,
    properties: { ...common, ...KIND_PROPERTIES[kind](i) },
    context: { library: { name: 'nestjs-jitsu-analytics', version: '0.1.0' }, ip: `10.0.${i % 256}.1` },
    JITSU_TABLE_NAME: spec?.table ?? CUSTOM_EVENTS_TABLE,
  };
}

/** The event as the pipeline queues it: serialised once, routed to its `JITSU_TABLE_NAME`. */
export function toQueuedEvent(event: AnalyticsEvent): QueuedEvent {
  const json = JSON.stringify(event);
  return { messageId: event.messageId, table: event.JITSU_TABLE_NAME, json, bytes: Buffer.byteLength(json) };
}

/** A UUIDv7-shaped id that encodes (kind, i), so ids are unique across kinds and stable across runs. */
function sampleMessageId(kindIndex: number, i: number): string {
  const ms = (BASE_TIME_MS + i).toString(16).padStart(12, '0');
  const tail = i.toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${kindIndex.toString(16).padStart(3, '0')}-8000-${tail}`;
}

const pick = <T>(values: readonly T[], i: number): T => values[i % values.length]!;

const KIND_PROPERTIES: Record<SampleKind, (i: number) => Record<string, unknown>> = {
  api: (i) => ({
    method: pick(METHODS, i),
    path: pick(ROUTES, i).replace(':id', String(i)),
    route: pick(ROUTES, i),
    status_code: pick(STATUS_CODES, i),
    duration_ms: (i % 50) + 0.25 * (i % 4),
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
    ip_address: `203.0.113.${i % 250}`,
    controller: 'UsersController',
    handler: pick(['findOne', 'create', 'update', 'remove'], i),
  }),
  database: (i) => ({
    query_type: pick(['SELECT', 'INSERT', 'UPDATE', 'DELETE'], i),
    query_table: pick(['users', 'orders', 'order_items'], i),
    query_fingerprint: 'SELECT * FROM users WHERE id = ?',
    query_duration_ms: (i % 20) + 0.5,
    query_success: i % 10 !== 0,
    error_code: i % 10 === 0 ? '23505' : undefined,
  }),
  authentication: (i) => ({
    auth_action: pick(['login', 'logout', 'register', 'refresh'], i),
    user_id: `user-${i % 97}`,
    auth_success: i % 7 !== 0,
    auth_method: pick(['password', 'oauth', 'api_key'], i),
    failure_reason: i % 7 === 0 ? 'invalid_credentials' : undefined,
  }),
  payment: (i) => ({
    payment_action: pick(['charge', 'refund'], i),
    payment_amount: 10 + (i % 100) + 0.99,
    payment_currency: pick(['USD', 'EUR', 'GBP'], i),
    payment_success: i % 9 !== 0,
    payment_provider: 'stripe',
    duration_ms: 120 + (i % 30),
  }),
  email: (i) => ({
    email_template: pick(['welcome', 'password_reset', 'invoice'], i),
    email_success: i % 11 !== 0,
    recipient_domain: pick(['example.com', 'example.org'], i),
    email_provider: 'ses',
    duration_ms: 40 + (i % 15),
  }),
  file: (i) => ({
    file_operation: pick(['upload', 'download', 'process', 'delete'], i),
    file_type: pick(['image/png', 'application/pdf', 'text/csv'], i),
    file_size_bytes: 1024 * (i % 500) + 17,
    file_success: i % 13 !== 0,
    duration_ms: 5 + (i % 60),
  }),
  external_api: (i) => ({
    service: pick(['stripe', 'sendgrid', 'github'], i),
    endpoint: pick(['/v1/charges', '/v3/mail/send', '/repos'], i),
    http_method: pick(['GET', 'POST'], i),
    status_code: pick(STATUS_CODES, i),
    duration_ms: 80 + (i % 40),
    success: pick(STATUS_CODES, i) < 400,
  }),
  system: (i) => ({
    memory_rss_bytes: 150_000_000 + i * 1000,
    heap_used_bytes: 60_000_000 + i * 500,
    heap_total_bytes: 90_000_000,
    cpu_percent: (i % 100) / 2,
    event_loop_delay_p50_ms: 0.5 + (i % 5) / 10,
    event_loop_delay_p99_ms: 4 + (i % 7),
    uptime_s: 3600 + i,
  }),
  error: (i) => ({
    error_source: pick(['api', 'database', 'auth', 'payment', 'email', 'file', 'external_api', 'custom'], i),
    error_name: pick(['NotFoundException', 'QueryFailedError', 'TypeError'], i),
    error_message: `Order ${i} not found`,
    status_code: pick([404, 500, 502], i),
    method: pick(METHODS, i),
    route: pick(ROUTES, i),
    stack_fingerprint: `fp-${(i % 16).toString(16)}`,
  }),
  custom: (i) => ({
    plan: pick(['free', 'pro', 'team'], i),
    step: (i % 4) + 1,
    referrer: 'newsletter',
  }),
};
