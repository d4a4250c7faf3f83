import { AnalyticsReporter } from '../../lib/pipeline/analytics-reporter.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { EventQueue } from '../../lib/pipeline/event-queue.js';
import { MemoryBound } from '../../lib/pipeline/memory-bound.js';
import { Signal } from '../../lib/pipeline/signal.js';

function setup(maxQueueSize: number, maxQueueBytes: number) {
  const queue = new EventQueue();
  const reporter = new AnalyticsReporter(undefined, false);
  const drops: DroppedInfo[] = [];
  reporter.on('dropped', (d) => drops.push(d));
  const settled = new Signal();
  const bound = new MemoryBound({ maxQueueSize, maxQueueBytes, overflow: 'dropOldest' }, queue, reporter, settled);
  const offer = (seq: number, bytes: number) => {
    queue.push({ item: { messageId: `m${seq}`, table: 'custom_events', json: '{}', bytes }, seq });
    bound.hold(bytes);
  };
  return { queue, bound, drops, settled, offer };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('MemoryBound with overflow dropOldest', () => {
  it('evicts as many of the oldest queued events as the byte limit needs for a larger one, and no more', async () => {
    const { queue, bound, drops, settled, offer } = setup(100, 1000);
    for (let seq = 1; seq <= 4; seq++) offer(seq, 250);
    let notified = false;
    void settled.next().then(() => (notified = true));
    expect(bound.makeRoom(600)).toBe(true);
    expect(drops).toEqual([expect.objectContaining({ reason: 'queue_full', count: 3, messageIds: ['m1', 'm2', 'm3'] })]);
    expect(queue.length).toBe(1);
    expect(queue.peek()?.seq).toBe(4);
    await tick();
    expect(notified).toBe(true);
    bound.hold(600);
    expect(bound.makeRoom(150)).toBe(true);
    expect(drops).toHaveLength(1);
  });

  it('refuses without evicting while the bound is held by events no longer queued, and takes one once they are released', () => {
    const { queue, bound, drops, offer } = setup(2, 1000);
    offer(1, 100);
    offer(2, 100);
    const inFlight = queue.takeBatch(2, 1000);
    expect(bound.makeRoom(100)).toBe(false);
    expect(drops).toEqual([]);
    bound.release(inFlight.slice(0, 1));
    expect(bound.makeRoom(100)).toBe(true);
  });
});
