import 'reflect-metadata';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosResponse } from 'axios';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import { bindTracking } from '../../lib/decorators/bind-tracking.js';
import { TrackExternalApi } from '../../lib/decorators/track-external-api.decorator.js';
import { TrackPayment } from '../../lib/decorators/track-payment.decorator.js';
import { freePort } from '../support/server-process.js';
import { calls, errorsOf, outboundTracking } from './outbound-tracking.js';

let api: http.Server;
let base: string;
beforeAll(async () => {
  api = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    res.writeHead(req.url?.startsWith('/declined') ? 402 : 200, { 'content-type': 'application/json' }).end('{"id":"ch_1"}');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => api.close(resolve)));

const { running } = outboundTracking();

/** A client as apps write one: the decorator names the call, the HTTP client makes it. */
class PaymentsClient {
  constructor(private readonly url: string) {}

  @TrackExternalApi('payments', '/v1/charges', { method: 'POST' })
  async charge(path = '/v1/charges'): Promise<Response> {
    const response = await fetch(`${this.url}${path}?amount=100`, { method: 'POST', body: '{}' });
    await response.text();
    return response;
  }

  /** As with @nestjs/axios' HttpService: the request starts when the Observable is subscribed. */
  @TrackExternalApi('payments', '/v1/refunds', { method: 'POST' })
  refund(): Observable<AxiosResponse> {
    return defer(() => axios.post(`${this.url}/v1/refunds`, {}));
  }

  /** Not an external call: its HTTP calls are the instrumentation's to record. */
  @TrackPayment('charge', { amount: () => 100, currency: () => 'EUR' })
  async pay(): Promise<void> {
    await (await fetch(`${this.url}/v1/payments`)).text();
  }
}

describe('outboundHttp beside @TrackExternalApi', () => {
  it('records the calls a @TrackExternalApi method makes once, as the decorator names them, and the calls around it as usual', async () => {
    const wa = running({ outboundHttp: { enabled: true } });
    const client = bindTracking(new PaymentsClient(base), wa.analytics);
    await (await fetch(`${base}/before`)).text();
    expect((await client.charge()).status).toBe(200);
    expect((await client.charge('/declined')).status).toBe(402);
    expect((await lastValueFrom(client.refund())).status).toBe(200);
    await client.pay();
    await (await fetch(`${base}/after`)).text();
    expect((await calls(wa)).map((e) => [e.properties.service, e.properties.endpoint, e.properties.status_code])).toEqual([
      ['127.0.0.1', '/before', 200],
      ['payments', '/v1/charges', 200],
      ['payments', '/v1/charges', 402],
      ['payments', '/v1/refunds', 200],
      ['127.0.0.1', '/v1/payments', 200],
      ['127.0.0.1', '/after', 200],
    ]);
  });

  it('records a @TrackExternalApi call refused a connection once, with one Backend Error', async () => {
    const wa = running({ outboundHttp: { enabled: true } });
    const client = bindTracking(new PaymentsClient(`http://127.0.0.1:${await freePort()}`), wa.analytics);
    await expect(client.charge()).rejects.toThrow();
    await expect(lastValueFrom(client.refund())).rejects.toThrow(/ECONNREFUSED/);
    expect((await calls(wa)).map((e) => [e.properties.service, e.properties.success])).toEqual([
      ['payments', false],
      ['payments', false],
    ]);
    // The decorator's, for what the method threw, named as the call is; none of outboundHttp's (`ExternalApiError`).
    expect((await errorsOf(wa)).map((e) => [e.properties.error_source, e.properties.error_name, e.properties.service, e.properties.endpoint])).toEqual([
      ['external_api', 'TypeError', 'payments', '/v1/charges'],
      ['external_api', 'AxiosError', 'payments', '/v1/refunds'],
    ]);
  });
});
