import 'reflect-metadata';
import { configure as serverlessExpress } from '@codegenie/serverless-express';
import { apiGatewayEvent } from './fixture/api-gateway-event.js';
import { eventsOf, nextRequestId, only, startApp, type RunningApp } from './fixture/app-factory.js';

/**
 * NestJS's serverless recipe: the Express app behind `@codegenie/serverless-express`, invoked
 * with API Gateway (HTTP API) events. Its responses have no real socket and never emit 'close':
 * requests served so were not recorded at all.
 */
describe('an Express app behind @codegenie/serverless-express (AWS Lambda)', () => {
  let running: RunningApp;
  let handler: ReturnType<typeof serverlessExpress>;

  beforeAll(async () => {
    running = await startApp('express');
    handler = serverlessExpress({ app: running.app.getHttpAdapter().getInstance() });
  });
  afterAll(() => running.close());

  async function invoke(method: string, path: string, body?: unknown) {
    const requestId = nextRequestId('lambda');
    const answer = (await handler(apiGatewayEvent(method, path, requestId, body) as never, {} as never, () => undefined)) as { statusCode: number };
    return { status: answer.statusCode, events: await eventsOf(running.recorder!, requestId) };
  }

  it.each([
    ['GET', '/api/users/5', undefined, 200, '/api/users/:id', 'findOne'],
    ['POST', '/api/users', { name: 'Ada' }, 201, '/api/users', 'create'],
    ['DELETE', '/api/users/5', undefined, 204, '/api/users/:id', 'remove'],
    ['GET', '/api/users/stream', undefined, 200, '/api/users/stream', 'stream'],
    ['GET', '/api/users/raw', undefined, 202, '/api/users/raw', 'raw'],
  ])('%s %s: one API Call with the status answered', async (method, path, body, status, route, handlerName) => {
    const { status: answered, events } = await invoke(method, path, body);
    expect(answered).toBe(status);
    expect(events.map((e) => e.event)).toEqual(['API Call']);
    expect(events[0].properties).toMatchObject({ method, path, route, status_code: status, handler: handlerName });
    // The gateway's client address (last octet stripped, the default) and user agent.
    expect(events[0].properties).toMatchObject({ ip_address: '203.0.113.0', user_agent: 'lambda-test' });
  });

  it.each([
    ['/api/users/missing/7', 404, 'NotFoundException'],
    ['/api/users/boom', 500, 'Error'],
    ['/api/users/guarded', 403, 'ForbiddenException'],
  ])('GET %s: its API Call and its Backend Error', async (path, status, errorName) => {
    const { status: answered, events } = await invoke('GET', path);
    expect(answered).toBe(status);
    expect(events).toHaveLength(2);
    expect(only(events, 'API Call').properties).toMatchObject({ path, status_code: status });
    expect(only(events, 'Backend Error').properties).toMatchObject({ error_name: errorName, status_code: status });
  });
});
