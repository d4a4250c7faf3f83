import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AnalyticsCore } from '../analytics-core.js';
import { ANALYTICS_CORE } from '../jitsu-analytics.constants.js';
import { type Instrumentation, prepareInstrumentation, resolveInstrumentationOptions } from './instrumentation.js';

/**
 * The core module's automatic sources. Options are validated when the provider is created, so a
 * bad `system`/`outboundHttp`/`database` option fails the bootstrap; the sources start once the
 * application has bootstrapped and stop when it shuts down.
 */
@Injectable()
export class AnalyticsInstrumentation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly instrumentation: Instrumentation;

  constructor(@Inject(ANALYTICS_CORE) core: AnalyticsCore) {
    this.instrumentation = prepareInstrumentation(core, resolveInstrumentationOptions(core.options.raw));
  }

  onApplicationBootstrap(): void {
    this.instrumentation.start();
  }

  onApplicationShutdown(): void {
    this.instrumentation.stop();
  }
}
