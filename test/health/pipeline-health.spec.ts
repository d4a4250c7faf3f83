import { assessPipelineHealth, DEFAULT_HEALTH_THRESHOLDS } from '../../lib/health/pipeline-health.js';

const limits = { maxQueueSize: 1000, maxQueueBytes: 1_000_000 };
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const idle = { queued: 0, inFlight: 0, queuedBytes: 0 };

describe('assessPipelineHealth', () => {
  it('is up with an empty queue and no failures, with the figures it read', () => {
    expect(assessPipelineHealth({ queued: 10, inFlight: 5, queuedBytes: 2000 }, limits, DEFAULT_HEALTH_THRESHOLDS, NOW)).toEqual({
      status: 'up',
      reasons: [],
      queueFill: 0.015,
    });
  });

  it('defaults to 5 minutes of failures and a 90% full queue', () => {
    expect(DEFAULT_HEALTH_THRESHOLDS).toEqual({ failingForMs: 300_000, queueFullRatio: 0.9 });
    expect(assessPipelineHealth({ ...idle, failingSince: ago(299_000) }, limits, undefined, NOW).status).toBe('up');
    expect(assessPipelineHealth({ ...idle, failingSince: ago(301_000) }, limits, undefined, NOW).status).toBe('down');
    expect(assessPipelineHealth({ queued: 899, inFlight: 0, queuedBytes: 0 }, limits, undefined, NOW).status).toBe('up');
    expect(assessPipelineHealth({ queued: 899, inFlight: 1, queuedBytes: 0 }, limits, undefined, NOW).status).toBe('down');
  });

  it('stays up while failures are younger than failingForMs, reporting how long they have lasted', () => {
    const health = assessPipelineHealth({ ...idle, failingSince: ago(60_000) }, limits, { failingForMs: 60_000, queueFullRatio: 0.9 }, NOW);
    expect(health).toEqual({ status: 'up', reasons: [], queueFill: 0, failingForMs: 60_000 });
  });

  it('is down once failures last longer than failingForMs, saying since when', () => {
    const since = ago(60_001);
    const health = assessPipelineHealth({ ...idle, failingSince: since }, limits, { failingForMs: 60_000, queueFullRatio: 0.9 }, NOW);
    expect(health.status).toBe('down');
    expect(health.failingForMs).toBe(60_001);
    expect(health.reasons).toEqual([`deliveries failing since ${since} (60 s), longer than the 60 s allowed`]);
  });

  it('counts queued and in-flight events against maxQueueSize', () => {
    const health = assessPipelineHealth({ queued: 400, inFlight: 500, queuedBytes: 0 }, limits, undefined, NOW);
    expect(health).toEqual({
      status: 'down',
      reasons: ['queue 90% full (900 of 1000 events), at or above the 90% limit'],
      queueFill: 0.9,
    });
  });

  it('counts queued bytes against maxQueueBytes, naming bytes when they are the fuller bound', () => {
    const health = assessPipelineHealth({ queued: 3, inFlight: 0, queuedBytes: 950_000 }, limits, undefined, NOW);
    expect(health.status).toBe('down');
    expect(health.queueFill).toBe(0.95);
    expect(health.reasons).toEqual(['queue 95% full (950000 of 1000000 bytes), at or above the 90% limit']);
  });

  it('gives both reasons when both hold, and honours a custom ratio', () => {
    const health = assessPipelineHealth(
      { queued: 500, inFlight: 0, queuedBytes: 0, failingSince: ago(10_000) },
      limits,
      { failingForMs: 1000, queueFullRatio: 0.5 },
      NOW,
    );
    expect(health.status).toBe('down');
    expect(health.reasons).toHaveLength(2);
    expect(health.reasons[0]).toMatch(/^queue 50% full \(500 of 1000 events\)/);
    expect(health.reasons[1]).toMatch(/^deliveries failing since .* \(10 s\)/);
  });

  it('ignores a failingSince it cannot read, and a clock that went backwards counts as no time', () => {
    expect(assessPipelineHealth({ ...idle, failingSince: 'yesterday-ish' }, limits, { failingForMs: 0, queueFullRatio: 0.9 }, NOW)).toEqual({
      status: 'up',
      reasons: [],
      queueFill: 0,
    });
    const future = assessPipelineHealth({ ...idle, failingSince: ago(-5000) }, limits, { failingForMs: 0, queueFullRatio: 0.9 }, NOW);
    expect(future).toMatchObject({ status: 'up', failingForMs: 0 });
  });

  it('is down once queued events could not be read back for longer than failingForMs, saying why', () => {
    const stall = (ms: number) => ({ since: ago(ms), reason: 'could not read back the spool (EIO: i/o error, read); reading is tried again' });
    expect(assessPipelineHealth({ queued: 50, inFlight: 0, queuedBytes: 0, stalled: stall(299_000) }, limits, undefined, NOW).status).toBe('up');
    const health = assessPipelineHealth({ queued: 50, inFlight: 0, queuedBytes: 0, stalled: stall(301_000) }, limits, undefined, NOW);
    expect(health.status).toBe('down');
    expect(health.reasons).toEqual([`could not read back the spool (EIO: i/o error, read); reading is tried again, since ${ago(301_000)} (301 s)`]);
  });
});
