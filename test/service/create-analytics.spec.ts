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
});
