import 'reflect-metadata';
import { eventsOf, nextRequestId, send, startApp, type RunningApp } from './fixture/app-factory.js';

describe('two apps in one process', () => {
  let first: RunningApp;
  let second: RunningApp;

  beforeAll(async () => {
    [first, second] = await Promise.all([startApp('express', { analytics: { serviceName: 'first' } }), startApp('fastify', { analytics: { serviceName: 'second' } })]);
  });
  afterAll(() => Promise.all([first.close(), second.close()]));

  it('each records only the requests it served, with its own options', async () => {
    const one = nextRequestId('first');
    const two = nextRequestId('second');
    await Promise.all([send(`${first.url}/api/users/boom`, { requestId: one }), send(`${second.url}/api/users/1`, { requestId: two })]);
    await Promise.all([eventsOf(first.recorder!, one), eventsOf(second.recorder!, two)]);
    const firstEvents = first.recorder!.events();
    const secondEvents = second.recorder!.events();
    expect(firstEvents.map((e) => [e.event, e.properties.request_id, e.properties.service_name]).sort()).toEqual([
      ['API Call', one, 'first'],
      ['Backend Error', one, 'first'],
    ]);
    expect(secondEvents.map((e) => [e.event, e.properties.request_id, e.properties.service_name])).toEqual([['API Call', two, 'second']]);
  });
});
