import 'reflect-metadata';
import { AnalyticsConfigError } from '../analytics-config.error.js';
import { copyFunctionIdentity } from './function-identity.js';
import { prepareInjectedBinding } from './instance-binding.js';
import { wrapMethod } from './method-wrapper.js';
import type { DecoratedSite, TrackedMethodSpec } from './tracked-method-spec.interface.js';

/** Metadata on a tracked method: the names of the `@Track*` decorators on it, innermost first. */
export const TRACKED_METHOD_METADATA = 'nestjs-jitsu-analytics:tracked';

export type TrackingDecorator = <T>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
) => TypedPropertyDescriptor<T>;

/**
 * The shared body of every `@Track*` decorator. `specFor` checks the decorator's arguments and
 * prepares everything a call needs; it runs once, when the class is defined, and throws
 * `AnalyticsConfigError` for bad arguments. The method is replaced by a wrapper carrying the
 * original's identity and metadata, and the class is prepared so Nest binds its instances.
 */
export function trackingDecorator(decorator: string, specFor: (site: DecoratedSite) => TrackedMethodSpec): TrackingDecorator {
  return <T>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T> => {
    const site = siteOf(target, key);
    const original: unknown = descriptor?.value;
    if (typeof target === 'function') {
      throw new AnalyticsConfigError([`@${decorator}() on ${site.label}: a static method has no instance to bind to an app; decorate an instance method`]);
    }
    if (typeof original !== 'function') {
      throw new AnalyticsConfigError([`@${decorator}() on ${site.label}: only methods can be tracked, not accessors or fields`]);
    }
    const wrapper = wrapMethod(original as (...args: unknown[]) => unknown, specFor(site));
    copyFunctionIdentity(original, wrapper);
    const inner: unknown = Reflect.getOwnMetadata(TRACKED_METHOD_METADATA, original);
    Reflect.defineMetadata(TRACKED_METHOD_METADATA, [...(Array.isArray(inner) ? inner : []), decorator], wrapper);
    prepareInjectedBinding(target);
    descriptor.value = wrapper as T;
    return descriptor;
  };
}

function siteOf(target: object, key: string | symbol): DecoratedSite {
  const owner = typeof target === 'function' ? target : (target as { constructor?: { name?: unknown } }).constructor;
  const className = typeof owner?.name === 'string' && owner.name !== '' ? owner.name : '(anonymous class)';
  const methodName = typeof key === 'symbol' ? key.toString() : key;
  return { className, methodName, label: `${className}.${methodName}` };
}
