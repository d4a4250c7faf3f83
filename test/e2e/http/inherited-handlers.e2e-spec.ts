import 'reflect-metadata';
import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { SkipTracking } from '../../../lib/index.js';
import { DenyGuard } from './fixture/controllers.js';
import { ADAPTERS, eventsOf, nextRequestId, only, send, settledEventsOf, startApp, type RunningApp } from './fixture/app-factory.js';

/** A generic CRUD controller, as apps share one between resources: its route methods are inherited, not copied. */
abstract class CrudController {
  @Get(':id')
  findOne(@Param('id') id: string) {
    return { id };
  }

  @Get(':id/denied')
  @UseGuards(DenyGuard)
  denied() {
    return { unreachable: true };
  }
}

@Controller('catalog/items')
class ItemsController extends CrudController {}

@SkipTracking()
@Controller('internal/items')
class InternalItemsController extends CrudController {}

describe.each(ADAPTERS)('route methods inherited from one base controller on %s', (kind) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(kind, { metadata: { controllers: [ItemsController, InternalItemsController] } });
  });
  afterAll(() => running.close());

  it('each request is named for the controller that served it, and @SkipTracking() applies only to the subclass it marks', async () => {
    // Both orders: whichever controller serves the shared method first must not decide for the other.
    for (const round of [1, 2]) {
      const tracked = nextRequestId(`${kind}-inherited-${round}`);
      const skipped = nextRequestId(`${kind}-inherited-skipped-${round}`);
      const requests = [
        () => send(`${running.url}/catalog/items/${round}`, { requestId: tracked }),
        () => send(`${running.url}/internal/items/${round}`, { requestId: skipped }),
      ];
      if (round === 2) requests.reverse();
      for (const request of requests) expect((await request()).status).toBe(200);
      expect(only(await eventsOf(running.recorder!, tracked), 'API Call').properties).toMatchObject({
        route: '/catalog/items/:id',
        controller: 'ItemsController',
        handler: 'findOne',
      });
      expect(await settledEventsOf(running, skipped)).toEqual([]);
    }
  });

  it('a guard rejection, which no interceptor sees, is named and skipped the same way', async () => {
    const tracked = nextRequestId(`${kind}-inherited-denied`);
    const skipped = nextRequestId(`${kind}-inherited-denied-skipped`);
    expect((await send(`${running.url}/internal/items/1/denied`, { requestId: skipped })).status).toBe(403);
    expect((await send(`${running.url}/catalog/items/1/denied`, { requestId: tracked })).status).toBe(403);
    expect(only(await eventsOf(running.recorder!, tracked), 'API Call').properties).toMatchObject({
      route: '/catalog/items/:id/denied',
      controller: 'ItemsController',
      handler: 'denied',
    });
    expect((await settledEventsOf(running, skipped)).map((e) => e.event)).toEqual(['Backend Error']);
  });
});
