import { createAnalytics } from '../../lib/create-analytics.js';
import { FakeJitsuServer } from '../fake-jitsu/fake-jitsu-server.js';
import type { JsonObject } from '../fake-jitsu/jitsu-protocol.js';
import { compileSources, type CompiledSources } from '../support/compile-sources.js';
import { ListeningAppProcess } from '../support/listening-app-process.js';
import { tempDirs } from './spool-test-support.js';

const dirs = tempDirs();
let compiled: CompiledSources;
let fake: FakeJitsuServer;

beforeAll(async () => {
  compiled = await compileSources('test/spool/fixture/crash-app.ts');
  fake = await FakeJitsuServer.start();
}, 60_000);
afterAll(async () => {
  compiled?.remove();
  await fake?.stop();
  dirs.cleanup();
});

describe('a Nest app with a spool that crashes on an uncaught exception', () => {
  it('crashes as it would without the library, and the next start delivers the crash and the request it happened in', async () => {
    const dir = dirs.make();
    const { app, url } = await ListeningAppProcess.start(compiled.entry, { SPOOL_DIR: dir });
    const answer = await fetch(`${url}/orders/ord_991/ship`, { method: 'POST' });
    expect(answer.status).toBe(202);

    expect(await app.whenExited()).toBe(1);
    // Node printed the app's error, and the library said where the undelivered events are.
    expect(app.errorOutput).toContain('Error: shipping label failed for order ord_991');
    expect(app.output).toMatch(/the process exited \(code 1\) with 2 event\(s\) undelivered; they stay in the spool/);

    const next = createAnalytics({ jitsuUrl: fake.url, writeKey: fake.writeKey, spool: { dir }, system: { enabled: false } }, { logger: false });
    try {
      await next.flush();
    } finally {
      await next.shutdown();
    }
    const [call, crash] = [fake.eventsFor('api_events'), fake.eventsFor('backend_error_events')];
    expect(call).toEqual([expect.objectContaining({ event: 'API Call', properties: expect.objectContaining({ route: '/orders/:id/ship', status_code: 202 }) })]);
    expect(crash).toEqual([
      expect.objectContaining({
        event: 'Backend Error',
        properties: expect.objectContaining({
          error_source: 'process',
          error_origin: 'uncaught_exception',
          error_message: 'shipping label failed for order ord_991; api_key=[REDACTED]',
          request_id: (call[0]!.properties as JsonObject).request_id,
        }),
      }),
    ]);
    expect(JSON.stringify(fake.events())).not.toContain('sk_live_4eC39HqLyjWDarjtT1');
  });
});
