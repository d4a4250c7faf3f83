import { DecoratorArguments } from './decorator-arguments.js';
import { roundMs } from '../events/field-values.js';
import { COMMON_OPTIONS, commonReaders, extraProperties, succeeded } from './record-helpers.js';
import type { TrackOptionsBase } from './tracked-call.interface.js';
import { trackingDecorator, type TrackingDecorator } from './tracking-decorator.js';

export interface TrackEventOptions extends TrackOptionsBase {
  /** Destination table. Default: `tables.custom` of the module options (`custom_events`). */
  table?: string;
}

const OPTIONS = ['table', ...COMMON_OPTIONS] as const;
/** Jitsu's limit on event names. */
const MAX_EVENT_NAME_LENGTH = 128;

/**
 * One custom event per call, named `name`, with `event_action: 'custom'`, `duration_ms`,
 * `success` and the `properties` the option returns. A throw also adds a `Backend Error` with
 * `error_source: 'custom'`.
 *
 * ```ts
 * @TrackEvent('Report Generated', { properties: ({ args, result }) => ({ format: args[0], pages: result?.pages }) })
 * generate(format: string): Promise<Report> { ... }
 * ```
 */
export function TrackEvent(name: string, options?: TrackEventOptions): TrackingDecorator {
  return trackingDecorator('TrackEvent', (site) => {
    const check = new DecoratorArguments('TrackEvent', site.label);
    const event = check.text('name', name, MAX_EVENT_NAME_LENGTH);
    const opts = check.options(options, OPTIONS);
    const table = check.table('table', opts.table);
    const readers = commonReaders(check, opts, site.label);
    check.done();
    return {
      decorator: 'TrackEvent',
      site: site.label,
      errorSource: 'custom',
      record(core, reader, durationMs, failed) {
        const extra = extraProperties(core, readers, reader);
        core.record({
          event,
          table: table ?? core.options.tables.custom,
          properties: {
            event_action: 'custom',
            ...extra,
            duration_ms: roundMs(durationMs),
            success: succeeded(readers, reader, failed),
          },
          userId: reader.field('userId', readers.userId),
        });
      },
    };
  });
}
