import { externalApiEvent, externalEndpoint } from '../events/event-builders.js';
import { DecoratorArguments } from './decorator-arguments.js';
import { responseStatus } from './default-extractors.js';
import { COMMON_OPTIONS, commonReaders, extraProperties, recordKind, succeeded } from './record-helpers.js';
import type { FieldOption, TrackOptionsBase } from './tracked-call.interface.js';
import { trackingDecorator, type TrackingDecorator } from './tracking-decorator.js';

export interface TrackExternalApiOptions extends TrackOptionsBase {
  /** `http_method` (upper-cased). Default: none. */
  method?: FieldOption<string>;
  /**
   * `status_code`. Default: the result's `status`/`statusCode` (fetch, axios, undici responses),
   * or the error's (`getStatus()`, `status`, `statusCode`, axios' `response.status`).
   */
  statusCode?: FieldOption<number>;
}

const OPTIONS = ['method', 'statusCode', ...COMMON_OPTIONS] as const;

/**
 * One `External API Call` event per call (`external_api_events`): `service`, `endpoint` (without
 * its query string), `http_method`, `status_code`, `duration_ms`, `success`. Without a `success`
 * extractor, a call that returned a status >= 400 counts as failed. A throw also adds a
 * `Backend Error` with `error_source: 'external_api'`, `service` and `endpoint`. The HTTP calls the method makes (those of
 * an Observable it returns, while subscribed) are this call: `outboundHttp` does not record them.
 *
 * ```ts
 * @TrackExternalApi('stripe', '/v1/charges', { method: 'POST' })
 * createCharge(body: ChargeBody): Promise<Response> { ... }
 * ```
 */
export function TrackExternalApi(service: string, endpoint: string, options?: TrackExternalApiOptions): TrackingDecorator {
  return trackingDecorator('TrackExternalApi', (site) => {
    const check = new DecoratorArguments('TrackExternalApi', site.label);
    const serviceName = check.text('service', service);
    const endpointName = check.text('endpoint', endpoint, 2048);
    const opts = check.options(options, OPTIONS);
    const readers = commonReaders(check, opts, site.label);
    const method = check.field('method', opts.method, 'text');
    const status = check.field('statusCode', opts.statusCode, 'number', responseStatus);
    check.done();
    return {
      decorator: 'TrackExternalApi',
      site: site.label,
      errorSource: 'external_api',
      ownsOutboundCalls: true,
      errorProperties: { service: serviceName, endpoint: externalEndpoint(serviceName, endpointName) },
      record(core, reader, durationMs, failed) {
        const statusCode = reader.field('statusCode', status);
        const success = succeeded(readers, reader, failed, !(typeof statusCode === 'number' && statusCode >= 400));
        const extra = extraProperties(core, readers, reader);
        const built = externalApiEvent(serviceName, endpointName, durationMs, success, {
          ...extra,
          method: reader.field('method', method),
          statusCode,
        });
        recordKind(core, built, reader.field('userId', readers.userId));
      },
    };
  });
}
