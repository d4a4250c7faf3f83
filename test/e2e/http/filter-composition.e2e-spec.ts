import 'reflect-metadata';
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  Injectable,
  NotFoundException,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { AnalyticsService, recordApiException } from '../../../lib/index.js';
import { ADAPTERS, eventsOf, nextRequestId, only, send, startApp, type RunningApp } from './fixture/app-factory.js';

class TeapotError extends Error {
  override name = 'TeapotError';
}
class GoneError extends Error {
  override name = 'GoneError';
}

/** An app's global filter that reports what it answers through `recordApiException`. */
@Catch(TeapotError)
class TeapotFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly analytics?: AnalyticsService,
  ) {}
  catch(exception: TeapotError, host: ArgumentsHost): void {
    if (this.analytics) recordApiException(this.analytics, exception, host);
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), { teapot: exception.message }, 418);
  }
}

/** An app's global filter that knows nothing of the library. */
@Catch(GoneError)
class GoneFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}
  catch(exception: GoneError, host: ArgumentsHost): void {
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), { gone: exception.message }, 410);
  }
}

/** A controller's own filter: Nest prefers it to every global one. */
@Catch(NotFoundException)
class MissingAsNoContentFilter implements ExceptionFilter {
  catch(_exception: NotFoundException, host: ArgumentsHost): void {
    // Express's `res` and Fastify's `reply` both answer `status(code).send()`.
    host.switchToHttp().getResponse<{ status(code: number): { send(): void } }>().status(299).send();
  }
}

@Injectable()
class TeapotGuard implements CanActivate {
  canActivate(): boolean {
    throw new TeapotError('guard says teapot');
  }
}

@Injectable()
class GoneGuard implements CanActivate {
  canActivate(): boolean {
    throw new GoneError('guard says gone');
  }
}

@Controller('composed')
class ComposedController {
  @Get('teapot')
  teapot() {
    throw new TeapotError('handler says teapot');
  }

  @Get('teapot-guard')
  @UseGuards(TeapotGuard)
  teapotGuard() {
    return {};
  }

  @Get('gone')
  gone() {
    throw new GoneError('handler says gone');
  }

  @Get('gone-guard')
  @UseGuards(GoneGuard)
  goneGuard() {
    return {};
  }

  @Get('other')
  other() {
    throw new Error('no app filter catches this');
  }

  @Get('missing')
  @UseFilters(MissingAsNoContentFilter)
  missing() {
    throw new NotFoundException();
  }
}

describe.each(ADAPTERS)("composition with an app's own filters on %s", (kind) => {
  let tracked: RunningApp;
  let plain: RunningApp;

  const start = (withAnalytics: boolean) =>
    startApp(kind, {
      analytics: withAnalytics ? {} : false,
      metadata: { controllers: [ComposedController], providers: [TeapotGuard, GoneGuard] },
      beforeListen: (app) => {
        const host = app.get(HttpAdapterHost);
        app.useGlobalFilters(new TeapotFilter(host, withAnalytics ? app.get(AnalyticsService) : undefined), new GoneFilter(host));
      },
    });

  beforeAll(async () => {
    [tracked, plain] = await Promise.all([start(true), start(false)]);
  });
  afterAll(() => Promise.all([tracked.close(), plain.close()]));

  async function compare(path: string) {
    const requestId = nextRequestId('composed');
    const [withLibrary, without] = await Promise.all([send(`${tracked.url}${path}`, { requestId }), send(`${plain.url}${path}`, { requestId })]);
    expect(withLibrary.status).toBe(without.status);
    expect(withLibrary.body.equals(without.body)).toBe(true);
    return { status: withLibrary.status, events: await eventsOf(tracked.recorder!, requestId) };
  }

  it("a handler's exception answered by the app's filter: its answer, and one Backend Error although the interceptor and recordApiException both saw it", async () => {
    const { status, events } = await compare('/composed/teapot');
    expect(status).toBe(418);
    expect(events).toHaveLength(2);
    expect(only(events, 'API Call').properties).toMatchObject({ status_code: 418, route: '/composed/teapot', handler: 'teapot' });
    expect(only(events, 'Backend Error').properties).toMatchObject({ error_name: 'TeapotError', status_code: 418, error_message: 'handler says teapot' });
  });

  it("a guard's exception answered by a filter that calls recordApiException: one Backend Error", async () => {
    const { status, events } = await compare('/composed/teapot-guard');
    expect(status).toBe(418);
    expect(events).toHaveLength(2);
    expect(only(events, 'API Call').properties).toMatchObject({ status_code: 418, route: '/composed/teapot-guard' });
    expect(only(events, 'Backend Error').properties).toMatchObject({ error_name: 'TeapotError', error_message: 'guard says teapot' });
  });

  it("a handler's exception answered by a filter that knows nothing of the library: still one Backend Error, from the interceptor", async () => {
    const { status, events } = await compare('/composed/gone');
    expect(status).toBe(410);
    expect(only(events, 'API Call').properties.status_code).toBe(410);
    expect(only(events, 'Backend Error').properties).toMatchObject({ error_name: 'GoneError', status_code: 410 });
  });

  it("a guard's exception answered by such a filter: the API Call with its status, and no Backend Error (as documented)", async () => {
    const { status, events } = await compare('/composed/gone-guard');
    expect(status).toBe(410);
    expect(events.map((e) => e.event)).toEqual(['API Call']);
    expect(events[0].properties).toMatchObject({ status_code: 410, route: '/composed/gone-guard' });
  });

  it("an exception no app filter catches: Nest's own answer, through the library's filter", async () => {
    const { status, events } = await compare('/composed/other');
    expect(status).toBe(500);
    expect(only(events, 'Backend Error').properties).toMatchObject({ error_name: 'Error', status_code: 500 });
  });

  it("a controller's own filter wins over every global one: its status is the one recorded", async () => {
    const { status, events } = await compare('/composed/missing');
    expect(status).toBe(299);
    expect(only(events, 'API Call').properties.status_code).toBe(299);
    expect(only(events, 'Backend Error').properties).toMatchObject({ error_name: 'NotFoundException', status_code: 404 });
  });
});

/** An app's catch-all global filter registered as a provider, in its own module as apps usually do. */
@Catch()
class JsonErrorsFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}
  catch(exception: unknown, host: ArgumentsHost): void {
    const name = exception instanceof Error ? exception.name : 'unknown';
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), { mine: true, name }, 503);
  }
}

describe.each(ADAPTERS)("an app's own APP_FILTER on %s", (kind) => {
  let tracked: RunningApp;
  let plain: RunningApp;
  const start = (withAnalytics: boolean) =>
    startApp(kind, {
      analytics: withAnalytics ? {} : false,
      metadata: { controllers: [ComposedController], providers: [TeapotGuard, GoneGuard, { provide: APP_FILTER, useClass: JsonErrorsFilter }] },
    });

  beforeAll(async () => {
    [tracked, plain] = await Promise.all([start(true), start(false)]);
  });
  afterAll(() => Promise.all([tracked.close(), plain.close()]));

  it.each(['/api/composed/other', '/api/composed/gone-guard'])('answers %s exactly as without the library, and records one Backend Error', async (path) => {
    const requestId = nextRequestId('app-filter');
    const [withLibrary, without] = await Promise.all([send(`${tracked.url}${path}`, { requestId }), send(`${plain.url}${path}`, { requestId })]);
    expect(withLibrary.status).toBe(503);
    expect(withLibrary.status).toBe(without.status);
    expect(withLibrary.body.equals(without.body)).toBe(true);
    const events = await eventsOf(tracked.recorder!, requestId);
    expect(events.filter((e) => e.event === 'Backend Error')).toHaveLength(1);
    expect(only(events, 'API Call').properties.status_code).toBe(503);
  });
});
