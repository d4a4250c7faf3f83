import 'reflect-metadata';
import { lastValueFrom, Observable, of } from 'rxjs';
import { TrackEvent } from '../../lib/decorators/track-event.decorator.js';
import { COMMON, decoratorHarness, only, type DecoratorHarness } from './support/decorator-harness.js';

class Reports {
  @TrackEvent('Report Generated', {
    table: 'report_events',
    userId: ({ args }) => args[1],
    properties: ({ args, result }) => ({ format: args[0], pages: result?.pages, password: 'hunter2' }),
  })
  async generate(format: string, ownerId: number): Promise<{ pages: number }> {
    void ownerId;
    await Promise.resolve();
    return { pages: format.length };
  }

  @TrackEvent('Report Checked', { success: ({ result }) => result === 'valid' })
  check(value: string): string {
    return value;
  }

  @TrackEvent('Report Streamed', { properties: ({ result }) => ({ chunks: result, duration_ms: -1, success: 'overridden?' }) })
  stream(): Observable<number> {
    return of(1, 2, 3);
  }

  // As plain JavaScript (or an `any`) could pass it: an array where an object is expected.
  @TrackEvent('Report Listed', { properties: ({ args }) => args as unknown as Record<string, unknown> })
  list(...ids: number[]): number {
    return ids.length;
  }

  // An entity with a getter that throws until it is loaded, say, handed over whole.
  @TrackEvent('Report Archived', { properties: ({ args }) => args[0] as Record<string, unknown> })
  archive(report: object): void {
    void report;
  }
}

describe('@TrackEvent', () => {
  let h: DecoratorHarness;
  let reports: Reports;

  beforeEach(() => {
    h = decoratorHarness({ tables: { custom: 'app_events' } });
    reports = h.bind(new Reports());
  });
  afterEach(() => h.close());

  it('records a custom event in its table with extracted properties and user, redacting sensitive keys', async () => {
    await reports.generate('pdf', 17);
    const event = only(await h.events());
    expect(event).toMatchObject({ event: 'Report Generated', JITSU_TABLE_NAME: 'report_events', userId: '17' });
    expect(event.properties).toEqual({
      ...COMMON,
      event_action: 'custom',
      format: 'pdf',
      pages: 3,
      password: '[REDACTED]',
      duration_ms: expect.any(Number),
      success: true,
    });
  });

  it('goes to the configured custom table by default and lets the success extractor decide', async () => {
    reports.check('valid');
    reports.check('stale');
    const events = await h.events();
    expect(events.map((e) => [e.JITSU_TABLE_NAME, e.properties.success])).toEqual([
      ['app_events', true],
      ['app_events', false],
    ]);
  });

  it('never lets extra properties overwrite duration_ms or success', async () => {
    await lastValueFrom(reports.stream());
    const event = only(await h.events());
    expect(event.properties).toEqual({
      ...COMMON,
      event_action: 'custom',
      chunks: 3,
      duration_ms: expect.any(Number),
      success: true,
    });
    expect(event.properties.duration_ms as number).toBeGreaterThanOrEqual(0);
  });

  it('keeps properties that are not an object as { value }, with a counted warning', async () => {
    reports.list(1, 2);
    expect(only(await h.events()).properties.value).toEqual([1, 2]);
    expect(h.analytics.stats().warnings.invalid_properties).toBe(1);
  });

  it('keeps the event when a getter of the extracted properties throws: that field is "[Unreadable]", the others stay', async () => {
    const report = Object.defineProperty({ id: 7 }, 'owner', {
      enumerable: true,
      get() {
        throw new Error('relation not loaded');
      },
    });
    reports.archive(report);
    const { revoke, proxy } = Proxy.revocable({}, {});
    revoke();
    reports.archive(proxy);
    const events = await h.events();
    expect(events.map((e) => e.event)).toEqual(['Report Archived', 'Report Archived']);
    expect(events[0]!.properties).toMatchObject({ id: 7, owner: '[Unreadable]', success: true });
    expect(events[1]!.properties).toMatchObject({ event_action: 'custom', success: true });
    expect(h.analytics.stats()).toMatchObject({ dropped: {}, warnings: { unserialisable: 1, invalid_properties: 1 } });
  });
});
