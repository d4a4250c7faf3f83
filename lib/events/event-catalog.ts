/**
 * The nine kinds of backend event (DESIGN.md, "Events and tables"): one row per kind with its
 * event name, `event_action`, default table and typed fields. Routing, the warehouse schema and
 * the Jitsu function are all derived from this table so they cannot drift apart.
 */
export type EventKind =
  | 'api'
  | 'database'
  | 'authentication'
  | 'payment'
  | 'email'
  | 'file'
  | 'external_api'
  | 'system'
  | 'error';

export type FieldType = 'text' | 'integer' | 'real' | 'boolean';

export interface EventKindSpec {
  readonly kind: EventKind;
  readonly event: string;
  readonly action: string;
  readonly table: string;
  readonly fields: Readonly<Record<string, FieldType>>;
}

export const COMMON_FIELDS: Readonly<Record<string, FieldType>> = {
  event_category: 'text',
  event_action: 'text',
  request_id: 'text',
  service_name: 'text',
  environment: 'text',
};

export const CUSTOM_EVENTS_TABLE = 'custom_events';

export const EVENT_CATALOG: readonly EventKindSpec[] = [
  {
    kind: 'api',
    event: 'API Call',
    action: 'api_request',
    table: 'api_events',
    fields: {
      method: 'text',
      path: 'text',
      route: 'text',
      status_code: 'integer',
      duration_ms: 'real',
      user_agent: 'text',
      ip_address: 'text',
      controller: 'text',
      handler: 'text',
    },
  },
  {
    kind: 'database',
    event: 'Database Query',
    action: 'database_query',
    table: 'database_events',
    fields: {
      query_type: 'text',
      query_table: 'text',
      query_fingerprint: 'text',
      query_duration_ms: 'real',
      query_success: 'boolean',
      error_code: 'text',
    },
  },
  {
    kind: 'authentication',
    event: 'User Authentication',
    action: 'user_authentication',
    table: 'authentication_events',
    fields: {
      auth_action: 'text',
      user_id: 'text',
      auth_success: 'boolean',
      auth_method: 'text',
      failure_reason: 'text',
    },
  },
  {
    kind: 'payment',
    event: 'Payment Processing',
    action: 'payment_processing',
    table: 'payment_events',
    fields: {
      payment_action: 'text',
      payment_amount: 'real',
      payment_currency: 'text',
      payment_success: 'boolean',
      payment_provider: 'text',
      duration_ms: 'real',
    },
  },
  {
    kind: 'email',
    event: 'Email Send',
    action: 'email_send',
    table: 'email_events',
    fields: {
      email_template: 'text',
      email_success: 'boolean',
      recipient_domain: 'text',
      email_provider: 'text',
      duration_ms: 'real',
    },
  },
  {
    kind: 'file',
    event: 'File Operation',
    action: 'file_operation',
    table: 'file_operation_events',
    fields: {
      file_operation: 'text',
      file_type: 'text',
      file_size_bytes: 'integer',
      file_success: 'boolean',
      duration_ms: 'real',
    },
  },
  {
    kind: 'external_api',
    event: 'External API Call',
    action: 'external_api_call',
    table: 'external_api_events',
    fields: {
      service: 'text',
      endpoint: 'text',
      http_method: 'text',
      status_code: 'integer',
      duration_ms: 'real',
      success: 'boolean',
    },
  },
  {
    kind: 'system',
    event: 'System Performance',
    action: 'system_performance',
    table: 'system_performance_events',
    fields: {
      memory_rss_bytes: 'integer',
      heap_used_bytes: 'integer',
      heap_total_bytes: 'integer',
      cpu_percent: 'real',
      event_loop_delay_p50_ms: 'real',
      event_loop_delay_p99_ms: 'real',
      uptime_s: 'real',
    },
  },
  {
    kind: 'error',
    event: 'Backend Error',
    action: 'backend_error',
    table: 'backend_error_events',
    fields: {
      error_source: 'text',
      error_name: 'text',
      error_message: 'text',
      status_code: 'integer',
      method: 'text',
      route: 'text',
      stack_fingerprint: 'text',
    },
  },
];

const BY_KIND = new Map(EVENT_CATALOG.map((spec) => [spec.kind, spec]));

export function eventKindSpec(kind: EventKind): EventKindSpec {
  return BY_KIND.get(kind)!;
}
