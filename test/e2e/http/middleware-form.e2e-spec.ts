import 'reflect-metadata';
import express from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AnalyticsService } from '../../../lib/index.js';
import { eventsOf, nextRequestId, only, send, startApp, type RunningApp } from './fixture/app-factory.js';

describe("the guide's middleware form on express: routes no controller serves", () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp('express', {
      beforeListen: (app) => {
        const analytics = app.get(AnalyticsService);
        const legacy = express.Router();
        legacy.get('/items/:id', (req, res) => {
          res.status(200).json({ id: req.params.id });
        });
        const server = app as NestExpressApplication;
        server.use((req: unknown, res: unknown, next: (error?: unknown) => void) => analytics.trackApiRequest(req, res, next));
        server.use('/legacy', legacy);
      },
    });
  });
  afterAll(() => running.close());

  it('a mounted router: one API Call with the router route template, under its mount path', async () => {
    const requestId = nextRequestId('legacy');
    const exchange = await send(`${running.url}/legacy/items/42?x=1`, { requestId });
    expect(exchange.status).toBe(200);
    const events = await eventsOf(running.recorder!, requestId);
    expect(events).toHaveLength(1);
    const api = only(events, 'API Call');
    expect(api.properties).toMatchObject({ method: 'GET', path: '/legacy/items/42', route: '/legacy/items/:id', status_code: 200 });
    expect(api.properties.controller).toBeUndefined();
  });

  it('a controller route behind the same middleware is still one API Call', async () => {
    const requestId = nextRequestId('legacy');
    await send(`${running.url}/api/users/8`, { requestId });
    const events = await eventsOf(running.recorder!, requestId);
    expect(events).toHaveLength(1);
    expect(only(events, 'API Call').properties).toMatchObject({ route: '/api/users/:id', controller: 'UsersController' });
  });

  it('a path the router does not serve falls through to Nest: one API Call, one Backend Error', async () => {
    const requestId = nextRequestId('legacy');
    const exchange = await send(`${running.url}/legacy/nothing`, { requestId });
    expect(exchange.status).toBe(404);
    const events = await eventsOf(running.recorder!, requestId);
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    expect(only(events, 'API Call').properties.route).toBeUndefined();
  });
});

describe("the guide's middleware form on fastify: a route registered on Fastify itself", () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp('fastify', {
      beforeListen: (app) => {
        const analytics = app.get(AnalyticsService);
        const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
        fastify.addHook('onRequest', (request, reply, done) => analytics.trackApiRequest(request, reply, done));
        fastify.get('/plain/:id', async (request) => ({ id: (request.params as { id: string }).id }));
      },
    });
  });
  afterAll(() => running.close());

  it('one API Call with the Fastify route template', async () => {
    const requestId = nextRequestId('plain');
    const exchange = await send(`${running.url}/plain/5`, { requestId });
    expect(exchange.status).toBe(200);
    const events = await eventsOf(running.recorder!, requestId);
    expect(events).toHaveLength(1);
    expect(only(events, 'API Call').properties).toMatchObject({ method: 'GET', path: '/plain/5', route: '/plain/:id', status_code: 200 });
  });

  it('a controller route behind the same hook is still one API Call', async () => {
    const requestId = nextRequestId('plain');
    await send(`${running.url}/api/users/8`, { requestId });
    const events = await eventsOf(running.recorder!, requestId);
    expect(events).toHaveLength(1);
    expect(only(events, 'API Call').properties).toMatchObject({ route: '/api/users/:id', controller: 'UsersController' });
  });
});
