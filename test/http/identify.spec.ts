import { identifyFromUser, identifyRequest } from '../../lib/http/identify.js';

describe('identifyFromUser (the default api.identify)', () => {
  it.each([
    [{ user: { id: 'u-1', sub: 'ignored' } }, { userId: 'u-1' }],
    [{ user: { id: 42 } }, { userId: '42' }],
    [{ user: { sub: 'auth0|abc' } }, { userId: 'auth0|abc' }],
    [{ user: { id: '', sub: 's-1' } }, { userId: 's-1' }],
    [{ user: { name: 'no id' } }, undefined],
    [{ user: 'a string' }, undefined],
    [{}, undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%p → %p', (request, expected) => {
    expect(identifyFromUser(request)).toEqual(expected);
  });
});

describe('identifyRequest', () => {
  it('keeps string and finite number ids, as strings, and drops anything else', () => {
    expect(identifyRequest(() => ({ userId: 7, anonymousId: 'dev-1' }), {})).toEqual({ identity: { userId: '7', anonymousId: 'dev-1' } });
    expect(identifyRequest(() => ({ userId: Number.NaN, anonymousId: { nested: true } as never }), {})).toEqual({ identity: {} });
    expect(identifyRequest(() => null, {})).toEqual({ identity: {} });
    expect(identifyRequest(() => 'user-1' as never, {})).toEqual({ identity: {} });
  });

  it('passes the request it is given', () => {
    const request = { headers: { 'x-user': 'u-9' } };
    expect(identifyRequest((r: typeof request) => ({ userId: r.headers['x-user'] }), request).identity.userId).toBe('u-9');
  });

  it('never throws: a throwing identify, or a result whose getter throws, is a failure to count', () => {
    expect(identifyRequest(() => {
      throw new Error('session store down');
    }, {})).toEqual({ identity: {}, failure: 'api.identify threw: session store down' });
    const hostile = {
      get userId(): string {
        throw new Error('getter');
      },
    };
    expect(identifyRequest(() => hostile, {}).failure).toBe('api.identify threw: getter');
    expect(identifyRequest(() => {
      throw 'plain string';
    }, {}).failure).toBe('api.identify threw: plain string');
  });

  it('counts an async identify as a failure, and its rejection never goes unhandled', async () => {
    const rejecting = (async () => {
      throw new Error('no session');
    }) as never;
    expect(identifyRequest(rejecting, {})).toEqual({ identity: {}, failure: 'api.identify returned a Promise; it must return the ids synchronously' });
    // The file fails if the rejection above is left unhandled (test/support/no-unhandled-errors.ts).
    await new Promise((resolve) => setImmediate(resolve));
  });
});
