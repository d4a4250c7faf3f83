import { EVENT_CATALOG } from '../../lib/events/event-catalog.js';
import { DEFAULT_TABLES, resolveTableNames, routeEvent } from '../../lib/events/table-router.js';
import backendEventRouter, { RULES, TABLES } from '../../jitsu/backend-event-router.js';
import { sampleEvent, SAMPLE_KINDS } from '../support/sample-events.js';

/** DESIGN.md "Events and tables", row by row. */
const DESIGN_TABLE: Array<[string, string, string]> = [
  ['API Call', 'api_request', 'api_events'],
  ['Database Query', 'database_query', 'database_events'],
  ['User Authentication', 'user_authentication', 'authentication_events'],
  ['Payment Processing', 'payment_processing', 'payment_events'],
  ['Email Send', 'email_send', 'email_events'],
  ['File Operation', 'file_operation', 'file_operation_events'],
  ['External API Call', 'external_api_call', 'external_api_events'],
  ['System Performance', 'system_performance', 'system_performance_events'],
  ['Backend Error', 'backend_error', 'backend_error_events'],
];

describe('routeEvent (the library)', () => {
  it.each(DESIGN_TABLE)('routes %s (%s) to %s', (event, action, table) => {
    expect(routeEvent({ event, properties: { event_action: action } })).toBe(table);
    expect(routeEvent({ event, properties: {} })).toBe(table);
    expect(routeEvent({ event, properties: { event_action: null } })).toBe(table);
    expect(routeEvent({ event: 'Renamed', properties: { event_action: action } })).toBe(table);
  });

  it('sends anything else, and malformed events, to custom_events', () => {
    expect(routeEvent({ event: 'Signup Started', properties: { event_action: 'custom' } })).toBe('custom_events');
    expect(routeEvent({ event: undefined, properties: null })).toBe('custom_events');
    expect(routeEvent({})).toBe('custom_events');
  });

  it('uses overridden table names', () => {
    const tables = resolveTableNames({ api: 'http_requests', custom: 'misc' });
    expect(routeEvent({ event: 'API Call' }, tables)).toBe('http_requests');
    expect(routeEvent({ event: 'Other' }, tables)).toBe('misc');
    expect(routeEvent({ event: 'Email Send' }, tables)).toBe('email_events');
  });

  it('the catalog matches DESIGN.md exactly', () => {
    expect(EVENT_CATALOG.map((s) => [s.event, s.action, s.table])).toEqual(DESIGN_TABLE);
  });
});

describe('jitsu/backend-event-router.js (the Jitsu function)', () => {
  it('carries the same rules and table names as the library', () => {
    expect(RULES).toEqual(EVENT_CATALOG.map((s) => [s.kind, s.event, s.action]));
    expect(TABLES).toEqual(DEFAULT_TABLES);
  });

  it('routes each of the nine kinds, arriving without JITSU_TABLE_NAME, as the library does', async () => {
    for (const kind of SAMPLE_KINDS) {
      const { JITSU_TABLE_NAME: expected, ...event } = sampleEvent(kind, 1);
      const routed = await backendEventRouter({ ...event });
      expect(routed.JITSU_TABLE_NAME).toBe(expected);
      expect(routed.JITSU_TABLE_NAME).toBe(routeEvent(event));
    }
    const custom = await backendEventRouter({ type: 'track', event: 'Signup Started', properties: {} });
    expect(custom.JITSU_TABLE_NAME).toBe('custom_events');
  });

  it("routes a custom event named like a kind as custom, as track('API Call') is sent, in both", async () => {
    const named = { type: 'track', event: 'API Call', properties: { event_action: 'custom', a: 1 } };
    expect(routeEvent(named)).toBe('custom_events');
    expect((await backendEventRouter({ ...named })).JITSU_TABLE_NAME).toBe('custom_events');
    const unknownAction = { type: 'track', event: 'Payment Processing', properties: { event_action: 'refund' } };
    expect(routeEvent(unknownAction)).toBe('custom_events');
    expect((await backendEventRouter({ ...unknownAction })).JITSU_TABLE_NAME).toBe('custom_events');
  });

  // Every backend event is a track event; identify, page and group calls from the same app (or
  // any other source on the connection) keep the tables Jitsu gives them (users, pages, ...).
  it('leaves events other than track to Jitsu, even when they carry a backend event name', async () => {
    for (const type of ['identify', 'page', 'screen', 'group', 'alias']) {
      const event = { type, event: 'API Call', userId: 'u1', properties: { event_action: 'api_request' } };
      expect(await backendEventRouter({ ...event })).toEqual(event);
    }
    const untyped = { event: 'API Call', properties: {} };
    expect((await backendEventRouter({ ...untyped })).JITSU_TABLE_NAME).toBe('api_events');
  });

  it('leaves an event that already names its table alone', async () => {
    const event = { ...sampleEvent('api', 2), JITSU_TABLE_NAME: 'mine' };
    expect((await backendEventRouter(event)).JITSU_TABLE_NAME).toBe('mine');
  });
});
