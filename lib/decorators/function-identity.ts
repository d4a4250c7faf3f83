import 'reflect-metadata';

/** Function properties that belong to the wrapper itself and are never copied. */
const OWN_SHAPE = new Set<string | symbol>(['prototype', 'arguments', 'caller']);

/**
 * Gives `wrapper` the identity of `original`: its `name` and `length`, its own properties and
 * every reflect-metadata key on it. Nest and Swagger read route metadata from the method
 * function itself (`@Get`, `@HttpCode`, `@Header`, `SetMetadata`, guards). Decorators apply
 * bottom-up: one written below ours has already put its metadata on `original`, which must move
 * over; one written above ours puts it on the wrapper directly. Either order therefore ends with
 * the same metadata on the function Nest finds.
 */
export function copyFunctionIdentity(original: Function, wrapper: Function): void {
  for (const key of Reflect.ownKeys(original)) {
    if (OWN_SHAPE.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(original, key);
    if (descriptor) Object.defineProperty(wrapper, key, descriptor);
  }
  for (const key of Reflect.getOwnMetadataKeys(original)) {
    Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, original), wrapper);
  }
}
