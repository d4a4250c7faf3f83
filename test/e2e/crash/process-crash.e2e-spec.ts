import { createAnalytics } from '../../../lib/create-analytics.js';
import { FakeJitsuServer } from '../../fake-jitsu/fake-jitsu-server.js';
import type { JsonObject } from '../../fake-jitsu/jitsu-protocol.js';
import { compileSources, type CompiledSources } from '../../support/compile-sources.js';
import { ListeningAppProcess } from '../../support/listening-app-process.js';
import { tempDirs } from '../../spool/spool-test-support.js';

const SECRET = 'sk_live_4eC39HqLyjWDarjtT1';
const dirs = tempDirs();
let compiled: CompiledSources;
let fake: FakeJitsuServer;

beforeAll(async () => {
  compiled = await compileSources('test/e2e/crash/fixture/crash-app.ts');
  fake = await FakeJitsuServer.start();
}, 60_000);
afterEach(() => fake.reset());
afterAll(async () => {
  compiled?.remove();
  await fake?.stop();
  dirs.cleanup();
});

/** Starts the app, makes the request whose timer crashes it, and waits for the process to end. */
async function crashApp(env: Record<string, string>) {
  const { app, url } = await ListeningAppProcess.start(compiled.entry, env);
  const answer = await fetch(`${url}/orders/ord_991/ship`, { method: 'POST' });
  expect(answer.status).toBe(202);
  return { app, code: await app.whenExited() };
}

/** The request's `API Call` and the crash's `Backend Error`, tied by the request id. */
function expectCallAndCrash() {
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
  expect(JSON.stringify(fake.events())).not.toContain(SECRET);
}

describe('a Nest app that crashes on an uncaught exception thrown from a timer its request started', () => {
  it('with a spool: crashes as it would without the library, and the next start delivers the crash and its request', async () => {
    const dir = dirs.make();
    const { app, code } = await crashApp({ SPOOL_DIR: dir });
    expect(code).toBe(1);
    // Node printed the app's error, and the library said where the undelivered events are.
    expect(app.errorOutput).toContain('Error: shipping label failed for order ord_991');
    expect(app.output).toMatch(/the process exited \(code 1\) with 2 event\(s\) undelivered; they stay in the spool/);
    expect(fake.count()).toBe(0);

    const next = createAnalytics({ jitsuUrl: fake.url, writeKey: fake.writeKey, spool: { dir }, system: { enabled: false } }, { logger: false });
    try {
      await next.flush();
    } finally {
      await next.shutdown();
    }
    expectCallAndCrash();
  });

  it('without a spool, closing the app in its own uncaughtException handler delivers the crash before the exit', async () => {
    const { app, code } = await crashApp({ JITSU_URL: fake.url, JITSU_WRITE_KEY: fake.writeKey });
    expect(code).toBe(1);
    expect(app.errorOutput).toContain('crashed: Error');
    expectCallAndCrash();
    expect(app.output).not.toContain('undelivered');
  });
});
