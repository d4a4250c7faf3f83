import 'reflect-metadata';
import { Controller, Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Args, Query, Resolver, Subscription } from '@nestjs/graphql';
import { EventPattern, GrpcMethod, MessagePattern, RpcException } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { AnalyticsService, recordApiException } from '../../lib/index.js';
import { RefusedCallHandlers } from '../../lib/http/refused-call-handlers.js';
import { AnalyticsRecorder, JitsuAnalyticsTestingModule } from '../../lib/testing/index.js';

@Controller()
class OrderMessages {
  @MessagePattern('orders.get')
  get() {
    return 'order';
  }

  @MessagePattern({ role: 'orders', cmd: 'sum' })
  sum() {
    return 0;
  }

  @EventPattern('orders.*.created')
  created(_data: unknown) {
    return undefined;
  }

  @EventPattern('orders/+/shipped')
  shipped(_data: unknown) {
    return undefined;
  }

  @GrpcMethod('OrdersService', 'FindOne')
  findOne() {
    return {};
  }
}

@Resolver()
@Injectable()
class OrdersResolver {
  @Query('order')
  order(@Args('id') id: number) {
    return { id };
  }

  @Subscription()
  orderUpdates() {
    return undefined;
  }
}

async function app() {
  const moduleRef = await Test.createTestingModule({
    imports: [JitsuAnalyticsTestingModule.forRoot()],
    controllers: [OrderMessages],
    providers: [OrdersResolver],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('RefusedCallHandlers', () => {
  it.each([
    ['rpc', 'orders.get', OrderMessages, 'get'],
    ['rpc', '{"cmd":"sum","role":"orders"}', OrderMessages, 'sum'],
    ['rpc', 'OrdersService/FindOne', OrderMessages, 'findOne'],
    ['rpc', 'orders.7.created', OrderMessages, 'created'],
    ['rpc', 'orders/7/shipped', OrderMessages, 'shipped'],
    ['graphql', 'Query.order', OrdersResolver, 'order'],
    ['graphql', 'Subscription.orderUpdates', OrdersResolver, 'orderUpdates'],
  ] as const)('finds the %s handler for %s', async (type, route, cls, method) => {
    const moduleRef = await app();
    const found = new RefusedCallHandlers(moduleRef.get(ModulesContainer)).find(type, route);
    expect(found).toEqual({ cls, fn: cls.prototype[method as keyof typeof cls.prototype] });
    await moduleRef.close();
  });

  it.each([
    ['rpc', 'orders.7.8.created'],
    ['rpc', 'orders.list'],
    ['rpc', 'Query.order'],
    ['graphql', 'orders.get'],
    ['graphql', 'Mutation.order'],
    ['rpc', undefined],
  ] as const)('finds nothing for %s %s', async (type, route) => {
    const moduleRef = await app();
    expect(new RefusedCallHandlers(moduleRef.get(ModulesContainer)).find(type, route)).toBeUndefined();
    await moduleRef.close();
  });

  it('names a refused call on a wildcard subject by its declared pattern and handler, so it stays one route', async () => {
    const moduleRef = await app();
    const host = new ExecutionContextHost([{ id: 7 }, { getSubject: () => 'orders.7.created' }]);
    host.setType('rpc');
    recordApiException(moduleRef.get(AnalyticsService), new RpcException('Forbidden resource'), host);
    const recorder = moduleRef.get(AnalyticsRecorder);
    await recorder.flush();
    expect(recorder.events().map((e) => [e.event, e.properties.path, e.properties.route, e.properties.status_code, e.properties.handler])).toEqual([
      ['Backend Error', undefined, 'orders.*.created', 403, undefined],
      ['API Call', 'orders.7.created', 'orders.*.created', 403, 'created'],
    ]);
    expect(recorder.events()[1].properties.controller).toBe('OrderMessages');
    await moduleRef.close();
  });
});
