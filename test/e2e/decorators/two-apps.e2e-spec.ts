import 'reflect-metadata';
import { Body, Controller, Injectable, Post } from '@nestjs/common';
import { TrackEvent } from '../../../lib/decorators/track-event.decorator.js';
import { TrackPayment } from '../../../lib/decorators/track-payment.decorator.js';
import { startAnalyticsApp, type AnalyticsApp } from './support/analytics-app.js';

/** One class, shared by both apps: the binding must live on each app's instance, not on the class. */
@Injectable()
class Orders {
  @TrackPayment('charge')
  place(amount: number): { amount: number } {
    return { amount };
  }
}

@Controller('orders')
class OrdersController {
  constructor(private readonly orders: Orders) {}

  @Post()
  @TrackEvent('Order Requested', { properties: ({ args }) => ({ amount: args[0].amount }) })
  create(@Body() body: { amount: number }): { amount: number } {
    return this.orders.place(body.amount);
  }
}

describe('two Nest apps in one process', () => {
  let a: AnalyticsApp;
  let b: AnalyticsApp;

  beforeAll(async () => {
    a = await startAnalyticsApp({ providers: [Orders], controllers: [OrdersController] }, { serviceName: 'app-a' });
    b = await startAnalyticsApp({ providers: [Orders], controllers: [OrdersController] }, { serviceName: 'app-b' });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('each send their own events to their own pipeline', async () => {
    expect(a.app.get(Orders)).not.toBe(b.app.get(Orders));
    a.app.get(Orders).place(1);
    a.app.get(Orders).place(2);
    b.app.get(Orders).place(10);
    expect((await a.post('/orders', { amount: 3 })).status).toBe(201);
    expect((await b.post('/orders', { amount: 20 })).status).toBe(201);
    expect((await b.post('/orders', { amount: 30 })).status).toBe(201);

    const summary = async (app: AnalyticsApp) => {
      await app.recorder.flush();
      return app.recorder
        .events()
        .filter((e) => e.JITSU_TABLE_NAME === 'payment_events' || e.JITSU_TABLE_NAME === 'custom_events')
        .map((e) => [e.properties.service_name, e.event, e.properties.payment_amount ?? e.properties.amount]);
    };
    expect(await summary(a)).toEqual([
      ['app-a', 'Payment Processing', 1],
      ['app-a', 'Payment Processing', 2],
      ['app-a', 'Payment Processing', 3],
      ['app-a', 'Order Requested', 3],
    ]);
    expect(await summary(b)).toEqual([
      ['app-b', 'Payment Processing', 10],
      ['app-b', 'Payment Processing', 20],
      ['app-b', 'Order Requested', 20],
      ['app-b', 'Payment Processing', 30],
      ['app-b', 'Order Requested', 30],
    ]);
  });

  it('keep working when one of them closes', async () => {
    const c = await startAnalyticsApp({ providers: [Orders] }, { serviceName: 'app-c' });
    const orders = c.app.get(Orders);
    await c.close();
    a.recorder.clear();
    expect(orders.place(5)).toEqual({ amount: 5 });
    a.app.get(Orders).place(6);
    expect((await a.eventsIn('payment_events')).map((e) => e.properties.payment_amount)).toEqual([6]);
    expect(c.recorder.events()).toEqual([]);
  });
});
