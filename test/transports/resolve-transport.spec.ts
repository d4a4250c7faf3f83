import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { resolveOptions } from '../../lib/analytics-options.resolver.js';
import { describeDestination, resolveTransport } from '../../lib/transports/resolve-transport.js';
import type { AnalyticsTransport } from '../../lib/transports/transport.interface.js';
import { FakeJitsuServer } from '../fake-jitsu/fake-jitsu-server.js';
import { forwardProxy } from '../support/forward-proxy.js';
import { sampleEvent, toQueuedEvent } from '../support/sample-events.js';
import { failureOf } from './jitsu/transport-harness.js';

describe('resolveTransport: the Jitsu transport it builds', () => {
  let fake: FakeJitsuServer;
  const transports: AnalyticsTransport[] = [];

  beforeAll(async () => {
    fake = await FakeJitsuServer.start();
  });

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close?.()));
    fake.reset();
  });

  afterAll(async () => {
    await fake.stop();
  });

  const jitsuTransport = (extra: Record<string, unknown>): AnalyticsTransport => {
    const options = resolveOptions({ jitsuUrl: fake.url, writeKey: fake.writeKey, ...extra });
    const transport = resolveTransport(options, new Logger('resolve-transport.spec'))!;
    transports.push(transport);
    return transport;
  };

  // The transport's own default is 10 s: a stalled server reported as timed out after the
  // option's 300 ms can only come from the option reaching the transport.
  it('gives it the requestTimeout option as its request deadline', async () => {
    fake.stall();
    const transport = jitsuTransport({ requestTimeout: 300 });

    const error = await failureOf(
      Promise.resolve(transport.send([toQueuedEvent(sampleEvent('file', 0))], new AbortController().signal)),
    );

    expect(error.retryable).toBe(true);
    expect(error.message).toContain('request timed out after 300 ms');
  });

  it('sends through the proxy option, and says so (with the proxy host only) where it says where events go', async () => {
    const proxy = await forwardProxy({ credentials: 'relay:pw-4a7c' });
    try {
      const event = toQueuedEvent(sampleEvent('file', 0));
      const viaProxy = `http://relay:pw-4a7c@127.0.0.1:${proxy.port}`;
      expect(await jitsuTransport({ proxy: viaProxy }).send([event], new AbortController().signal)).toEqual({});
      expect(fake.acceptedIds()).toEqual(new Set([event.messageId]));
      expect(proxy.tunnels()).toBe(1);
      expect(describeDestination(resolveOptions({ jitsuUrl: fake.url, writeKey: fake.writeKey, proxy: viaProxy }))).toBe(
        `events go to Jitsu at ${fake.url} through the proxy at 127.0.0.1:${proxy.port}`,
      );
    } finally {
      await Promise.all(transports.splice(0).map((t) => t.close?.()));
      await proxy.close();
    }
  });
});

describe('resolveTransport: the warehouse transport it builds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitsu-resolve-transport-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Events are routed to the renamed table; the warehouse must know that table as the kind's, or
  // it makes a custom table and every typed field ends up in the JSON column only.
  it('gives it the tables option: a renamed table gets its kind’s typed columns', async () => {
    const file = join(dir, 'renamed.sqlite');
    const options = resolveOptions({ destination: { type: 'warehouse', url: `sqlite:${file}` }, tables: { api: 'http_calls' } });
    const transport = resolveTransport(options, new Logger('resolve-transport.spec'))!;
    const event = { ...sampleEvent('api', 2), JITSU_TABLE_NAME: 'http_calls' };
    try {
      expect(await transport.send([toQueuedEvent(event)], new AbortController().signal)).toEqual({});
    } finally {
      await transport.close?.();
    }
    const db = new Database(file);
    try {
      expect(db.prepare('SELECT route, status_code, properties FROM http_calls').get()).toEqual({
        route: event.properties.route,
        status_code: event.properties.status_code,
        properties: '{}',
      });
    } finally {
      db.close();
    }
  });
});
