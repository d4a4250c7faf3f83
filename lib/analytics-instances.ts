import type { ModulesContainer } from '@nestjs/core';

/**
 * The analytics instances one application holds: one per `JitsuAnalyticsModule.forRoot()` or
 * `forRootAsync()` call (the module one call returns, imported in several places, is one).
 * Several are almost always a mistake (a feature module importing it again), and they split the
 * work: a request's `API Call` is recorded by one of them only.
 */
export function analyticsInstances(modules: ModulesContainer, moduleClass: unknown, coreToken: unknown): unknown[] {
  const cores: unknown[] = [];
  for (const module of modules.values()) {
    if (module.metatype !== moduleClass) continue;
    const core: unknown = module.providers.get(coreToken as string)?.instance;
    if (core !== undefined) cores.push(core);
  }
  return cores;
}
