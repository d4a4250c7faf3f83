import { createAnalytics } from '../../lib/create-analytics.js';
import { hang, ScriptedTransport } from '../support/scripted-transport.js';
import { memoryAnalytics } from '../support/memory-analytics.js';

const exitListeners = () => process.listenerCount('exit');

// What is reported at exit is tested in process-exit.spec.ts, in processes that really exit.
describe('the exit listener', () => {
  it('is on the process only while events are held: from the first record until they are delivered', async () => {
    const before = exitListeners();
    const { analytics, delivered } = memoryAnalytics();
    expect(exitListeners()).toBe(before);
    analytics.track('First');
    analytics.track('Second');
    expect(exitListeners()).toBe(before + 1);
    expect(await delivered()).toHaveLength(2);
    expect(exitListeners()).toBe(before);

    analytics.track('Third');
    expect(exitListeners()).toBe(before + 1);
    await analytics.shutdown();
    expect(exitListeners()).toBe(before);
    // Refused as `closed`: nothing is held, so nothing to listen for.
    analytics.track('After shutdown');
    expect(exitListeners()).toBe(before);
  });

  it('stays while a batch is in flight, and goes once shutdown has given it up', async () => {
    const before = exitListeners();
    const analytics = createAnalytics({ destination: new ScriptedTransport().next(1, hang), shutdownTimeout: 50, system: { enabled: false } }, { logger: false });
    const drops: number[] = [];
    analytics.on('dropped', (d) => drops.push(d.count));
    analytics.track('Stuck');
    void analytics.flush();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(analytics.stats().inFlight).toBe(1);
    expect(exitListeners()).toBe(before + 1);
    await analytics.shutdown();
    expect(drops).toEqual([1]);
    expect(exitListeners()).toBe(before);
  });
});
