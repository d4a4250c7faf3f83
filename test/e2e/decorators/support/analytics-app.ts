import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { JitsuAnalyticsOptions } from '../../../../lib/analytics.options.js';
import type { AnalyticsEvent } from '../../../../lib/events/analytics-event.interface.js';
import { AnalyticsRecorder } from '../../../../lib/testing/analytics-recorder.js';
import { JitsuAnalyticsTestingModule } from '../../../../lib/testing/jitsu-analytics-testing.module.js';

/**
 * A Nest app on the testing module (memory transport), listening on a free local port, with
 * helpers to call it over HTTP and read what it tracked.
 */
export async function startAnalyticsApp(metadata: ModuleMetadata, options: Omit<JitsuAnalyticsOptions, 'destination'> = {}) {
  const moduleRef = await Test.createTestingModule({
    ...metadata,
    imports: [JitsuAnalyticsTestingModule.forRoot({ environment: 'e2e', ...options }), ...(metadata.imports ?? [])],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const recorder = app.get(AnalyticsRecorder);
  return {
    app,
    recorder,
    request: (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, init),
    post: (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    async eventsIn(table: string): Promise<AnalyticsEvent[]> {
      await recorder.flush();
      return recorder.eventsFor(table);
    },
    close: () => app.close(),
  };
}

export type AnalyticsApp = Awaited<ReturnType<typeof startAnalyticsApp>>;

/**
 * An event's properties without `request_id`, which the HTTP layer attaches when it serves the
 * request (the value is checked separately where it matters).
 */
export function ownProperties(event: AnalyticsEvent): Record<string, unknown> {
  const { request_id: _requestId, ...rest } = event.properties;
  return rest;
}
