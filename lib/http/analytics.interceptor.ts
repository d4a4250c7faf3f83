import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { AnalyticsCore } from '../analytics-core.js';
import { ANALYTICS_CORE } from '../jitsu-analytics.constants.js';
import { apiTrackerFor } from './api-tracker.registry.js';
import { ApiTrackingInterceptor } from './api-tracking.interceptor.js';

/**
 * The library's interceptor, for the handlers no global interceptor reaches:
 * `@UseInterceptors(AnalyticsInterceptor)` on a gateway under NestJS 11 (which applies no global
 * interceptor to gateways), or on the controllers of a microservice connected to a hybrid app
 * without `inheritAppConfig`. Where the global one runs too, a call is still recorded once.
 */
@Injectable()
export class AnalyticsInterceptor implements NestInterceptor {
  private readonly delegate: ApiTrackingInterceptor;

  constructor(@Inject(ANALYTICS_CORE) core: AnalyticsCore) {
    this.delegate = new ApiTrackingInterceptor(apiTrackerFor(core));
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return this.delegate.intercept(context, next);
  }
}
