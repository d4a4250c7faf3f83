import { errors } from 'undici';
import { networkDeliveryError } from '../../../lib/transports/jitsu/network-error.js';

const facts = { origin: 'http://jitsu.test:8080', requestTimeoutMs: 2500, abortCause: undefined };

function withCode(code: string, message = `${code} happened`): Error {
  return Object.assign(new Error(message), { code });
}

describe('networkDeliveryError', () => {
  it.each([
    [withCode('ECONNREFUSED'), 'connection refused (ECONNREFUSED)'],
    [withCode('ECONNRESET'), 'connection reset (ECONNRESET)'],
    [new errors.SocketError('other side closed'), 'socket closed by the server (UND_ERR_SOCKET)'],
    [new errors.HeadersTimeoutError(), 'timed out waiting for response headers (UND_ERR_HEADERS_TIMEOUT)'],
    [new errors.BodyTimeoutError(), 'timed out reading the response body (UND_ERR_BODY_TIMEOUT)'],
    [new errors.ConnectTimeoutError(), 'connect timeout (UND_ERR_CONNECT_TIMEOUT)'],
    [new errors.ResponseContentLengthMismatchError(), 'response body cut short (UND_ERR_RES_CONTENT_LENGTH_MISMATCH)'],
    [withCode('ENOTFOUND'), 'host not found (ENOTFOUND)'],
  ])('describes %s as a retryable failure naming the origin', (error, kind) => {
    const delivery = networkDeliveryError(error, facts);
    expect(delivery).toMatchObject({ retryable: true, status: undefined, tooLarge: false });
    expect(delivery.message).toBe(`Could not deliver to Jitsu at http://jitsu.test:8080: ${kind}`);
    expect(delivery.cause).toBe(error);
  });

  it('gives up at once on a request undici refuses to build: every attempt would fail alike', () => {
    const delivery = networkDeliveryError(new errors.InvalidArgumentError('invalid header value'), facts);
    expect(delivery).toMatchObject({ retryable: false, dropReason: 'rejected' });
    expect(delivery.message).toContain('the request could not be built (UND_ERR_INVALID_ARG)');
  });

  it('finds the code on a wrapped cause', () => {
    const wrapped = new TypeError('fetch failed', { cause: withCode('ECONNRESET') });
    expect(networkDeliveryError(wrapped, facts).message).toContain('connection reset (ECONNRESET)');
  });

  it('names an unknown code, or the error class when there is none', () => {
    expect(networkDeliveryError(withCode('EWHATEVER'), facts).message).toContain('network error (EWHATEVER)');
    expect(networkDeliveryError(new RangeError('x'), facts).message).toContain('network error (RangeError)');
    expect(networkDeliveryError('a string', facts).message).toContain('network error (string)');
  });

  it('reports our own deadline with its duration', () => {
    const delivery = networkDeliveryError(new Error('aborted'), { ...facts, abortCause: 'deadline' });
    expect(delivery.retryable).toBe(true);
    expect(delivery.message).toContain('request timed out after 2500 ms');
  });

  it("reports the caller's abort as retryable: the pipeline decides", () => {
    const delivery = networkDeliveryError(new Error('aborted'), { ...facts, abortCause: 'caller' });
    expect(delivery.retryable).toBe(true);
    expect(delivery.message).toContain('aborted by the caller');
  });

  it('a send on a closed transport is final with drop reason closed', () => {
    expect(networkDeliveryError(undefined, { ...facts, abortCause: 'closed' })).toMatchObject({
      retryable: false,
      dropReason: 'closed',
    });
  });
});
