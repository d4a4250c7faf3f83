import { type DynamicModule, Module } from '@nestjs/common';
import type { JitsuAnalyticsOptions } from '../analytics.options.js';
import { JitsuAnalyticsModule } from '../jitsu-analytics.module.js';
import { MemoryTransport } from '../transports/memory.transport.js';
import { AnalyticsRecorder } from './analytics-recorder.js';

/**
 * The real module on the memory transport: a test imports it in place of
 * `JitsuAnalyticsModule.forRoot(...)` and injects `AnalyticsRecorder` to read the events.
 * Events leave in batches of one, so they are visible as soon as they are tracked and flushed.
 */
@Module({})
export class JitsuAnalyticsTestingModule {
  static forRoot(options: Omit<JitsuAnalyticsOptions, 'destination'> = {}): DynamicModule {
    const transport = new MemoryTransport();
    return {
      module: JitsuAnalyticsTestingModule,
      global: true,
      imports: [JitsuAnalyticsModule.forRoot({ batchSize: 1, batchTimeout: 10, ...options, destination: transport })],
      providers: [{ provide: MemoryTransport, useValue: transport }, AnalyticsRecorder],
      exports: [AnalyticsRecorder, MemoryTransport],
    };
  }
}
