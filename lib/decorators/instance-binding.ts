import { Inject, Optional } from '@nestjs/common';
import type { AnalyticsCore } from '../analytics-core.js';
import { CORE_BINDER } from '../jitsu-analytics.constants.js';

/**
 * Where a decorated method finds its pipeline: the core of the app that created the instance,
 * stored on the instance itself (never on the prototype: two apps may share a class) under a
 * symbol, non-enumerable, so it never shows in `Object.keys`, JSON or a spread. An instance
 * without it (created outside Nest, or before anything bound it) runs its methods untracked.
 */
export const BOUND_CORE = Symbol('nestjs-jitsu-analytics:core');

export interface Bindable {
  [BOUND_CORE]?: AnalyticsCore;
}

/**
 * Binds `instance` to `core`. `replace: false` keeps an existing binding, so the explorer never
 * overrides the core Nest injected (which respects module visibility). False when the instance
 * cannot take the property (frozen, sealed or a primitive).
 */
export function bindCore(instance: unknown, core: AnalyticsCore, replace = true): boolean {
  if (typeof instance !== 'object' || instance === null || !Object.isExtensible(instance)) return false;
  if (!replace && Object.prototype.hasOwnProperty.call(instance, BOUND_CORE)) return true;
  Object.defineProperty(instance, BOUND_CORE, { value: core, writable: true, configurable: true, enumerable: false });
  return true;
}

export function boundCore(instance: unknown): AnalyticsCore | undefined {
  return (instance as Bindable | null | undefined)?.[BOUND_CORE];
}

/**
 * What Nest injects into a decorated class's instances in place of the core. It depends on
 * nothing, so it exists before the core: a provider that the analytics options themselves depend
 * on (one a `forRootAsync` factory injects) is built first and bound once the core exists.
 * Injecting the core itself made that a circular wait, in which NestJS 11's bootstrap hangs.
 */
export class CoreBinder {
  private core?: AnalyticsCore;
  private waiting: object[] = [];

  bind(instance: object): void {
    if (this.core) bindCore(instance, this.core);
    else this.waiting.push(instance);
  }

  provide(core: AnalyticsCore): void {
    this.core = core;
    for (const instance of this.waiting) bindCore(instance, core);
    this.waiting = [];
  }
}

/**
 * The key Nest injects the binder under. Nest assigns injected properties with a plain
 * `instance[key] = value`; a setter on the prototype turns that into the non-enumerable
 * binding. It is a different key from `BOUND_CORE` so that reading the binding of an unbound
 * instance finds nothing at all rather than an accessor: a miss is what V8 inline-caches best,
 * and it is the whole cost of an untracked call.
 */
const INJECTED_BINDER = Symbol('nestjs-jitsu-analytics:injected-binder');

/**
 * Makes Nest bind every instance of the class it creates — singletons, but also request-scoped
 * and transient instances, which exist only after bootstrap and which no discovery pass sees.
 * The class gets an optional property dependency on `CORE_BINDER` (Nest's public `@Inject`
 * and `@Optional`, applied programmatically), so each app's injector hands over its own core,
 * and an app without the analytics module injects nothing. Done once per class.
 */
export function prepareInjectedBinding(prototype: object): void {
  if (Object.prototype.hasOwnProperty.call(prototype, INJECTED_BINDER)) return;
  Object.defineProperty(prototype, INJECTED_BINDER, {
    configurable: true,
    enumerable: false,
    set(this: object, binder: CoreBinder) {
      binder.bind(this);
    },
  });
  Inject(CORE_BINDER)(prototype, INJECTED_BINDER);
  Optional()(prototype, INJECTED_BINDER);
}
