import type { LoggerService } from '@nestjs/common';
import type { ResolvedOptions } from '../analytics-options.resolver.js';
import { ConsoleTransport } from './console.transport.js';
import { createJitsuTransport } from './jitsu/jitsu.transport.js';
import { MemoryTransport } from './memory.transport.js';
import type { AnalyticsTransport } from './transport.interface.js';
import { createWarehouseTransport } from './warehouse/warehouse.transport.js';

/** The transport the options name; `undefined` when analytics is disabled (nothing is built). */
export function resolveTransport(options: ResolvedOptions, logger: LoggerService): AnalyticsTransport | undefined {
  if (!options.enabled) return undefined;
  const destination = options.destination;
  if ('send' in destination) return destination;
  switch (destination.type) {
    case 'jitsu':
      return createJitsuTransport({
        jitsuUrl: options.jitsuUrl!,
        writeKey: options.writeKey!,
        protocol: options.protocol,
        requestTimeoutMs: options.requestTimeout,
        gzipMinBytes: options.gzipMinBytes,
        proxy: options.proxy,
      });
    case 'warehouse':
      return createWarehouseTransport({ url: destination.url, tables: options.tables, requestTimeoutMs: options.requestTimeout });
    case 'memory':
      return new MemoryTransport();
    case 'console':
      return new ConsoleTransport(logger);
  }
}

/** A one-line description of where events go, for the startup log. Never includes secrets. */
export function describeDestination(options: ResolvedOptions): string {
  if (!options.enabled) return 'analytics disabled: no events are recorded';
  const d = options.destination;
  if ('send' in d) return 'events go to a custom transport';
  switch (d.type) {
    case 'jitsu':
      return `events go to Jitsu ${options.protocol === 'classic' ? 'Classic ' : ''}at ${new URL(options.jitsuUrl!).origin}${
        options.proxy ? ` through the proxy at ${new URL(options.proxy).host}` : ''
      }`;
    case 'warehouse':
      return `events go to the SQL warehouse ${d.url.startsWith('sqlite:') ? d.url : new URL(d.url).host}`;
    case 'memory':
      return 'events are kept in memory';
    case 'console':
      // The usual cause: JITSU_WRITE_KEY set and JITSU_URL missing, so nothing would say where events went.
      return options.writeKey && !options.jitsuUrl
        ? 'events are written to the log (console destination): a writeKey is set but no jitsuUrl, so nothing goes to Jitsu'
        : 'events are written to the log (console destination)';
  }
}
