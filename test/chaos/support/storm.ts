import type { FakeJitsuServer } from '../../fake-jitsu/fake-jitsu-server.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Everything a Jitsu server (or the network to it) does wrong, one after the other, with the
 * server healthy in between only as long as the script says. Returns a line per phase.
 */
export async function storm(fake: FakeJitsuServer): Promise<string[]> {
  const phases: string[] = [];
  const phase = async (name: string, run: () => Promise<void>) => {
    const started = Date.now();
    await run();
    phases.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  await phase('steady', () => sleep(1_000));
  await phase('outage (connection refused)', async () => {
    await fake.goDown();
    await sleep(10_000);
    await fake.comeBack();
  });
  await phase('flapping (down/up every 250 ms)', async () => {
    for (let i = 0; i < 6; i++) {
      await fake.goDown();
      await sleep(250);
      await fake.comeBack();
      await sleep(250);
    }
  });
  await phase('slow answers (2.5 s, past the 2 s request timeout)', async () => {
    fake.setDelay(2_500);
    await sleep(4_000);
    fake.setDelay(0);
  });
  await phase('connection resets (next 20 requests)', async () => {
    fake.resetNext(20);
    await sleep(2_000);
  });
  await phase('429 storm (next 16 requests, Retry-After: 1)', async () => {
    fake.failNext(16, { status: 429, retryAfter: '1' });
    await sleep(3_000);
  });
  await phase('recovery', () => sleep(1_500));
  return phases;
}
