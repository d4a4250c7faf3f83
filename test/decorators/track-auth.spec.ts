import 'reflect-metadata';
import { lastValueFrom, Observable, of, throwError } from 'rxjs';
import { TrackAuth } from '../../lib/decorators/track-auth.decorator.js';
import { COMMON, decoratorHarness, only, type DecoratorHarness } from './support/decorator-harness.js';

class InvalidCredentials extends Error {
  override name = 'InvalidCredentials';
}

class AuthService {
  @TrackAuth('login')
  async login(email: string, password: string): Promise<{ user: { id: string }; token: string }> {
    await Promise.resolve();
    if (password !== 'correct horse') throw new InvalidCredentials(`no user ${email} with that password`);
    return { user: { id: 'u-1' }, token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl' };
  }

  @TrackAuth('validate', { method: 'password' })
  validate(email: string, password: string): { id: number } | null {
    return password === 'ok' ? { id: 42 } : null;
  }

  @TrackAuth('logout', { userId: ({ args }) => args[0], properties: () => ({ devices: 2 }) })
  logout(userId: string): void {
    void userId;
  }

  @TrackAuth('logout')
  signOut(): void {}

  @TrackAuth('refresh', {
    method: ({ args }) => args[0].grant,
    failureReason: ({ error }) => (error as { code?: string }).code,
  })
  refresh(request: { grant: string; fail?: boolean }): Observable<{ userId: string }> {
    return request.fail ? throwError(() => Object.assign(new Error('expired'), { code: 'token_expired' })) : of({ userId: 'u-9' });
  }
}

const AUTH = { ...COMMON, event_action: 'user_authentication' };

describe('@TrackAuth', () => {
  let h: DecoratorHarness;
  let auth: AuthService;

  beforeEach(() => {
    h = decoratorHarness();
    auth = h.bind(new AuthService());
  });
  afterEach(() => h.close());

  it('records a successful async login with the user id from the result, and never the credentials', async () => {
    await auth.login('alice@example.com', 'correct horse');
    const event = only(await h.events());
    expect(event.event).toBe('User Authentication');
    expect(event.JITSU_TABLE_NAME).toBe('authentication_events');
    expect(event.userId).toBe('u-1');
    expect(event.properties).toEqual({ ...AUTH, auth_action: 'login', user_id: 'u-1', auth_success: true });
    const wire = JSON.stringify(event);
    expect(wire).not.toContain('correct horse');
    expect(wire).not.toContain('alice');
    expect(wire).not.toContain('eyJ');
  });

  it("takes the request's user for a call that returns none (a logout inside a request), and no user outside one", async () => {
    h.analytics.core.requestContext.run({ requestId: 'r-1', userId: 'u-5' }, () => auth.signOut());
    auth.signOut();
    const [inRequest, outside] = await h.events();
    expect(inRequest!.userId).toBe('u-5');
    expect(inRequest!.properties).toEqual({ ...AUTH, auth_action: 'logout', user_id: 'u-5', auth_success: true, request_id: 'r-1' });
    expect(outside!.userId).toBeUndefined();
    expect(outside!.properties).toEqual({ ...AUTH, auth_action: 'logout', auth_success: true });
  });

  it('records a rejected login as auth_success false with the error class as failure_reason, plus a Backend Error', async () => {
    await expect(auth.login('alice@example.com', 'wrong')).rejects.toBeInstanceOf(InvalidCredentials);
    const events = await h.events();
    expect(events.map((e) => e.JITSU_TABLE_NAME)).toEqual(['authentication_events', 'backend_error_events']);
    expect(events[0]!.properties).toEqual({ ...AUTH, auth_action: 'login', auth_success: false, failure_reason: 'InvalidCredentials' });
    expect(events[1]!.properties).toMatchObject({ error_source: 'auth', error_name: 'InvalidCredentials' });
    expect(events[1]!.properties.error_message).toBe('no user [REDACTED]@example.com with that password');
    expect(JSON.stringify(events)).not.toContain('wrong');
  });

  it('counts a null result as a failed attempt (the Passport validate convention), without a Backend Error', async () => {
    expect(auth.validate('bob@example.com', 'nope')).toBeNull();
    expect(auth.validate('bob@example.com', 'ok')).toEqual({ id: 42 });
    const events = await h.events();
    expect(events.map((e) => e.properties)).toEqual([
      { ...AUTH, auth_action: 'validate', auth_success: false, auth_method: 'password' },
      { ...AUTH, auth_action: 'validate', auth_success: true, auth_method: 'password', user_id: '42' },
    ]);
  });

  it('uses the userId and properties extractors; a void result is a success', async () => {
    auth.logout('u-7');
    const event = only(await h.events());
    expect(event.userId).toBe('u-7');
    expect(event.properties).toEqual({ ...AUTH, auth_action: 'logout', user_id: 'u-7', auth_success: true, devices: 2 });
  });

  it('times an Observable and takes the user id from its last value', async () => {
    await lastValueFrom(auth.refresh({ grant: 'refresh_token' }));
    expect(only(await h.events()).properties).toEqual({
      ...AUTH,
      auth_action: 'refresh',
      auth_method: 'refresh_token',
      auth_success: true,
      user_id: 'u-9',
    });
  });

  it('records a failed Observable with the failureReason extractor', async () => {
    await expect(lastValueFrom(auth.refresh({ grant: 'refresh_token', fail: true }))).rejects.toThrow('expired');
    const events = await h.events();
    expect(events[0]!.properties).toEqual({
      ...AUTH,
      auth_action: 'refresh',
      auth_method: 'refresh_token',
      auth_success: false,
      failure_reason: 'token_expired',
    });
    expect(events[1]!.properties.error_source).toBe('auth');
  });
});
