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
): { warnings: string[]; rejected?: DeliveryResult['rejected'] } {
  try {
    const warnings = result?.warnings;
    const rejected = result?.rejected;
    if ((warnings !== undefined && !Array.isArray(warnings)) || (rejected !== undefined && !Array.isArray(rejected))) {
      reporter.warn('destination_result_invalid', 'the destination answered with warnings or rejected that are not arrays; the batch counts as sent');
    }
    return {
      warnings: Array.isArray(warnings) ? warnings.map((w) => String(w)) : [],
      rejected: Array.isArray(rejected) ? rejected.filter((r) => typeof r?.messageId === 'string') : undefined,
    };
  } catch {
    reporter.warn('destination_result_invalid', 'the destination answered with a result that cannot be read; the batch counts as sent');
    return { warnings: [] };
  }
}
