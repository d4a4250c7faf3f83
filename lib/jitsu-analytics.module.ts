import {
  Inject,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { DiscoveryModule, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { AnalyticsConfigError } from './analytics-config.error.js';
import { AnalyticsCore } from './analytics-core.js';
import { analyticsInstances } from './analytics-instances.js';
import { resolveOptions } from './analytics-options.resolver.js';
import type { JitsuAnalyticsOptions } from './analytics.options.js';
import { AnalyticsService } from './analytics.service.js';
import { CoreBinder } from './decorators/instance-binding.js';
import { TrackedMethodsExplorer } from './decorators/tracked-methods.explorer.js';
import { apiTrackingProviders, applyApiTrackingMiddleware } from './http/api-tracking.providers.js';
import { AnalyticsInstrumentation } from './instrumentation/analytics-instrumentation.provider.js';
import { ANALYTICS_CORE, CORE_BINDER, LOG_CONTEXT } from './jitsu-analytics.constants.js';
import { ConfigurableModuleClass, JITSU_ANALYTICS_OPTIONS } from './jitsu-analytics.module-definition.js';
import { missingShutdownHooksHint, SHUTDOWN_HOOKS_CHECK_DELAY_MS } from './shutdown-hooks-hint.js';
import { describeDestination, resolveTransport } from './transports/resolve-transport.js';

/**
 * `JitsuAnalyticsModule.forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`.
 * Global by default (`isGlobal: false` to opt out). Options are validated when the app boots;
 * a bad option fails the bootstrap with a message naming it.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: CORE_BINDER, useFactory: () => new CoreBinder() },
    {
      provide: ANALYTICS_CORE,
      inject: [JITSU_ANALYTICS_OPTIONS, CORE_BINDER],
      useFactory: (options: JitsuAnalyticsOptions | undefined, binder: CoreBinder) => {
        // Only a forRootAsync factory can hand over nothing (forRoot needs an object), most often
        // a block body without `return`: that must not run silently on the defaults.
        if (options === undefined || options === null) {
          throw new AnalyticsConfigError([`options: got ${options}, expected an object (does the forRootAsync factory return the options?)`]);
        }
        const resolved = resolveOptions(options);
        const logger = new Logger(LOG_CONTEXT);
        const core = new AnalyticsCore(resolved, resolveTransport(resolved, logger), logger);
        binder.provide(core);
        return core;
      },
    },
    {
      provide: AnalyticsService,
      inject: [ANALYTICS_CORE],
      useFactory: (core: AnalyticsCore) => new AnalyticsService(core),
    },
    TrackedMethodsExplorer,
    ...apiTrackingProviders,
    AnalyticsInstrumentation,
  ],
  exports: [AnalyticsService, ANALYTICS_CORE, CORE_BINDER],
})
export class JitsuAnalyticsModule extends ConfigurableModuleClass implements NestModule, OnApplicationBootstrap, OnApplicationShutdown {
  private shutdownHooksCheck?: NodeJS.Timeout;

  constructor(
    @Inject(ANALYTICS_CORE) private readonly core: AnalyticsCore,
    private readonly modules: ModulesContainer,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
  }

  /** Every request enters its analytics context here, before middleware, guards, pipes and handlers run. */
  configure(consumer: MiddlewareConsumer): void {
    applyApiTrackingMiddleware(consumer, this.core, this.adapterHost?.httpAdapter);
  }

  onApplicationBootstrap(): void {
    this.core.logger?.log(describeDestination(this.core.options));
    this.shutdownHooksCheck = setTimeout(() => {
      const hint = missingShutdownHooksHint({
        options: this.core.options,
        spooled: this.core.spooled,
        sigtermListeners: process.listenerCount('SIGTERM'),
        env: process.env,
      });
      if (hint) this.core.logger?.warn(hint);
    }, SHUTDOWN_HOOKS_CHECK_DELAY_MS).unref();
    const instances = analyticsInstances(this.modules, JitsuAnalyticsModule, ANALYTICS_CORE);
    // Said once, by the first instance.
    if (instances.length > 1 && instances[0] === this.core) {
      this.core.logger?.warn(
        `JitsuAnalyticsModule is imported ${instances.length} times (each forRoot()/forRootAsync() call makes an analytics instance of its own): ` +
          'each request is recorded by one of them only, and each samples the system. Import it once, in the root module: it is global.',
      );
    }
  }

  /** After the HTTP server has closed, so the last requests' events are part of the final flush. */
  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.shutdownHooksCheck);
    await this.core.shutdown();
  }
}
