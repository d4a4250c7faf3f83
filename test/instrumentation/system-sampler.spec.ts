import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { OutboundHttpInstrumentation } from '../../lib/instrumentation/outbound-http.js';
import { SystemSampler } from '../../lib/instrumentation/system-sampler.js';
import { ANALYTICS_CORE } from '../../lib/jitsu-analytics.constants.js';
import type { AnalyticsCore } from '../../lib/analytics-core.js';
import { AnalyticsRecorder, JitsuAnalyticsTestingModule } from '../../lib/testing/index.js';
import { wireAnalytics, type WireAnalytics } from './wire-analytics.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const samples = (events: AnalyticsEvent[]) => events.filter((e) => e.event === 'System Performance');
/** Blocks the loop from a timer callback of its own, so the histogram has a tick on each side. */
const blockLoop = (ms: number) =>
  new Promise<void>((resolve) =>
    setTimeout(() => {
      const until = performance.now() + ms;
      while (performance.now() < until);
      resolve();
    }, 20),
  );

describe('SystemSampler', () => {
  let wa: WireAnalytics;
  afterEach(() => wa.analytics.shutdown());

  const samplerOf = (analytics = wa.analytics) => analytics.core.features.attached<SystemSampler>(SystemSampler);

  it('is on by default with createAnalytics, every 60 s, on an unref’d timer', () => {
    wa = wireAnalytics({ system: undefined });
    const sampler = samplerOf()!;
    expect(sampler.running).toBe(true);
    const timer = (sampler as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    expect((timer as unknown as { _idleTimeout: number })._idleTimeout).toBe(60_000);
  });

  it('gives plausible figures', async () => {
    wa = wireAnalytics({ system: { intervalMs: 3_600_000 } });
    const sampler = samplerOf()!;
    await sleep(50);
    const sample = sampler.sample();
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(sample.cpuPercent).toBeLessThanOrEqual(100 * availableParallelism());
    expect(sample.eventLoopDelayP50Ms).toBeGreaterThanOrEqual(0);
    expect(sample.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(sample.eventLoopDelayP50Ms);
    expect(sample.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(sample.eventLoopDelayP99Ms);
    expect(sample.heapUsedBytes).toBeGreaterThan(0);
    expect(sample.heapTotalBytes).toBeGreaterThanOrEqual(sample.heapUsedBytes);
    expect(sample.memoryRssBytes).toBeGreaterThan(sample.heapUsedBytes);
    expect(Math.abs(sample.uptimeS - process.uptime())).toBeLessThan(1);
  });

  it('shows a 200 ms busy loop in the event-loop delay and the CPU percent of that window only', async () => {
    wa = wireAnalytics({ system: { intervalMs: 3_600_000 } });
    const sampler = samplerOf()!;
    await sleep(30);
    const idle = sampler.sample();
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    await sleep(30);
    await blockLoop(200);
    await sleep(30);
    // The same window measured independently (on a shared machine the loop may get well under 200 ms of CPU).
    const cpu = process.cpuUsage(cpuBefore);
    const expectedPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100;
    const busy = sampler.sample();
    expect(busy.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(150);
    expect(busy.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(150);
    expect(expectedPercent).toBeGreaterThan(5);
    expect(busy.cpuPercent).toBeCloseTo(expectedPercent, -1);
    // The stall belongs to its own window: the windows around it do not contain it.
    await sleep(60);
    const after = sampler.sample();
    expect(after.eventLoopDelayMaxMs).toBeLessThan(busy.eventLoopDelayMaxMs);
    expect(idle.eventLoopDelayMaxMs).toBeLessThan(busy.eventLoopDelayMaxMs);
  });

  it('measures CPU percent over each window alone: from start(), then from the previous sample', async () => {
    // Process CPU time and the clock, set by the test.
    let cpuMicros = 0;
    let now = 0;
    const cpu = jest.spyOn(process, 'cpuUsage').mockImplementation((previous?: NodeJS.CpuUsage) => ({
      user: cpuMicros - (previous?.user ?? 0),
      system: 0,
    }));
    const clock = jest.spyOn(performance, 'now').mockImplementation(() => now);
    wa = wireAnalytics();
    const sampler = new SystemSampler(wa.analytics.core, { enabled: true, intervalMs: 3_600_000 });
    try {
      // Before start() (a Nest app bootstrapping): not part of any window.
      now = 10_000;
      cpuMicros = 9_000_000;
      sampler.start();
      now = 11_000;
      cpuMicros = 9_500_000;
      const first = sampler.sample();
      now = 11_500;
      cpuMicros = 10_000_000;
      const busy = sampler.sample();
      now = 13_500;
      const idle = sampler.sample();
      expect([first.cpuPercent, busy.cpuPercent, idle.cpuPercent]).toEqual([50, 100, 0]);
    } finally {
      sampler.stop();
      cpu.mockRestore();
      clock.mockRestore();
    }
  });

  it('records the longest stall of the window as event_loop_delay_max_ms', async () => {
    wa = wireAnalytics({ system: { intervalMs: 3_600_000 } });
    const sampler = samplerOf()!;
    sampler.record();
    await blockLoop(200);
    await sleep(30);
    sampler.record();
    const [idle, busy] = samples(await wa.events()).map((e) => e.properties);
    expect(busy.event_loop_delay_max_ms).toBeGreaterThanOrEqual(150);
    expect(busy.event_loop_delay_max_ms).toBeGreaterThanOrEqual(busy.event_loop_delay_p99_ms as number);
    expect(idle.event_loop_delay_max_ms).toBeLessThan(busy.event_loop_delay_max_ms as number);
  });

  it('records System Performance events on its interval, with the catalogue fields', async () => {
    wa = wireAnalytics({ system: { intervalMs: 100 } });
    await sleep(350);
    const events = samples(await wa.events());
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThanOrEqual(4);
    for (const event of events) {
      expect(event.JITSU_TABLE_NAME).toBe('system_performance_events');
      expect(event.properties).toEqual(
        expect.objectContaining({
          event_category: 'backend',
          event_action: 'system_performance',
          memory_rss_bytes: expect.any(Number),
          heap_used_bytes: expect.any(Number),
          heap_total_bytes: expect.any(Number),
          cpu_percent: expect.any(Number),
          event_loop_delay_p50_ms: expect.any(Number),
          event_loop_delay_p99_ms: expect.any(Number),
          event_loop_delay_max_ms: expect.any(Number),
          uptime_s: expect.any(Number),
        }),
      );
    }
  });

  it('adds gauge readings, summed per key; a throwing gauge costs only its own figures', async () => {
    wa = wireAnalytics({ system: { intervalMs: 3_600_000 } });
    const sampler = samplerOf()!;
    sampler.addGauge(() => ({ db_pool_total: 2, db_pool_idle: 1 }));
    const removeSecond = sampler.addGauge(() => ({ db_pool_total: 3, db_pool_idle: 0 }));
    sampler.addGauge(() => {
      throw new Error('pool is gone');
    });
    sampler.record();
    removeSecond();
    sampler.record();
    expect(samples(await wa.events()).map((e) => [e.properties.db_pool_total, e.properties.db_pool_idle])).toEqual([
      [5, 1],
      [2, 1],
    ]);
  });

  it('stops at shutdown: timer cleared, nothing recorded or dropped afterwards', async () => {
    wa = wireAnalytics({ system: { intervalMs: 100 } });
    const sampler = samplerOf()!;
    await wa.analytics.shutdown();
    expect(sampler.running).toBe(false);
    expect(samplerOf()).toBeUndefined();
    await sleep(250);
    expect(wa.analytics.stats().dropped).toEqual({});
  });

  it('stays stopped after shutdown: a late start() restarts neither its timer nor its event-loop monitor', async () => {
    wa = wireAnalytics({ system: { intervalMs: 100 } });
    const sampler = samplerOf()!;
    await wa.analytics.shutdown();
    sampler.start();
    expect(sampler.running).toBe(false);
    sampler.sample(); // a fresh window
    await blockLoop(120);
    await sleep(30);
    // A monitor left on would have seen the 120 ms stall.
    expect(sampler.sample().eventLoopDelayMaxMs).toBe(0);
  });

  it('is absent when system.enabled is false or analytics is disabled', () => {
    wa = wireAnalytics({ system: { enabled: 'false' } });
    expect(samplerOf()).toBeUndefined();
    const disabled = wireAnalytics({ enabled: false, system: { enabled: true } });
    expect(samplerOf(disabled.analytics)).toBeUndefined();
  });
});

describe('automatic sources in the Nest module', () => {
  it('start at application bootstrap and stop at shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [JitsuAnalyticsTestingModule.forRoot({ system: { intervalMs: 100 }, outboundHttp: { enabled: true } })],
    }).compile();
    const core = moduleRef.get<AnalyticsCore>(ANALYTICS_CORE);
    const sampler = core.features.attached<SystemSampler>(SystemSampler)!;
    const outbound = core.features.attached<OutboundHttpInstrumentation>(OutboundHttpInstrumentation)!;
    expect(outbound).toBeInstanceOf(OutboundHttpInstrumentation);
    expect(sampler.running).toBe(false);
    const app = await moduleRef.init();
    expect(sampler.running).toBe(true);
    const recorder = app.get(AnalyticsRecorder);
    const event = await recorder.waitFor((e) => e.event === 'System Performance', 2000);
    expect(event.JITSU_TABLE_NAME).toBe('system_performance_events');
    await app.close();
    expect(sampler.running).toBe(false);
    expect(core.features.attached(OutboundHttpInstrumentation)).toBeUndefined();
  });
});
