// nestjs-jitsu-analytics — backend event router, as a Jitsu function.
//
// Paste this file into Jitsu (Functions → New function) and attach it to the connection that
// receives your backend events. It sets JITSU_TABLE_NAME on events that arrive without it, with
// the same rules the library uses (a known event_action, else a known event name, picks the table;
// anything else goes to custom_events). Events that already name their table are left alone, and
// so are identify, page, group and other non-track calls: backend events are all track events.
// To rename a table, change it in TABLES below (keep it in step with the library's `tables` option).
//
// The rules are checked against the library's own routing in its test suite, so they cannot drift.

const TABLES = {
  api: 'api_events',
  database: 'database_events',
  authentication: 'authentication_events',
  payment: 'payment_events',
  email: 'email_events',
  file: 'file_operation_events',
  external_api: 'external_api_events',
  system: 'system_performance_events',
  error: 'backend_error_events',
  custom: 'custom_events',
};

// [kind, event name, event_action] for each of the nine kinds of backend event.
const RULES = [
  ['api', 'API Call', 'api_request'],
  ['database', 'Database Query', 'database_query'],
  ['authentication', 'User Authentication', 'user_authentication'],
  ['payment', 'Payment Processing', 'payment_processing'],
  ['email', 'Email Send', 'email_send'],
  ['file', 'File Operation', 'file_operation'],
  ['external_api', 'External API Call', 'external_api_call'],
  ['system', 'System Performance', 'system_performance'],
  ['error', 'Backend Error', 'backend_error'],
];

export function routeBackendEvent(event) {
  const action = event && event.properties ? event.properties.event_action : undefined;
  // An event that names its action is routed by it alone: `event_action: 'custom'` is custom.
  const rule = action === undefined || action === null ? RULES.find((r) => event && r[1] === event.event) : RULES.find((r) => r[2] === action);
  return rule ? TABLES[rule[0]] : TABLES.custom;
}

export const config = { slug: 'backend-event-router', name: 'Backend event router' };

export default async function backendEventRouter(event) {
  if (!event || event.JITSU_TABLE_NAME || !isTrack(event)) return event;
  event.JITSU_TABLE_NAME = routeBackendEvent(event);
  return event;
}

// Events without a type (Classic-style payloads) are taken as track events, as the library does.
function isTrack(event) {
  return event.type === undefined || event.type === null || event.type === 'track';
}

export { RULES, TABLES };
