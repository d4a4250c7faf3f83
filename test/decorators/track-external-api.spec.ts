import 'reflect-metadata';
import { lastValueFrom, Observable, of } from 'rxjs';
import { TrackExternalApi } from '../../lib/decorators/track-external-api.decorator.js';
import { COMMON, decoratorHarness, only, type DecoratorHarness } from './support/decorator-harness.js';

class StripeClient {
  constructor(private readonly status: number) {}

  @TrackExternalApi('stripe', '/v1/charges?expand[]=customer', { method: 'post' })
  async createCharge(): Promise<{ status: number; body: { id: string } }> {
    await new Promise((r) => setTimeout(r, 5));
    return { status: this.status, body: { id: 'ch_1' } };
  }

  @TrackExternalApi('stripe', '/v1/customers')
  fetchCustomer(): Promise<never> {
    const error = Object.assign(new Error('Request failed with status code 502'), {
      name: 'AxiosError',
      response: { status: 502 },
    });
    return Promise.reject(error);
  }

  @TrackExternalApi('geo', '/lookup', { statusCode: 200, success: ({ result }) => result.found, method: ({ args }) => args[0] })
  lookup(method: string, found: boolean): { found: boolean } {
    return { found };
  }

  @TrackExternalApi('github', '/repos')
  listRepos(): Observable<{ statusCode: number }> {
    return of({ statusCode: 204 });
  }
}

const EXTERNAL = { ...COMMON, event_action: 'external_api_call' };

describe('@TrackExternalApi', () => {
  let h: DecoratorHarness;

  beforeEach(() => {
    h = decoratorHarness();
  });
  afterEach(() => h.close());

  it('records service, endpoint without its query, method, status and duration', async () => {
    await h.bind(new StripeClient(201)).createCharge();
    const event = only(await h.events());
    expect(event.event).toBe('External API Call');
    expect(event.JITSU_TABLE_NAME).toBe('external_api_events');
    expect(event.properties).toEqual({
      ...EXTERNAL,
      service: 'stripe',
      endpoint: '/v1/charges',
      http_method: 'POST',
      status_code: 201,
      duration_ms: expect.any(Number),
      success: true,
    });
    expect(event.properties.duration_ms as number).toBeGreaterThanOrEqual(3);
  });

  it('never sends the secret of a webhook URL, given whole or as a path of a named service', async () => {
    const secret = 'abcdefghijklmnopqrstuvwx';
    class Notifier {
      @TrackExternalApi('slack', `https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/${secret}`, { method: 'POST' })
      notify(): { status: number } {
        return { status: 200 };
      }

      @TrackExternalApi('slack', `/services/T0AAAAAAA/B0BBBBBBB/${secret}?token=t-1`)
      notifyByPath(): void {
        throw new Error('socket hang up');
      }
    }
    const notifier = h.bind(new Notifier());
    notifier.notify();
    expect(() => notifier.notifyByPath()).toThrow('socket hang up');
    const events = await h.events();
    expect(events.map((e) => [e.event, e.properties.endpoint])).toEqual([
      ['External API Call', 'https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/[REDACTED]'],
      ['External API Call', '/services/T0AAAAAAA/B0BBBBBBB/[REDACTED]'],
      ['Backend Error', '/services/T0AAAAAAA/B0BBBBBBB/[REDACTED]'],
    ]);
    expect(JSON.stringify(events)).not.toContain('t-1');
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('counts a returned status >= 400 as failed, without a Backend Error (nothing was thrown)', async () => {
    await h.bind(new StripeClient(503)).createCharge();
    const event = only(await h.events());
    expect(event.properties).toMatchObject({ status_code: 503, success: false });
  });

  it('takes the status of a thrown axios-style error, and adds a Backend Error with error_source external_api', async () => {
    await expect(h.bind(new StripeClient(200)).fetchCustomer()).rejects.toThrow('502');
    const events = await h.events();
    expect(events[0]!.properties).toEqual({
      ...EXTERNAL,
      service: 'stripe',
      endpoint: '/v1/customers',
      status_code: 502,
      duration_ms: expect.any(Number),
      success: false,
    });
    expect(events[1]!.properties).toMatchObject({ error_source: 'external_api', error_name: 'AxiosError', status_code: 502, service: 'stripe', endpoint: '/v1/customers' });
  });

  it('lets the success extractor decide, with fixed and extracted values', async () => {
    const client = h.bind(new StripeClient(200));
    client.lookup('get', false);
    client.lookup('get', true);
    const events = await h.events();
    expect(events.map((e) => [e.properties.http_method, e.properties.status_code, e.properties.success])).toEqual([
      ['GET', 200, false],
      ['GET', 200, true],
    ]);
  });

  it('times an Observable and reads statusCode from its value', async () => {
    await lastValueFrom(h.bind(new StripeClient(200)).listRepos());
    expect(only(await h.events()).properties).toMatchObject({ service: 'github', endpoint: '/repos', status_code: 204, success: true });
  });
});
