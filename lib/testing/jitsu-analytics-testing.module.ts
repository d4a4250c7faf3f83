import { type DynamicModule, Module } from '@nestjs/common';
import type { JitsuAnalyticsOptions } from '../analytics.options.js';
import { JitsuAnalyticsModule } from '../jitsu-analytics.module.js';
import { MemoryTransport } from '../transports/memory.transport.js';
import { AnalyticsRecorder } from './analytics-recorder.js';

/**
 * One MemoryTransport per app: made by a provider factory, not in `forRoot`, because a test module
 * declared once (`@Module({ imports: [JitsuAnalyticsTestingModule.forRoot()] })`) runs `forRoot`
 * once for every app the file's tests build from it. The analytics module and the recorder both
 * import this module, so they share the app's instance.
 */
@Module({
  providers: [{ provide: MemoryTransport, useFactory: () => new MemoryTransport() }],
  exports: [MemoryTransport],
})
class RecordingTransportModule {}

/**
 * The real module on the memory transport: a test imports it in place of
 * `JitsuAnalyticsModule.forRoot(...)` and injects `AnalyticsRecorder` to read the events.
 * Events leave in batches of one, so they are visible as soon as they are tracked and flushed.
 */
@Module({})
export class JitsuAnalyticsTestingModule {
  static forRoot(options: Omit<JitsuAnalyticsOptions, 'destination'> = {}): DynamicModule {
    return {
      module: JitsuAnalyticsTestingModule,
      global: true,
      imports: [
        RecordingTransportModule,
        JitsuAnalyticsModule.forRootAsync({
          imports: [RecordingTransportModule],
          inject: [MemoryTransport],
          useFactory: (transport: MemoryTransport) => ({ batchSize: 1, batchTimeout: 10, ...options, destination: transport }),
        }),
      ],
      providers: [AnalyticsRecorder],
      exports: [AnalyticsRecorder, RecordingTransportModule],
    };
  }
}
