import 'reflect-metadata';
import { connect, type ClientHttp2Session } from 'node:http2';
import { eventsOf, nextRequestId, only, startApp, type RunningApp } from './fixture/app-factory.js';

/**
 * Fastify serving HTTP/2 (h2c). A stream's socket is the session's, reached through the
 * stream: once the stream is over it is gone, and API Calls had no client address.
 */
describe('an app on Fastify over HTTP/2', () => {
  let running: RunningApp;
  let session: ClientHttp2Session;

  beforeAll(async () => {
    running = await startApp('fastify', { http2: true });
    session = connect(running.url);
  });
  afterAll(async () => {
    session?.close();
    await running?.close();
  });

  function call(method: string, path: string, body?: unknown): Promise<{ status: number; requestId: string }> {
    const requestId = nextRequestId('h2');
    return new Promise((resolve, reject) => {
      const headers = { ':method': method, ':path': path, 'x-request-id': requestId, 'user-agent': 'h2-client/1.0', ...(body ? { 'content-type': 'application/json' } : {}) };
      const stream = session.request(headers);
      let status = 0;
      stream.on('response', (answer) => (status = Number(answer[':status'])));
      stream.on('data', () => undefined);
      stream.on('end', () => resolve({ status, requestId }));
      stream.on('error', reject);
      stream.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  it.each([
    ['GET', '/api/users/5', undefined, 200, '/api/users/:id'],
    ['POST', '/api/users', { name: 'Ada' }, 201, '/api/users'],
    ['GET', '/api/users/stream', undefined, 200, '/api/users/stream'],
    ['GET', '/api/users/missing/7', undefined, 404, '/api/users/missing/:id'],
  ])('%s %s: its API Call, with the status, the client address and the user agent', async (method, path, body, status, route) => {
    const answer = await call(method, path, body);
    expect(answer.status).toBe(status);
    const events = await eventsOf(running.recorder!, answer.requestId);
    expect(only(events, 'API Call').properties).toMatchObject({
      method,
      path,
      route,
      status_code: status,
      ip_address: '127.0.0.0',
      user_agent: 'h2-client/1.0',
    });
  });
});
