import type { DeliveryResult } from '../transports/transport.interface.js';
import type { AnalyticsReporter } from './analytics-reporter.js';

/**
 * What a resolved send says, read so that it never throws: the batch is delivered, and a
 * malformed answer from a custom transport (`{ rejected: {} }`, a getter that throws) must not
 * send it again. Such an answer counts the batch as sent, with a warning.
 */
export function readDeliveryResult(
  result: DeliveryResult | void,
  reporter: AnalyticsReporter,
): { warnings: string[]; rejected?: DeliveryResult['rejected']; retry?: DeliveryResult['retry'] } {
  try {
    const warnings = result?.warnings;
    const rejected = result?.rejected;
    const retry = result?.retry;
    if ([warnings, rejected, retry].some((list) => list !== undefined && !Array.isArray(list))) {
      reporter.warn('destination_result_invalid', 'the destination answered with warnings, rejected or retry that are not arrays; the batch counts as sent');
    }
    return {
      warnings: Array.isArray(warnings) ? warnings.map((w) => String(w)) : [],
      rejected: eventList(rejected),
      retry: eventList(retry),
    };
  } catch {
    reporter.warn('destination_result_invalid', 'the destination answered with a result that cannot be read; the batch counts as sent');
    return { warnings: [] };
  }
}

function eventList(list: unknown): Array<{ messageId: string; reason: string }> | undefined {
  return Array.isArray(list) ? list.filter((r) => typeof r?.messageId === 'string') : undefined;
}
