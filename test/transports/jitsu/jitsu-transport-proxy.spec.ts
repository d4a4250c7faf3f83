import { forwardProxy } from '../../support/forward-proxy.js';
import { resolveJitsuOptions } from '../../../lib/transports/jitsu/jitsu-options.js';
import { batchOf, expectNoSecrets, failureOf, useFakeJitsu } from './transport-harness.js';

describe('Jitsu transport through a forward proxy (proxy)', () => {
  const harness = useFakeJitsu();
  const signal = new AbortController().signal;
  const proxies: Array<Awaited<ReturnType<typeof forwardProxy>>> = [];
  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });
  const startProxy = async (credentials?: string) => {
    const proxy = await forwardProxy({ credentials });
    proxies.push(proxy);
    return proxy;
  };

  it('delivers through a CONNECT tunnel', async () => {
    const proxy = await startProxy();
    const jitsu = harness.transport({ proxy: proxy.url });
    const first = batchOf(3);
    const second = batchOf(2, 3);
    expect(await jitsu.send(first, signal)).toEqual({});
    expect(await jitsu.send(second, signal)).toEqual({});
    expect(harness.fake.acceptedIds()).toEqual(new Set([...first, ...second].map((e) => e.messageId)));
    expect(proxy.tunnels()).toBeGreaterThanOrEqual(1);
    expect(proxy.requested()).toEqual([]);
  });

  it('sends the proxy the credentials its URL carries', async () => {
    const proxy = await startProxy('relay:s3cret-pass');
    const batch = batchOf(1);
    expect(await harness.transport({ proxy: `http://relay:s3cret-pass@127.0.0.1:${proxy.port}` }).send(batch, signal)).toEqual({});
    expect(harness.fake.acceptedIds()).toEqual(new Set([batch[0]!.messageId]));
  });

  it('a proxy that refuses the credentials (407): not retried, dropped as unauthorized, the password in no message', async () => {
    const proxy = await startProxy('relay:s3cret-pass');
    const error = await failureOf(harness.transport({ proxy: `http://relay:wrong-pass@127.0.0.1:${proxy.port}` }).send(batchOf(1), signal));
    expect(error.retryable).toBe(false);
    expect(error.dropReason).toBe('unauthorized');
    expect(error.message).toBe(`Could not deliver to Jitsu at ${harness.fake.url}: the proxy refused to open a tunnel (HTTP 407): check the credentials in proxy`);
    expectNoSecrets(error, ['wrong-pass', harness.fake.writeKey]);
    expect(harness.fake.acceptedIds().size).toBe(0);
  });

  it('a proxy that is down: a retryable connection refused, naming Jitsu', async () => {
    const proxy = await startProxy();
    await proxy.close();
    const error = await failureOf(harness.transport({ proxy: proxy.url }).send(batchOf(1), signal));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`Could not deliver to Jitsu at ${harness.fake.url}`);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it.each([['ftp://proxy.internal:21'], ['proxy.internal:3128'], ['http://[::1']])('refuses proxy %s at once, without quoting it', (proxy) => {
    expect(() => resolveJitsuOptions({ jitsuUrl: 'http://localhost:8080', writeKey: 'key:secret', proxy })).toThrow(
      'Jitsu transport option proxy must be an http:// or https:// URL, e.g. "http://proxy.internal:3128"',
    );
  });
});
