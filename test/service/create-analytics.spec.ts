import { createAnalytics } from '../../lib/create-analytics.js';
import { CapturingLogger } from '../secrets/support/log-capture.js';

describe('createAnalytics', () => {
  it('says where events go, as the Nest module does at bootstrap', async () => {
    const logger = new CapturingLogger();
    const analytics = createAnalytics({ jitsuUrl: 'http://127.0.0.1:9/', writeKey: 'id:secret-value', system: { enabled: false } }, { logger });
    await analytics.shutdown();
    expect(logger.lines[0]).toBe('log events go to Jitsu at http://127.0.0.1:9');
  });

  it('says so when a writeKey is set without a jitsuUrl, rather than quietly logging events to the console', async () => {
    const logger = new CapturingLogger();
    const analytics = createAnalytics({ writeKey: 'id:secret-value', system: { enabled: false } }, { logger });
    await analytics.shutdown();
    expect(logger.lines).toEqual(['log events are written to the log (console destination): a writeKey is set but no jitsuUrl, so nothing goes to Jitsu']);
  });

  // Sends are wrapped (to tell the instance's own deliveries from the app's outbound calls): the
  // wrapper must still pass close on, or a destination's pool or file stays open after shutdown.
  it.each([false, true])('shutdown closes a custom destination after its last send (outbound HTTP tracking %s)', async (outbound) => {
    const calls: string[] = [];
    const transport = {
      send: async () => void calls.push('send'),
      close: async () => void calls.push('close'),
    };
    const analytics = createAnalytics(
      { destination: transport, system: { enabled: false }, outboundHttp: { enabled: outbound } },
      { logger: false },
    );
    analytics.track('Last');
    await analytics.shutdown();
    expect(calls).toEqual(['send', 'close']);
  });

  it('warns at shutdown of what it really gave up, not of a send that landed within its grace', async () => {
    for (const [answerAfterMs, warned] of [[300, []], [3000, ["warn shut down with 1 event(s) undelivered after 100 ms, dropped (reason 'shutdown')"]]] as const) {
      const logger = new CapturingLogger();
      // Ignores the abort signal and answers after answerAfterMs: within the 1 s grace, or not.
      const transport = { send: () => new Promise<void>((resolve) => setTimeout(resolve, answerAfterMs)) };
      const analytics = createAnalytics({ destination: transport, system: { enabled: false }, batchSize: 1, shutdownTimeout: 100 }, { logger });
      analytics.track('Late');
      await new Promise((r) => setTimeout(r, 20));
      await analytics.shutdown();
      expect(logger.lines.filter((l) => l.includes('shut down with'))).toEqual(warned);
    }
  }, 15_000);

  it('warns of the loss once when shutdown() is called again while it runs (the app\'s own call, then Nest\'s hook)', async () => {
    const logger = new CapturingLogger();
    const hanging = { send: () => new Promise<never>(() => undefined) };
    const analytics = createAnalytics({ destination: hanging, system: { enabled: false }, batchSize: 1, shutdownTimeout: 100 }, { logger });
    analytics.track('Stuck');
    await Promise.all([analytics.shutdown(), analytics.shutdown()]);
    expect(logger.lines.filter((l) => l.includes('shut down with'))).toEqual([
      "warn shut down with 1 event(s) undelivered after 100 ms, dropped (reason 'shutdown')",
    ]);
  }, 15_000);
});
