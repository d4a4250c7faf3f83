import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { AnalyticsCore } from '../analytics-core.js';
import { ANALYTICS_CORE } from '../jitsu-analytics.constants.js';
import { bindCore } from './instance-binding.js';
import { TRACKED_METHOD_METADATA } from './tracking-decorator.js';

/**
 * Binds this app's decorated providers and controllers to this app's core, the way
 * `@nestjs/schedule` finds its `@Cron` methods: DiscoveryService lists the instances,
 * MetadataScanner their methods, and an instance with a tracked method gets the core.
 *
 * Instances Nest builds from a class already received their core through the property
 * dependency the decorator declared; that binding is kept (it respects module visibility). This
 * pass covers what Nest did not construct itself — `useFactory` and `useValue` providers.
 * Request-scoped and transient class providers do not exist yet; Nest binds each as it creates
 * it. (A request-scoped `useFactory` provider is the one case left untracked: Nest neither
 * injects properties into what a factory returns nor lists it here.)
 */
@Injectable()
export class TrackedMethodsExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(ANALYTICS_CORE) private readonly core: AnalyticsCore,
  ) {}

  onModuleInit(): void {
    let bound = 0;
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null || !wrapper.isDependencyTreeStatic()) continue;
      const tracked = this.trackedMethods(instance);
      if (tracked.length === 0) continue;
      if (bindCore(instance, this.core, false)) bound++;
      else {
        this.core.reporter.warn(
          'decorator_unbound',
          `${wrapper.name?.toString() ?? 'a provider'}: its instance cannot be extended (frozen or sealed), so ${tracked.join(', ')} run untracked`,
        );
      }
    }
    if (this.core.options.debug) this.core.logger?.debug?.(`tracking decorated methods on ${bound} provider(s)/controller(s)`);
  }

  private trackedMethods(instance: object): string[] {
    const prototype: unknown = Object.getPrototypeOf(instance);
    if (typeof prototype !== 'object' || prototype === null) return [];
    return this.scanner.getAllMethodNames(prototype).filter((name) => {
      const method: unknown = (prototype as Record<string, unknown>)[name];
      return typeof method === 'function' && Reflect.hasOwnMetadata(TRACKED_METHOD_METADATA, method);
    });
  }
}
