import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer.js';
import { lastValueFrom } from 'rxjs';
import { ApiTrackingInterceptor } from '../../lib/http/api-tracking.interceptor.js';
import { apiTrackerFor } from '../../lib/http/api-tracker.registry.js';
import { memoryAnalytics } from '../support/memory-analytics.js';

/**
 * A route of a lazily loaded module gets no middleware: the interceptor is then the first to see
 * the request, and begins it itself.
 */
describe('the interceptor on an HTTP request no middleware began', () => {
  it('records the request once its response is over, and the handler’s events carry its id', async () => {
    const { analytics, delivered } = memoryAnalytics();
    const interceptor = new ApiTrackingInterceptor(apiTrackerFor(analytics.core));
    class ReportsController {
      build() {
        analytics.track('Report Built');
        return { ok: true };
      }
    }
    const controller = new ReportsController();
    const req = { method: 'GET', url: '/reports/9?x=1', headers: { 'x-request-id': 'lazy-1' }, socket: { remoteAddress: '192.0.2.1' } };
    const res = Object.assign(new EventEmitter(), { statusCode: 200 });
    const result = await new InterceptorsConsumer().intercept([interceptor], [req, res, () => undefined], controller, controller.build, async () => controller.build(), 'http');
    expect(await lastValueFrom(result as never)).toEqual({ ok: true });
    res.emit('close');
    const events = await delivered();
    expect(events.map((e) => [e.event, e.properties.request_id])).toEqual([
      ['Report Built', 'lazy-1'],
      ['API Call', 'lazy-1'],
    ]);
    expect(events[1].properties).toMatchObject({ path: '/reports/9', controller: 'ReportsController', handler: 'build', status_code: 200 });
  });
});
