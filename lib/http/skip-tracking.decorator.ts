export const SKIP_TRACKING_METADATA = 'jitsu-analytics:skip-tracking';

/**
 * No `API Call` event for this handler, or for every handler of this controller (exceptions they
 * throw are still recorded as `Backend Error`s). Works for HTTP controllers, microservice
 * handlers, gateways and resolvers alike.
 */
export function SkipTracking(): ClassDecorator & MethodDecorator {
  const decorate = (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const marked: unknown = descriptor ? descriptor.value : target;
    if (typeof marked === 'function') Reflect.defineMetadata(SKIP_TRACKING_METADATA, true, marked);
  };
  return decorate as ClassDecorator & MethodDecorator;
}

/** Whether the handler (or, when given, its class) is marked with `@SkipTracking()`. */
export function isTrackingSkipped(handler: unknown, cls?: unknown): boolean {
  return hasMark(handler) || hasMark(cls);
}

function hasMark(target: unknown): boolean {
  return (typeof target === 'function' || (typeof target === 'object' && target !== null)) && Reflect.getMetadata(SKIP_TRACKING_METADATA, target) === true;
}
