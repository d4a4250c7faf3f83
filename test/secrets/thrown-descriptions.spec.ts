import 'reflect-metadata';
import { createAnalytics } from '../../lib/create-analytics.js';
import { TrackPayment } from '../../lib/decorators/track-payment.decorator.js';
import { bindTracking } from '../../lib/decorators/bind-tracking.js';
import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { identifyRequest } from '../../lib/http/identify.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { MemoryTransport } from '../../lib/transports/memory.transport.js';
import { CapturingLogger } from './support/log-capture.js';

/**
 * V8 quotes the text around a JSON fault, cut so that a key loses its start (`..."assword":
 * hunter2`) and no key rule can recognise it; database errors quote the value they refused.
 * What an app's callback throws is described in drops and warnings with the rules of a
 * `Backend Error`'s message.
 */
const BODY = '{"user":"ada lovelace","password": hunter2, "x": 1}';
const SECRET = 'hunter2';
const pgError = Object.assign(new Error('invalid input syntax for type integer: "Zq81-pin-9920"'), { severity: 'ERROR', routine: 'pg_strtoint32', code: '22P02' });

class Checkout {
  @TrackPayment('charge', { amount: ({ args }) => (JSON.parse(args[0] as string) as { amount: number }).amount })
  charge(body: string): string {
    return body.length > 0 ? 'ok' : 'empty';
  }

  @TrackPayment('refund', {
    amount: () => {
      throw pgError;
    },
  })
  refund(_body: string): string {
    return 'refunded';
  }
}

function analyticsWith(options: { listen: boolean; beforeSend?: (event: AnalyticsEvent) => AnalyticsEvent }) {
  const logger = new CapturingLogger();
  const analytics = createAnalytics(
    { batchSize: 1000, batchTimeout: 60_000, system: { enabled: false }, destination: new MemoryTransport(), beforeSend: options.beforeSend },
    { logger },
  );
  const drops: DroppedInfo[] = [];
  if (options.listen) analytics.on('dropped', (d) => drops.push(d));
  return { analytics, logger, drops };
}

describe('what an app callback throws, in drops and log lines', () => {
  it.each([
    ['fails to parse its argument', 'charge', "the 'amount' extractor threw SyntaxError: Unexpected token 'h', ", SECRET],
    ['throws a database error', 'refund', "the 'amount' extractor threw Error: invalid input syntax for type integer", 'Zq81-pin-9920'],
  ] as const)('a decorator extractor that %s, in the drop and in the log line', async (_, method, kept, secret) => {
    for (const listen of [true, false]) {
      const { analytics, logger, drops } = analyticsWith({ listen });
      try {
        bindTracking(new Checkout(), analytics)[method](BODY);
        await analytics.flush();
        const text = [...drops.map((d) => d.detail), ...logger.lines].join('\n');
        expect(text).toContain(kept);
        expect(text).not.toContain(secret);
      } finally {
        await analytics.shutdown();
      }
    }
  });

  it('a beforeSend hook that fails to parse what it reads', async () => {
    const beforeSend = (): AnalyticsEvent => JSON.parse(BODY) as AnalyticsEvent;
    const { analytics, drops } = analyticsWith({ listen: true, beforeSend });
    try {
      analytics.track('Order Placed');
      await analytics.flush();
      expect(drops.map((d) => d.reason)).toEqual(['before_send_failed']);
      expect(drops[0]!.detail).toContain('beforeSend threw');
      expect(drops[0]!.detail).not.toContain(SECRET);
    } finally {
      await analytics.shutdown();
    }
  });

  it('api.identify that fails to parse a header', () => {
    const { failure } = identifyRequest((request: { headers: Record<string, string> }) => JSON.parse(request.headers['x-user']!), { headers: { 'x-user': BODY } });
    expect(failure).toMatch(/^api\.identify threw: Unexpected token 'h', /);
    expect(failure).not.toContain(SECRET);
  });
});
