import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Post } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { nameRouteHandlers, ROUTE_NAMES_METADATA } from '../../lib/http/route-names.js';

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

describe('nameRouteHandlers', () => {
  it('marks every route method of every controller with Controller.method, and nothing else', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [OrdersModule] }).compile();
    nameRouteHandlers(moduleRef.get(ModulesContainer));
    const mark = (fn: unknown) => Reflect.getMetadata(ROUTE_NAMES_METADATA, fn as object);
    expect(mark(OrdersController.prototype.list)).toBe('OrdersController.list');
    expect(mark(OrdersController.prototype.create)).toBe('OrdersController.create');
    expect(mark(OrdersController.prototype.helper)).toBeUndefined();
    expect(mark(NotAController.prototype.list)).toBeUndefined();
    await moduleRef.close();
  });
});
