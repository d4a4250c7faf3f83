import type { AnalyticsTransport, DeliveryResult, QueuedEvent } from '../../lib/transports/transport.interface.js';

type Step = (batch: readonly QueuedEvent[], signal: AbortSignal) => Promise<DeliveryResult | void>;

/** A transport whose answers a test scripts step by step; records every attempt it saw. */
export class ScriptedTransport implements AnalyticsTransport {
  readonly attempts: Array<{ ids: string[]; at: number }> = [];
  readonly delivered = new Map<string, number>();
  private readonly steps: Step[] = [];
  closed = false;

  /** The next `count` attempts run `step` (then the default: accept everything). */
  next(count: number, step: Step): this {
    for (let i = 0; i < count; i++) this.steps.push(step);
    return this;
  }

  async send(batch: readonly QueuedEvent[], signal: AbortSignal): Promise<DeliveryResult | void> {
    this.attempts.push({ ids: batch.map((e) => e.messageId), at: Date.now() });
    const step = this.steps.shift();
    const result = step ? await step(batch, signal) : undefined;
    const rejected = new Set(result?.rejected?.map((r) => r.messageId));
    for (const e of batch) if (!rejected.has(e.messageId)) this.delivered.set(e.messageId, (this.delivered.get(e.messageId) ?? 0) + 1);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A step that never answers until the signal aborts (then throws like a cancelled request). */
export const hang: Step = (_batch, signal) =>
  new Promise((_resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
