import 'reflect-metadata';
import { Controller, Get, type HttpServer, Injectable, Module, Post } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { markedRouteName, nameRegisteredHandlers, nameRouteHandlers } from '../../lib/http/route-names.js';

@Controller('orders')
class OrdersController {
  @Get()
  list(): string[] {
    return [];
  }

  @Post()
  create(): void {}

  helper(): void {}
}

@Injectable()
class NotAController {
  @Get()
  list(): void {}
}

@Module({ controllers: [OrdersController], providers: [NotAController] })
class OrdersModule {}

class ItemsBase {
  @Get(':id/denied')
  denied(): void {}
}

@Controller('catalog/items')
class CatalogController extends ItemsBase {}

@Controller(['internal/items', 'staff/items'])
class InternalController extends ItemsBase {}

@Module({ controllers: [CatalogController, InternalController] })
class ItemsModule {}

/** What NestJS 11 hands the adapter: an anonymous function carrying the route method's metadata. */
function nest11Proxy(method: object): (...args: unknown[]) => unknown {
  const proxy = [() => 'handled'][0]!;
  for (const key of Reflect.getMetadataKeys(method)) Reflect.defineMetadata(key, Reflect.getMetadata(key, method), proxy);
  return proxy;
}

describe('nameRouteHandlers', () => {
  it('marks every route method of every controller with Controller.method, and nothing else', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [OrdersModule] }).compile();
    nameRouteHandlers(moduleRef.get(ModulesContainer));
    const mark = (fn: unknown) => markedRouteName(fn as object);
    expect(mark(OrdersController.prototype.list)).toBe('OrdersController.list');
    expect(mark(OrdersController.prototype.create)).toBe('OrdersController.create');
    expect(mark(OrdersController.prototype.helper)).toBeUndefined();
    expect(mark(NotAController.prototype.list)).toBeUndefined();
    await moduleRef.close();
  });
});

describe('nameRegisteredHandlers', () => {
  it("names each anonymous route handler as the adapter receives it, an inherited one after the controller whose path the route's path contains", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ItemsModule, OrdersModule] }).compile();
    nameRouteHandlers(moduleRef.get(ModulesContainer));
    const registered: Array<[string, unknown]> = [];
    const adapter = {
      get: (path: string, handler: unknown) => registered.push([path, handler]),
      post: (path: string, handler: unknown) => registered.push([path, handler]),
    };
    nameRegisteredHandlers(adapter as unknown as HttpServer);

    const catalog = nest11Proxy(ItemsBase.prototype.denied);
    const internal = nest11Proxy(ItemsBase.prototype.denied);
    const staff = nest11Proxy(ItemsBase.prototype.denied);
    const create = nest11Proxy(OrdersController.prototype.create);
    const unmarked = [() => undefined][0]!;
    const named = nest11Proxy(OrdersController.prototype.list);
    Object.defineProperty(named, 'name', { value: 'OrdersController.list' });
    expect(adapter.get('/api/catalog/items/:id/denied', catalog)).toBe(1);
    adapter.get('/internal/items/:id/denied', internal);
    adapter.get('/v2/staff/items/:id/denied', staff);
    adapter.post('/orders', create);
    adapter.get('/static', unmarked);
    adapter.get('/orders', named);

    expect(registered.map(([path, handler]) => [path, (handler as () => unknown).name])).toEqual([
      ['/api/catalog/items/:id/denied', 'CatalogController.denied'],
      ['/internal/items/:id/denied', 'InternalController.denied'],
      ['/v2/staff/items/:id/denied', 'InternalController.denied'],
      ['/orders', 'OrdersController.create'],
      ['/static', ''],
      ['/orders', 'OrdersController.list'],
    ]);
    expect(registered.map(([, handler]) => handler)).toEqual([catalog, internal, staff, create, unmarked, named]);
    await moduleRef.close();
  });
});
