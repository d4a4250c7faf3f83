import 'reflect-metadata';
import { HttpException, Injectable, type MiddlewareConsumer, Module, type NestMiddleware, type NestModule, RequestMethod } from '@nestjs/common';
import { AnalyticsService } from '../../../lib/index.js';
import { ADAPTERS, eventsOf, nextRequestId, only, send, startApp, type RunningApp } from './fixture/app-factory.js';
import { UsersController } from './fixture/controllers.js';

/** An app's own middleware that tracks an event of its own, as a request logger or a tenant resolver might. */
@Injectable()
class AuditMiddleware implements NestMiddleware {
  constructor(private readonly analytics: AnalyticsService) {}

  use(_req: unknown, _res: unknown, next: () => void): void {
    this.analytics.track('Request Audited', { stage: 'middleware' });
    next();
  }
}

/** A rate limiter that answers before the router dispatches (here: whenever the client asks for it). */
@Injectable()
class RateLimitMiddleware implements NestMiddleware {
  use(req: { headers: Record<string, unknown> }, _res: unknown, next: () => void): void {
    if (req.headers['x-limit'] === 'now') throw new HttpException('Too Many Requests', 429);
    next();
  }
}

/** The guide's middleware form inside an app's own Nest middleware: Express mounts it as a catch-all route. */
@Injectable()
class GuideFormMiddleware implements NestMiddleware {
  constructor(private readonly analytics: AnalyticsService) {}

  use(req: unknown, res: unknown, next: () => void): void {
    this.analytics.trackApiRequest(req, res, next);
  }
}

@Module({ providers: [GuideFormMiddleware] })
class GuideFormModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(GuideFormMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}

@Module({ providers: [AuditMiddleware, RateLimitMiddleware] })
class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditMiddleware).forRoutes(UsersController);
    consumer.apply(RateLimitMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}

describe.each(ADAPTERS)("an app's own Nest middleware on %s", (kind) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(kind, { metadata: { imports: [AuditModule] } });
  });
  afterAll(() => running.close());

  it("runs inside the request's context: its events carry the request id of the request's API Call", async () => {
    const requestId = nextRequestId(`${kind}-audit`);
    const exchange = await send(`${running.url}/api/users/5`, { requestId });
    expect(exchange.status).toBe(200);
    const events = await eventsOf(running.recorder!, requestId);
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Request Audited']);
    expect(only(events, 'Request Audited').properties).toMatchObject({ stage: 'middleware', request_id: requestId });
    expect(only(events, 'API Call').properties).toMatchObject({ route: '/api/users/:id', status_code: 200 });
  });

  it('a request the middleware rejects before routing still gets its route, and its secret parameter is not in the path', async () => {
    const requestId = nextRequestId(`${kind}-limited`);
    const exchange = await send(`${running.url}/api/users/reset/7d2e9b14c0a84f3e`, { requestId, headers: { 'x-limit': 'now' } });
    expect(exchange.status).toBe(429);
    const events = await eventsOf(running.recorder!, requestId);
    const api = only(events, 'API Call').properties;
    expect(api).toMatchObject({ path: '/api/users/reset/[REDACTED]', status_code: 429 });
    // Express's router names the route; Fastify's tells only the parameters of a request its hooks never saw.
    expect(api.route).toBe(kind === 'express' ? '/api/users/reset/:token' : undefined);
    if (kind === 'express') expect(api).toMatchObject({ controller: 'UsersController', handler: 'reset' });
    expect(JSON.stringify(events)).not.toContain('7d2e9b14c0a84f3e');
  });

  // GET /api/users/:id is declared first; the request was a DELETE, which remove() serves.
  it('a request the middleware rejects before routing is attributed to the route of its own method', async () => {
    const requestId = nextRequestId(`${kind}-limited-delete`);
    const exchange = await send(`${running.url}/api/users/5`, { requestId, method: 'DELETE', headers: { 'x-limit': 'now' } });
    expect(exchange.status).toBe(429);
    const api = only(await eventsOf(running.recorder!, requestId), 'API Call').properties;
    expect(api).toMatchObject({ method: 'DELETE', path: '/api/users/5', status_code: 429 });
    if (kind === 'express') expect(api).toMatchObject({ route: '/api/users/:id', controller: 'UsersController', handler: 'remove' });
  });
});

describe("the guide's middleware form in an app's own Nest middleware on express", () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp('express', { metadata: { imports: [GuideFormModule] } });
  });
  afterAll(() => running.close());

  it("an unmatched path: no route template, not the middleware's catch-all route the request passed through", async () => {
    const requestId = nextRequestId('express-guide-form');
    const exchange = await send(`${running.url}/api/nothing/here`, { requestId });
    expect(exchange.status).toBe(404);
    const events = await eventsOf(running.recorder!, requestId);
    expect(events.map((e) => [e.event, e.properties.route])).toEqual(
      expect.arrayContaining([
        ['API Call', undefined],
        ['Backend Error', undefined],
      ]),
    );
    expect(events).toHaveLength(2);
  });
});

describe.each(ADAPTERS)("an app's own app.use() middleware on %s", (kind) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(kind, {
      beforeListen: (app) => {
        // Mounted before the module's configure runs, as helmet or a rate limiter usually is.
        app.use((req: { headers: Record<string, unknown> }, res: { statusCode: number; end(): void }, next: () => void) => {
          if (req.headers['x-block'] === 'yes') {
            res.statusCode = 429;
            res.end();
          } else next();
        });
      },
    });
  });
  afterAll(() => running.close());

  it('a request it answers itself is still one API Call, with its status and request id', async () => {
    const requestId = nextRequestId(`${kind}-app-use`);
    const exchange = await send(`${running.url}/api/users/5`, { requestId, headers: { 'x-block': 'yes' } });
    expect(exchange.status).toBe(429);
    expect(only(await eventsOf(running.recorder!, requestId), 'API Call').properties).toMatchObject({ status_code: 429, request_id: requestId });
  });
});
