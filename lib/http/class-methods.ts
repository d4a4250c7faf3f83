import { type DiscoveryService, MetadataScanner } from '@nestjs/core';

/** What `DiscoveryService` lists (typed from it: NestJS 12 exports `InstanceWrapper` from no public path). */
type InstanceWrapper = ReturnType<DiscoveryService['getControllers']>[number];

/** One method of a controller or provider class, as Nest's `DiscoveryService` lists the classes. */
export interface ClassMethod {
  /** The class's name in its module (`wrapper.name`). */
  owner: string;
  cls: abstract new (...args: never[]) => unknown;
  name: string;
  fn: (...args: unknown[]) => unknown;
}

/** The methods of the classes behind `wrappers` (own and inherited), for reading their metadata. */
export function* classMethods(wrappers: Iterable<InstanceWrapper>): Generator<ClassMethod> {
  const scanner = new MetadataScanner();
  for (const wrapper of wrappers) {
    const cls = wrapper.metatype;
    if (typeof cls !== 'function' || !cls.prototype) continue;
    for (const name of scanner.getAllMethodNames(cls.prototype)) {
      const fn = (cls.prototype as Record<string, unknown>)[name];
      if (typeof fn === 'function') yield { owner: String(wrapper.name), cls: cls as ClassMethod['cls'], name, fn: fn as ClassMethod['fn'] };
    }
  }
}
