import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { wireAnalytics } from '../instrumentation/wire-analytics.js';

const WRITE_KEY = 'kid7:f3Qm9ZpL2vXw8RtY';

/**
 * `serviceName` and `environment` are written into every event. They usually come from the
 * environment (`process.env.SERVICE_NAME`), where a mixed-up variable can put the write key or a
 * connection URL into them: they pass the same rules as any event string.
 */
describe('serviceName and environment', () => {
  it.each([
    ['the flat writer', {}],
    ['the beforeSend envelope', { beforeSend: (event: AnalyticsEvent) => event }],
  ])('leave without the write key or a URL password (%s)', async (_, extra) => {
    const wa = wireAnalytics({
      ...extra,
      writeKey: WRITE_KEY,
      serviceName: WRITE_KEY,
      environment: 'postgres://deploy:Hx8vQ2mLp9@db.internal/prod',
    });
    try {
      wa.analytics.track('Order Placed', { total: 3 });
      const [event] = await wa.events();
      expect(event.properties).toMatchObject({
        service_name: '[REDACTED]',
        environment: 'postgres://deploy:[REDACTED]@db.internal/prod',
      });
      const payload = await wa.payload();
      expect(payload).not.toContain('f3Qm9ZpL2vXw8RtY');
      expect(payload).not.toContain('Hx8vQ2mLp9');
    } finally {
      await wa.analytics.shutdown();
    }
  });

  it('are sent as written when they hold nothing sensitive', async () => {
    const wa = wireAnalytics({ writeKey: WRITE_KEY, serviceName: 'orders-api', environment: 'production' });
    try {
      await wa.analytics.trackPayment('charge', 12.5, 'EUR', true);
      const [event] = await wa.events();
      expect(event.properties).toMatchObject({ service_name: 'orders-api', environment: 'production' });
    } finally {
      await wa.analytics.shutdown();
    }
  });
});
