import 'reflect-metadata';
import { ADAPTERS, eventsOf, nextRequestId, only, send, startApp, type RunningApp } from './fixture/app-factory.js';

/**
 * Nest answers a path no controller serves with `NotFoundException('Cannot GET <url>')`, the
 * url as the client sent it. The `API Call` drops the query string (it carries codes, tokens and
 * search terms); the `Backend Error`'s message must not bring it back.
 */
describe.each(ADAPTERS)('the Backend Error of an unmatched path on %s', (kind) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(kind);
  });
  afterAll(() => running.close());

  it('names the method and path, never the query string', async () => {
    const requestId = nextRequestId(kind);
    const exchange = await send(`${running.url}/oauth/callback?code=4_0AX4XfWhQz81Lp&state=st8Kq2#frag`, { requestId });
    expect(exchange.status).toBe(404);
    const events = await eventsOf(running.recorder!, requestId);
    expect(only(events, 'API Call').properties.path).toBe('/oauth/callback');
    expect(only(events, 'Backend Error').properties).toMatchObject({
      error_name: 'NotFoundException',
      error_message: 'Cannot GET /oauth/callback',
      status_code: 404,
    });
    expect(JSON.stringify(events)).not.toContain('4_0AX4XfWhQz81Lp');
    expect(JSON.stringify(events)).not.toContain('st8Kq2');
  });
});
