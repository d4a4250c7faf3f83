import 'reflect-metadata';
import { Injectable, type MiddlewareConsumer, Module, type NestMiddleware, type NestModule } from '@nestjs/common';
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

@Module({ providers: [AuditMiddleware] })
class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditMiddleware).forRoutes(UsersController);
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
});
