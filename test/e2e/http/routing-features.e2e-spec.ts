import 'reflect-metadata';
import { Controller, Get, Module, Param, Redirect, UseInterceptors, Version, VersioningType, VERSION_NEUTRAL } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { AnalyticsInterceptor } from '../../../lib/index.js';
import { ADAPTERS, eventsOf, nextRequestId, only, send, startApp, type RunningApp } from './fixture/app-factory.js';

@Controller({ path: 'catalog', version: '1' })
class CatalogV1Controller {
  @Get(':sku')
  find(@Param('sku') sku: string) {
    return { sku, version: 1 };
  }

  @Version(['2', '3'])
  @Get(':sku/price')
  price(@Param('sku') sku: string) {
    return { sku, price: 10 };
  }
}

@Controller({ path: 'catalog', version: VERSION_NEUTRAL })
class CatalogNeutralController {
  @Get('/')
  list() {
    return [];
  }
}

@Controller('shelves')
class ShelvesController {
  @Get(':id')
  find(@Param('id') id: string) {
    return { id };
  }

  @Get('old/:id')
  @Redirect('/somewhere', 301)
  moved() {
    return undefined;
  }
}

@Module({ controllers: [ShelvesController] })
class ShelvesModule {}

@UseInterceptors(AnalyticsInterceptor)
@Controller('decorated')
class DecoratedController {
  @Get(':id')
  find(@Param('id') id: string) {
    return { id };
  }
}

describe.each(ADAPTERS)('routing features on %s', (kind) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(kind, {
      metadata: {
        imports: [ShelvesModule, RouterModule.register([{ path: 'store', module: ShelvesModule }])],
        controllers: [CatalogV1Controller, CatalogNeutralController, DecoratedController],
      },
      beforeListen: (app) => app.enableVersioning({ type: VersioningType.URI }),
    });
  });
  afterAll(() => running.close());

  async function call(path: string, init: RequestInit = {}) {
    const requestId = nextRequestId(`${kind}-routing`);
    const exchange = await send(`${running.url}${path}`, { ...init, redirect: 'manual', requestId });
    return { exchange, events: await eventsOf(running.recorder!, requestId) };
  }

  it.each([
    ['/v1/catalog/abc', '/v1/catalog/:sku', 'find', 200],
    ['/v3/catalog/abc/price', '/v3/catalog/:sku/price', 'price', 200],
    ['/catalog', '/catalog', 'list', 200],
    ['/store/shelves/7', '/store/shelves/:id', 'find', 200],
    ['/store/shelves/old/7', '/store/shelves/old/:id', 'moved', 301],
    ['/decorated/9', '/decorated/:id', 'find', 200],
  ])('%s: one API Call with route %s', async (path, route, handler, status) => {
    const { exchange, events } = await call(path);
    expect(exchange.status).toBe(status);
    expect(events.map((e) => e.event)).toEqual(['API Call']);
    expect(only(events, 'API Call').properties).toMatchObject({ path, route, handler, status_code: status });
  });
});
