import type { LoggerService } from '@nestjs/common';
import type { AnalyticsTransport, DeliveryResult, QueuedEvent } from './transport.interface.js';

/**
 * Writes each event to the log, one line each, for development without a Jitsu server. Events are
 * already redacted when they reach a transport, and the write key is never part of them.
 */
export class ConsoleTransport implements AnalyticsTransport {
  constructor(private readonly logger: LoggerService) {}

  async send(batch: readonly QueuedEvent[]): Promise<DeliveryResult> {
    for (const item of batch) this.logger.log(`[${item.table}] ${item.json}`);
    return {};
  }
}
