import { Readable } from 'node:stream';
import { UUID_V7_PATTERN } from '../../lib/events/message-id.js';
import { createAnalytics } from '../../lib/create-analytics.js';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import { memoryAnalytics } from '../support/memory-analytics.js';

const version = (await import('../../package.json', { with: { type: 'json' } })).default.version;

describe('AnalyticsService events', () => {
  it('track() builds a Jitsu track event with envelope, common fields and the custom table', async () => {
    const { analytics, delivered } = memoryAnalytics({ serviceName: 'orders', environment: 'test' });
    analytics.track('Signup Started', { plan: 'pro' }, { userId: 'u1', anonymousId: 'a1', timestamp: '2026-01-02T03:04:05Z' });
    const [event] = await delivered();
    expect(event).toEqual({
      type: 'track',
      event: 'Signup Started',
      messageId: expect.stringMatching(UUID_V7_PATTERN),
      timestamp: '2026-01-02T03:04:05.000Z',
      userId: 'u1',
      anonymousId: 'a1',
      properties: { plan: 'pro', event_category: 'backend', event_action: 'custom', service_name: 'orders', environment: 'test' },
      context: { library: { name: 'nestjs-jitsu-analytics', version } },
      JITSU_TABLE_NAME: 'custom_events',
    });
  });

  it('track() sends numeric ids as text', async () => {
    const { analytics, delivered } = memoryAnalytics();
    analytics.track('Signup Started', {}, { userId: 42, anonymousId: 7 });
    const [event] = await delivered();
    expect([event.userId, event.anonymousId]).toEqual(['42', '7']);
  });

  it('track() honours a table given by the caller and configured table names', async () => {
    const { analytics, delivered } = memoryAnalytics({ tables: { custom: 'my_custom', payment: 'payments' } });
    analytics.track('A', {}, { table: 'signup_funnel' });
    analytics.track('B');
    await analytics.trackPayment('charge', 10, 'usd', true);
    expect((await delivered()).map((e) => e.JITSU_TABLE_NAME)).toEqual(['signup_funnel', 'my_custom', 'payments']);
  });

  it('each business method records its DESIGN.md event, action, table and fields', async () => {
    const { analytics, delivered } = memoryAnalytics();
    await analytics.trackUserAuth('login', 'user-7', false, { method: 'password', failureReason: 'bad_password' });
    await analytics.trackPayment('charge', 99.5, 'eur', true, { provider: 'stripe', durationMs: 12.3456 });
    await analytics.trackEmailSend('Jane.Doe@Example.COM', 'welcome', true, { provider: 'ses' });
    await analytics.trackFileOperation('upload', 'image/png', 2048, true, { durationMs: 3 });
    await analytics.trackExternalApiCall('stripe', '/v1/charges?customer=cus_123', 250, true, { method: 'post', statusCode: 200 });
    const events = await delivered();
    const pick = (i: number) => ({ event: events[i]!.event, table: events[i]!.JITSU_TABLE_NAME, ...events[i]!.properties });
    expect(pick(0)).toEqual({ event: 'User Authentication', table: 'authentication_events', event_category: 'backend', event_action: 'user_authentication', environment: 'test', auth_action: 'login', user_id: 'user-7', auth_success: false, auth_method: 'password', failure_reason: 'bad_password' });
    expect(events[0]!.userId).toBe('user-7');
    expect(pick(1)).toEqual({ event: 'Payment Processing', table: 'payment_events', event_category: 'backend', event_action: 'payment_processing', environment: 'test', payment_action: 'charge', payment_amount: 99.5, payment_currency: 'EUR', payment_success: true, payment_provider: 'stripe', duration_ms: 12.346 });
    expect(pick(2)).toEqual({ event: 'Email Send', table: 'email_events', event_category: 'backend', event_action: 'email_send', environment: 'test', email_template: 'welcome', email_success: true, recipient_domain: 'example.com', email_provider: 'ses' });
    expect(pick(3)).toEqual({ event: 'File Operation', table: 'file_operation_events', event_category: 'backend', event_action: 'file_operation', environment: 'test', file_operation: 'upload', file_type: 'image/png', file_size_bytes: 2048, file_success: true, duration_ms: 3 });
    expect(pick(4)).toEqual({ event: 'External API Call', table: 'external_api_events', event_category: 'backend', event_action: 'external_api_call', environment: 'test', service: 'stripe', endpoint: '/v1/charges', http_method: 'POST', status_code: 200, duration_ms: 250, success: true });
  });

  it('trackExternalApiCall never sends the token of a bot or webhook URL', async () => {
    const { analytics, delivered } = memoryAnalytics();
    const token = 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    await analytics.trackExternalApiCall('telegram', `https://api.telegram.org/bot123456789:${token}/sendMessage?chat_id=1`, 5, true);
    await analytics.trackExternalApiCall('discord', `/api/webhooks/1187654321/${token}`, 5, true);
    const events = await delivered();
    expect(events.map((e) => e.properties.endpoint)).toEqual(['https://api.telegram.org/bot[REDACTED]/sendMessage', '/api/webhooks/1187654321/[REDACTED]']);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it('trackDbQuery sends a fingerprint without literals, and a failed query adds a Backend Error', async () => {
    const { analytics, delivered } = memoryAnalytics();
    await analytics.trackDbQuery(`SELECT * FROM users WHERE email = 'jane@example.com' AND id IN (1, 2, 3)`, 4.2, true);
    await analytics.trackDbQuery(`INSERT INTO orders (total) VALUES (4242)`, 1, false, { errorCode: '23505' });
    const events = await delivered();
    expect(events.map((e) => e.event)).toEqual(['Database Query', 'Database Query', 'Backend Error']);
    expect(events[0]!.properties).toMatchObject({ query_type: 'SELECT', query_table: 'users', query_duration_ms: 4.2, query_success: true });
    const wire = JSON.stringify(events);
    for (const literal of ['jane@example.com', '4242', '1, 2, 3']) expect(wire).not.toContain(literal);
    expect(events[1]!.properties).toMatchObject({ query_type: 'INSERT', query_table: 'orders', query_success: false, error_code: '23505' });
    expect(events[2]!.JITSU_TABLE_NAME).toBe('backend_error_events');
    expect(events[2]!.properties).toMatchObject({ error_source: 'database', error_name: 'QueryFailed', error_message: 'query failed with code 23505' });
  });

  it('timeDbQuery hands the app exactly what the driver threw, even a value whose fields cannot be read', async () => {
    const { analytics, delivered } = memoryAnalytics();
    const hostile = {
      get code(): never {
        throw new Error('getter');
      },
      get message(): never {
        throw new Error('getter');
      },
    };
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const thrown of [hostile, revoked.proxy]) {
      await expect(
        analytics.timeDbQuery('SELECT 1', () => {
          throw thrown;
        }),
      ).rejects.toBe(thrown);
    }
    const events = await delivered();
    expect(events.map((e) => e.event)).toEqual(['Database Query', 'Backend Error', 'Database Query', 'Backend Error']);
    expect(events[1]!.properties).toMatchObject({ error_message: 'query failed' });
  });

  it('timeDbQuery times a driver call, passes its result through, and records a thrown error once', async () => {
    const { analytics, delivered } = memoryAnalytics();
    await expect(analytics.timeDbQuery('SELECT 1', async () => 'rows')).resolves.toBe('rows');
    const failure = Object.assign(new Error(`Duplicate entry 'bob@x.io' for key 'users.email'`), { code: 'ER_DUP_ENTRY' });
    await expect(analytics.timeDbQuery('INSERT INTO t VALUES (1)', () => Promise.reject(failure))).rejects.toBe(failure);
    const events = await delivered();
    expect(events.map((e) => [e.event, e.properties.query_success ?? e.properties.error_name])).toEqual([
      ['Database Query', true],
      ['Database Query', false],
      ['Backend Error', 'Error'],
    ]);
    expect(events[2]!.properties).toMatchObject({ error_source: 'database', error_message: `Duplicate entry '?' for key 'users.email'` });
    expect(events[1]!.properties.error_code).toBe('ER_DUP_ENTRY');
    expect(JSON.stringify(events)).not.toContain('bob');
  });

  it("timeDbQuery times a query that gives back a stream until the stream is over, in the caller's request", async () => {
    const { analytics, delivered } = memoryAnalytics();
    const PAUSE_MS = 30;
    const rows = new Readable({ objectMode: true, read: () => undefined });
    const returned = await analytics.core.requestContext.run({ requestId: 'req-rows' }, () => analytics.timeDbQuery('SELECT * FROM t', () => rows));
    expect(returned).toBe(rows);
    // The rows arrive later, from the connection's socket: outside the request.
    setTimeout(() => {
      rows.push({ id: 1 });
      rows.push(null);
    }, PAUSE_MS);
    for await (const row of rows) expect(row).toEqual({ id: 1 });

    const failing = new Readable({ read: () => undefined });
    await analytics.timeDbQuery('SELECT * FROM missing', async () => failing);
    const failure = Object.assign(new Error('relation "missing" does not exist'), { code: '42P01' });
    const seen = new Promise((resolve) => failing.once('error', resolve));
    failing.destroy(failure);
    expect(await seen).toBe(failure);

    // A stream the query function read itself before handing it over is over already.
    const readFirst = Readable.from([{ id: 2 }]);
    await analytics.timeDbQuery('SELECT * FROM read_first', async () => {
      for await (const row of readFirst) expect(row).toEqual({ id: 2 });
      return readFirst;
    });

    const events = await delivered();
    expect(events.map((e) => [e.event, e.properties.query_success ?? e.properties.error_source])).toEqual([
      ['Database Query', true],
      ['Database Query', false],
      ['Backend Error', 'database'],
      ['Database Query', true],
    ]);
    expect(events[1]!.properties.error_code).toBe('42P01');
    expect(events[0]!.properties.request_id).toBe('req-rows');
    expect(events[0]!.properties.query_duration_ms as number).toBeGreaterThanOrEqual(PAUSE_MS - 5);
  });

  it("reads trackDbQuery/timeDbQuery SQL by database.dialect, and safely under every dialect's rules without it", async () => {
    const sql = "SELECT * FROM files WHERE dir = 'C:\\' AND owner = 'bob secret words' AND id = 7";
    const fingerprintUnder = async (database: { dialect?: 'postgres' | 'mysql' }) => {
      const { analytics, delivered } = memoryAnalytics({ database });
      await analytics.timeDbQuery(sql, () => 'rows');
      return (await delivered())[0]!.properties.query_fingerprint;
    };
    expect(await fingerprintUnder({ dialect: 'postgres' })).toBe('SELECT * FROM files WHERE dir = ? AND owner = ? AND id = ?');
    // Unknown: MySQL would read the backslash as an escape, so from that string on nothing is trusted.
    const unknown = await fingerprintUnder({});
    expect(unknown).toMatch(/^SELECT \* FROM files WHERE dir = \?/);
    expect(unknown).not.toContain('bob');
    expect(unknown).not.toContain('secret');
  });

  it('trackApiError records a Backend Error from the api with the request route', async () => {
    const { analytics, delivered } = memoryAnalytics();
    const error = Object.assign(new Error('Not Found'), { status: 404, name: 'NotFoundException' });
    await analytics.trackApiError(error, { method: 'GET', url: '/users/42?x=1', route: { path: '/users/:id' } });
    const [event] = await delivered();
    expect(event!.properties).toMatchObject({ error_source: 'api', error_name: 'NotFoundException', error_message: 'Not Found', status_code: 404, method: 'GET', route: '/users/:id', stack_fingerprint: expect.any(String) });
  });

  it('trackApiError without a matched route takes the path of the URL, never its query string', async () => {
    const { analytics, delivered } = memoryAnalytics();
    await analytics.trackApiError(new Error('expired'), { method: 'POST', url: '/reset?email=ada%40example.com&code=481516' });
    const [event] = await delivered();
    expect(event!.properties).toMatchObject({ error_source: 'api', method: 'POST', route: '/reset' });
    expect(JSON.stringify(event)).not.toContain('481516');
  });

  it('trackApiError still records the error when its getStatus() throws, without a status', async () => {
    const { analytics, delivered } = memoryAnalytics();
    const error = Object.assign(new Error('odd'), {
      getStatus: () => {
        throw new Error('no status');
      },
    });
    await analytics.trackApiError(error);
    const [event] = await delivered();
    expect(event!.properties).toMatchObject({ error_source: 'api', error_name: 'Error', error_message: 'odd' });
    expect(event!.properties).not.toHaveProperty('status_code');
  });

  it('takes a snapshot at enqueue: mutating the properties afterwards changes nothing', async () => {
    const { analytics, delivered } = memoryAnalytics();
    const props = { step: 1 };
    analytics.track('Step', props);
    props.step = 2;
    expect((await delivered())[0]!.properties.step).toBe(1);
  });

  it('never sends passwords, tokens or card numbers found in properties', async () => {
    const { analytics, delivered, drops } = memoryAnalytics();
    analytics.track('Login', { password: 'hunter2', headers: { authorization: 'Bearer abc.def.ghi' }, note: 'card 4111 1111 1111 1111' });
    const events = await delivered();
    // Sent, not dropped: a dropped event would leak nothing either.
    expect(drops).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toBe('Login');
    expect(events[0]!.properties).toMatchObject({ password: '[REDACTED]', headers: { authorization: '[REDACTED]' }, note: 'card [REDACTED_CARD]' });
    const wire = JSON.stringify(events);
    for (const secret of ['hunter2', 'abc.def.ghi', '4111 1111 1111 1111']) expect(wire).not.toContain(secret);
  });
});

describe('AnalyticsService with bad input never throws', () => {
  it('serialises circular objects, BigInt, symbols, functions and undefined safely', async () => {
    const { analytics, delivered, drops } = memoryAnalytics();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    expect(() => analytics.track('Weird', { circular, big: 2n ** 64n, sym: Symbol('s'), fn: () => 1, undef: undefined })).not.toThrow();
    const [event] = await delivered();
    expect(event!.properties).toMatchObject({ circular: { name: 'loop', self: '[Circular]' }, big: '18446744073709551616' });
    expect(event!.properties).not.toHaveProperty('sym');
    expect(event!.properties).not.toHaveProperty('fn');
    expect(event!.properties).not.toHaveProperty('undef');
    expect(drops).toEqual([]);
    expect(analytics.stats().warnings.unserialisable).toBe(1);
  });

  it('uses the current time for an invalid date, with a counted warning', async () => {
    const { analytics, delivered } = memoryAnalytics();
    const before = Date.now();
    analytics.track('Late', { when: new Date('garbage') }, { timestamp: new Date('garbage') });
    const [event] = await delivered();
    expect(event!.properties.when).toBeNull();
    expect(Date.parse(event!.timestamp)).toBeGreaterThanOrEqual(before - 1);
    expect(analytics.stats().warnings.invalid_timestamp).toBe(1);
  });

  it('truncates a 2 MB string to stay far below the per-event limit', async () => {
    const { analytics, delivered } = memoryAnalytics();
    analytics.track('Big', { blob: 'x'.repeat(2 * 1024 * 1024) });
    const [event] = await delivered();
    expect(String(event!.properties.blob)).toMatch(/^x{16384}…\[truncated 2080768 chars\]$/);
    expect(analytics.stats().warnings.truncated).toBe(1);
  });

  it('drops non-string, empty and over-long event names with reason invalid_event', async () => {
    const { analytics, delivered, drops } = memoryAnalytics();
    for (const name of [42, null, undefined, {}, '', 'x'.repeat(129)]) {
      expect(() => analytics.track(name as unknown as string)).not.toThrow();
    }
    expect(await delivered()).toEqual([]);
    expect(drops.map((d) => d.reason)).toEqual(Array(6).fill('invalid_event'));
    expect(drops[0]!.detail).toBe('event name must be a non-empty string, got number');
    expect(drops[5]!.detail).toBe('event name is 129 characters; Jitsu accepts at most 128');
    expect(analytics.stats().dropped.invalid_event).toBe(6);
  });

  it('treats null properties as none and wraps non-object properties with a warning', async () => {
    const { analytics, delivered } = memoryAnalytics();
    analytics.track('Null', null);
    analytics.track('Str', 'text' as unknown as object);
    const events = await delivered();
    // Jest sets NODE_ENV=test, the default `environment`.
    expect(events[0]!.properties).toEqual({ event_category: 'backend', event_action: 'custom', environment: 'test' });
    expect(events[1]!.properties.value).toBe('text');
    expect(analytics.stats().warnings.invalid_properties).toBe(1);
  });

  it('drops an event for an invalid table name instead of sending it', async () => {
    const { analytics, delivered, drops } = memoryAnalytics();
    analytics.track('X', {}, { table: 'users; DROP TABLE users' });
    expect(await delivered()).toEqual([]);
    expect(drops[0]).toMatchObject({ reason: 'invalid_event', count: 1 });
  });

  it('records a missing amount as missing with a counted warning', async () => {
    const { analytics, delivered } = memoryAnalytics();
    await analytics.trackPayment('charge', Number.NaN, 'usd', true);
    await analytics.trackPayment('charge', '12' as unknown as number, 'usd', true);
    const events = await delivered();
    expect(events.map((e) => e.properties.payment_amount)).toEqual([undefined, undefined]);
    expect(analytics.stats().warnings.invalid_field).toBe(2);
  });

  it('applies beforeSend: null filters, a throw drops, a change is kept', async () => {
    const { analytics, delivered, drops } = memoryAnalytics({
      beforeSend: (e) => {
        if (e.event === 'Filter') return null;
        if (e.event === 'Throw') throw new Error('bad hook');
        return { ...e, properties: { ...e.properties, enriched: true } };
      },
    });
    analytics.track('Filter');
    analytics.track('Throw');
    analytics.track('Keep');
    const events = await delivered();
    expect(events.map((e) => [e.event, e.properties.enriched])).toEqual([['Keep', true]]);
    expect(drops.map((d) => d.reason)).toEqual(['filtered', 'before_send_failed']);
  });

  it('drops, counts and never lets reject an async beforeSend, and refuses what is not an event', async () => {
    const { analytics, delivered, drops } = memoryAnalytics({
      beforeSend: ((e: { event: string }) => {
        if (e.event === 'Rejects') return Promise.reject(new Error('async hook failed'));
        if (e.event === 'Resolves') return Promise.resolve(e);
        if (e.event === 'Text') return 'not an event';
        if (e.event === 'No Id') return { ...e, messageId: undefined };
        return e;
      }) as never,
    });
    for (const name of ['Rejects', 'Resolves', 'Text', 'No Id', 'Keep']) analytics.track(name);
    const events = await delivered();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.map((e) => e.event)).toEqual(['Keep']);
    expect(drops.map((d) => d.reason)).toEqual(['before_send_failed', 'before_send_failed', 'before_send_failed', 'before_send_failed']);
    expect(drops[0].detail).toContain('beforeSend returned a Promise');
  });

  it('survives a logger that throws: no call throws into the app, and deliveries still settle', async () => {
    const throwing = () => {
      throw new Error('log stream closed');
    };
    const logger = { log: throwing, warn: throwing, error: throwing, debug: throwing };
    let calls = 0;
    const destination = {
      send: async () => {
        if (++calls === 1) throw new DeliveryError('refused', { retryable: false });
        return {};
      },
    };
    const analytics = createAnalytics({ destination, debug: true, batchSize: 1, system: { enabled: false } }, { logger });
    try {
      expect(() => analytics.track('Odd', 'not an object' as never)).not.toThrow();
      await analytics.flush();
      analytics.track('Fine');
      await analytics.flush();
      expect(analytics.stats()).toMatchObject({ sent: 1, dropped: { rejected: 1 } });
    } finally {
      await analytics.shutdown();
    }
  });

  it('track() keeps what it can of unusual properties: a Map as an object, a throwing getter as its own field only', async () => {
    const { analytics, delivered, drops } = memoryAnalytics();
    analytics.track('Map', new Map<unknown, unknown>([['plan', 'pro'], [7, 'seven']]));
    analytics.track('Getter', Object.defineProperty({ plan: 'pro' }, 'broken', { enumerable: true, get: () => { throw new Error('boom'); } }));
    analytics.track('Date', new Date('2026-01-02T03:04:05.000Z'));
    const events = await delivered();
    expect(events.map((e) => [e.event, e.properties.plan ?? e.properties.value, e.properties.broken ?? e.properties['7']])).toEqual([
      ['Map', 'pro', 'seven'],
      ['Getter', 'pro', '[Unreadable]'],
      ['Date', '2026-01-02T03:04:05.000Z', undefined],
    ]);
    expect(drops).toEqual([]);
    expect(analytics.stats().warnings.invalid_properties).toBe(1);
  });

  it('isolates a listener that throws', async () => {
    const { analytics, delivered } = memoryAnalytics();
    analytics.on('sent', () => {
      throw new Error('listener bug');
    });
    analytics.track('A');
    await expect(delivered()).resolves.toHaveLength(1);
  });
});

describe('enabled: false', () => {
  it('records nothing and every call is a no-op', async () => {
    const { analytics, transport } = memoryAnalytics({ enabled: false });
    analytics.track('A', { a: 1 });
    await analytics.sendEvent('B');
    await analytics.trackPayment('charge', 1, 'usd', true);
    await expect(analytics.timeDbQuery('SELECT 1', () => 5)).resolves.toBe(5);
    await analytics.flush();
    expect(transport.events()).toEqual([]);
    expect(analytics.stats()).toMatchObject({ queued: 0, sent: 0, dropped: {} });
  });
});

describe('after shutdown', () => {
  it('counts new events as dropped (closed) without throwing', async () => {
    const { analytics, drops } = memoryAnalytics();
    await analytics.shutdown();
    expect(() => analytics.track('Late')).not.toThrow();
    expect(drops).toEqual([expect.objectContaining({ reason: 'closed', count: 1 })]);
  });
});
