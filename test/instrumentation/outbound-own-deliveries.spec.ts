import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAnalytics } from '../../lib/create-analytics.js';
import type { QueuedEvent } from '../../lib/transports/transport.interface.js';

let api: http.Server;
let url: string;
beforeAll(async () => {
  api = http.createServer((req, res) => {
    req.resume();
    res.end('ok');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/collect`;
});
afterAll(() => new Promise((resolve) => api.close(resolve)));

describe('outbound HTTP and the library’s own deliveries', () => {
  it('does not record the requests a custom destination makes, so deliveries do not feed themselves', async () => {
    const delivered: string[] = [];
    const analytics = createAnalytics(
      {
        destination: {
          send: async (batch: readonly QueuedEvent[]) => {
            // A destination that posts with fetch, and retries with a second request.
            await (await fetch(url, { method: 'POST', body: '[]' })).text();
            await new Promise((r) => setTimeout(r, 5));
            await (await fetch(url, { method: 'POST', body: '[]' })).text();
            delivered.push(...batch.map((item) => (JSON.parse(item.json) as { event: string }).event));
          },
        },
        batchTimeout: 20,
        outboundHttp: { enabled: true },
        system: { enabled: false },
      },
      { logger: false },
    );
    try {
      analytics.track('Report Exported');
      await analytics.flush();
      // The application's own call, outside any delivery, is still recorded.
      await (await fetch(`${url}?from=app`)).text();
      await analytics.flush();
      // Time for a delivery's own request, had it been recorded, to be delivered in turn.
      await new Promise((r) => setTimeout(r, 200));
      await analytics.flush();
      expect(delivered).toEqual(['Report Exported', 'External API Call']);
    } finally {
      await analytics.shutdown();
    }
  });
});
