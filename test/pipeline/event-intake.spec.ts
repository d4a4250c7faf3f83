import type { RequestFacts } from '../../lib/context/request-context.js';
import type { EventDraft } from '../../lib/events/event-draft.interface.js';
import { EventIntake, isSnapshot } from '../../lib/pipeline/event-intake.js';
import { memoryAnalytics } from '../support/memory-analytics.js';

const draft = (event: string, properties: Record<string, unknown> = {}, extra: Partial<EventDraft> = {}): EventDraft => ({
  event,
  table: 'custom_events',
  properties,
  ...extra,
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

function recording(limit?: number) {
  const built: Array<{ event: string; at: number; facts: RequestFacts | undefined }> = [];
  const intake = new EventIntake((d, at, facts) => built.push({ event: d.event, at, facts }), limit);
  return { intake, built };
}

describe('EventIntake', () => {
  it('builds nothing while the caller runs, and everything on the next turn, in order', async () => {
    const { intake, built } = recording();
    const facts = { requestId: 'r1' };
    intake.push(draft('A'), 1, facts);
    intake.push(draft('B'), 2, undefined);
    expect(built).toEqual([]);
    expect(intake.length).toBe(2);
    await tick();
    expect(built).toEqual([
      { event: 'A', at: 1, facts },
      { event: 'B', at: 2, facts: undefined },
    ]);
    expect(intake.length).toBe(0);
  });

  it('drain() builds what waits at once, and only once', async () => {
    const { intake, built } = recording();
    intake.push(draft('A'), 1, undefined);
    intake.drain();
    expect(built.map((b) => b.event)).toEqual(['A']);
    await tick();
    intake.drain();
    expect(built.map((b) => b.event)).toEqual(['A']);
  });

  it('builds on the spot once `limit` drafts wait, so a synchronous loop holds a bounded number', () => {
    const { intake, built } = recording(3);
    for (let i = 0; i < 7; i++) intake.push(draft(`E${i}`), i, undefined);
    expect(built.map((b) => b.event)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4', 'E5']);
    expect(intake.length).toBe(1);
  });

  it('keeps drafts recorded while building (a dropped listener tracking again) for the next turn', async () => {
    const built: string[] = [];
    const intake: EventIntake = new EventIntake((d) => {
      built.push(d.event);
      if (d.event === 'A') intake.push(draft('from listener'), 3, undefined);
    });
    intake.push(draft('A'), 1, undefined);
    intake.push(draft('B'), 2, undefined);
    intake.drain();
    expect(built).toEqual(['A', 'B']);
    await tick();
    expect(built).toEqual(['A', 'B', 'from listener']);
  });
});

describe('isSnapshot', () => {
  it('accepts flat bags of primitives and short strings, with or without context', () => {
    expect(isSnapshot(draft('A', { s: 'x', n: 1, b: true, u: undefined, z: null, big: 10n }), 100)).toBe(true);
    expect(isSnapshot(draft('A', {}, { context: { ip: '1.2.3.0', userAgent: 'ua' }, timestamp: '2026-01-01' }), 100)).toBe(true);
  });

  it('refuses anything the caller could still change, or that would be kept long', () => {
    const nested = draft('A', { user: { id: 1 } });
    const array = draft('A', { tags: ['a'] });
    const date = draft('A', {}, { timestamp: new Date() });
    const long = draft('A', { text: 'x'.repeat(101) });
    const fn = draft('A', { f: () => 1 });
    const classy = { ...draft('A'), properties: new (class Bag {})() as Record<string, unknown> };
    const context = draft('A', {}, { context: { ip: { v: 4 } } as never });
    for (const d of [nested, array, date, long, fn, classy, context]) expect(isSnapshot(d, 100)).toBe(false);
  });

  it('refuses a bag whose getter throws, instead of throwing', () => {
    const hostile = {};
    Object.defineProperty(hostile, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
    expect(isSnapshot(draft('A', hostile as Record<string, unknown>), 100)).toBe(false);
  });
});

describe('events recorded through the intake (AnalyticsCore)', () => {
  it('keeps what was tracked although nested objects change before the next turn', async () => {
    const { analytics, delivered } = memoryAnalytics();
    const cart = { items: 1, owner: { plan: 'free' } };
    const flat = { step: 1 };
    analytics.track('Nested', cart);
    analytics.track('Flat', flat);
    cart.items = 2;
    cart.owner.plan = 'pro';
    flat.step = 2;
    const events = await delivered();
    expect(events.map((e) => [e.event, e.properties.items ?? e.properties.step, e.properties.owner])).toEqual([
      ['Nested', 1, { plan: 'free' }],
      ['Flat', 1, undefined],
    ]);
  });

  it('keeps the order of events built at once and events that waited', async () => {
    const { analytics, delivered } = memoryAnalytics();
    analytics.track('A', { n: 1 });
    analytics.track('B', { nested: { n: 2 } });
    analytics.track('C', { n: 3 });
    expect((await delivered()).map((e) => e.event)).toEqual(['A', 'B', 'C']);
  });

  it('stamps each event with the time it was tracked, not the time it was built', async () => {
    const { analytics, delivered } = memoryAnalytics();
    const before = Date.now();
    analytics.track('Early');
    const after = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const [event] = await delivered();
    const at = Date.parse(event!.timestamp);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
    expect(parseInt(event!.messageId.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('drops what the queue bound refuses at once, counting the events still waiting to be built', () => {
    const { analytics, drops } = memoryAnalytics({ maxQueueSize: 3 });
    for (let i = 0; i < 5; i++) analytics.track('Burst', { i });
    expect(drops.map((d) => [d.reason, d.count])).toEqual([
      ['queue_full', 1],
      ['queue_full', 1],
    ]);
    expect(analytics.stats()).toMatchObject({ queued: 3, dropped: { queue_full: 2 } });
  });
});
