import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { lastValueFrom, type Observable } from 'rxjs';
import { startAnalyticsApp, ownProperties, type AnalyticsApp } from './support/analytics-app.js';
import { backendError, MATRIX, MODES, trackedController, trackedProvider, type MatrixCase, type Mode, type TrackedHost } from './support/tracked-matrix.js';

const providers = new Map(MATRIX.map((c) => [c.name, trackedProvider(c)]));
const controllers = MATRIX.map(trackedController);

type Host = 'provider' | 'controller';
const CASES: [string, Host, Mode, boolean, MatrixCase][] = [];
for (const c of MATRIX) {
  for (const host of ['provider', 'controller'] as const) {
    for (const mode of MODES) for (const ok of [true, false]) CASES.push([c.name, host, mode, ok, c]);
  }
}

/** Calls the provider method directly; returns the value, or the error it threw/rejected with. */
async function callProvider(host: TrackedHost, mode: Mode, input: Record<string, unknown>): Promise<{ value?: unknown; error?: unknown }> {
  try {
    const returned = host[mode](input);
    if (mode === 'sync') return { value: returned };
    if (mode === 'async') return { value: await (returned as Promise<unknown>) };
    return { value: await lastValueFrom(returned as Observable<unknown>) };
  } catch (error) {
    return { error };
  }
}

describe('each decorator on a Nest provider and on a controller handler', () => {
  let nest: AnalyticsApp;

  beforeAll(async () => {
    nest = await startAnalyticsApp({ providers: [...providers.values()], controllers });
  });
  afterAll(() => nest.close());
  beforeEach(() => nest.recorder.clear());

  it.each(CASES)('@%s on a %s, %s method, success=%s', async (_name, host, mode, ok, c) => {
    const input = { ...c.input, fail: !ok };
    if (host === 'provider') {
      const outcome = await callProvider(nest.app.get(providers.get(c.name)!), mode, input);
      if (ok) expect(outcome.value).toBe(c.result);
      else expect(outcome.error).toBeInstanceOf(BadRequestException);
    } else {
      const response = await nest.post(`/${c.name}/${mode}`, input);
      expect(response.status).toBe(ok ? 200 : 400);
      expect(await response.json()).toEqual(ok ? c.result : { statusCode: 400, message: 'declined', error: 'Bad Request' });
    }

    const [event, ...more] = await nest.eventsIn(c.table);
    expect(more).toEqual([]);
    expect(event!.event).toBe(c.event);
    expect(ownProperties(event!)).toEqual({ event_category: 'backend', environment: 'e2e', ...c.expected(ok) });
    // The async and stream methods wait 2 ms before they settle: the event is timed to settlement.
    if (mode !== 'sync' && 'duration_ms' in event!.properties) expect(event!.properties.duration_ms as number).toBeGreaterThanOrEqual(1);

    const errors = (await nest.eventsIn('backend_error_events')).filter((e) => e.properties.error_source === c.errorSource);
    expect(errors.map((e) => ownProperties(e))).toEqual(ok ? [] : [{ event_category: 'backend', environment: 'e2e', ...backendError(c.errorSource), ...c.errorProperties }]);
  });
});
