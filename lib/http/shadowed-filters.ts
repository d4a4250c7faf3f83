import type { ExceptionFilter } from '@nestjs/common';
import { APP_FILTER, type ModulesContainer } from '@nestjs/core';

/** `@Catch()`'s metadata key, as a literal (Nest's constants are not a public export). */
const FILTER_CATCH_EXCEPTIONS = '__filterCatchExceptions__';
/** Nest registers each `APP_FILTER` provider under `APP_FILTER (UUID: …)`. */
const APP_FILTER_TOKEN_PREFIX = `${APP_FILTER} (`;

/**
 * The app's own global filters registered as `APP_FILTER` providers. Nest applies them in module
 * order, and the app's module imports the library's, so they come before the library's
 * catch-all filter, which Nest therefore picks for every exception they would have caught. The
 * library's filter asks here which of them Nest would have picked without it, and hands the
 * exception over: the app's error answers stay the same whether analytics is on or off.
 */
export class ShadowedFilters {
  private filters?: ExceptionFilter[];

  constructor(
    private readonly modules: ModulesContainer,
    private readonly self: () => object | undefined,
  ) {}

  /** The last-registered other `APP_FILTER` that catches `exception`, as Nest would choose it. */
  catching(exception: unknown): ExceptionFilter | undefined {
    this.filters ??= this.collect();
    for (let i = this.filters.length - 1; i >= 0; i--) {
      if (catches(this.filters[i]!, exception)) return this.filters[i];
    }
    return undefined;
  }

  private collect(): ExceptionFilter[] {
    const self = this.self();
    const found: ExceptionFilter[] = [];
    for (const module of this.modules.values()) {
      for (const [token, wrapper] of module.providers) {
        const instance: unknown = wrapper.instance;
        if (typeof token !== 'string' || !token.startsWith(APP_FILTER_TOKEN_PREFIX) || instance === self) continue;
        if (isFilter(instance)) found.push(instance);
      }
    }
    return found;
  }
}

function isFilter(value: unknown): value is ExceptionFilter {
  return typeof value === 'object' && value !== null && typeof (value as { catch?: unknown }).catch === 'function';
}

function catches(filter: ExceptionFilter, exception: unknown): boolean {
  const types: unknown = Reflect.getMetadata(FILTER_CATCH_EXCEPTIONS, filter.constructor);
  if (!Array.isArray(types) || types.length === 0) return true;
  return types.some((type) => typeof type === 'function' && exception instanceof type);
}
