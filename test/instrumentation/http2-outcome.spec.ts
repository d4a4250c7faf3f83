import { grpcOutcome, http2FailureCode, http2ResponseOutcome } from '../../lib/instrumentation/http2-outcome.js';

describe('the outcome of an HTTP/2 call', () => {
  it.each([
    [{ ':status': 200 }, { statusCode: 200, success: true }],
    [{ ':status': 404, 'content-type': 'text/html' }, { statusCode: 404, success: false }],
    // A gRPC call that a proxy or gateway answered itself is judged by that answer.
    [{ ':status': 503, 'content-type': 'application/grpc' }, { statusCode: 503, success: false }],
    [{ ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-status': '7' }, { statusCode: 403, success: false, errorCode: 'PERMISSION_DENIED' }],
    [{ ':status': 200, 'content-type': 'application/grpc;charset=utf-8', 'grpc-status': '0' }, { statusCode: 200, success: true }],
    [{ ':status': 200, 'content-type': 'application/grpc' }, undefined],
    [{ ':status': 200, 'content-type': 'application/grpc-web', 'grpc-status': '5' }, { statusCode: 200, success: true }],
    [{}, { success: false }],
  ])('%j is %j', (headers, outcome) => {
    expect(http2ResponseOutcome(headers)).toEqual(outcome);
  });

  it('reads a gRPC status from the trailers; a missing or unknown one is UNKNOWN, as gRPC clients report it', () => {
    expect(grpcOutcome({ 'grpc-status': '16' })).toEqual({ statusCode: 401, success: false, errorCode: 'UNAUTHENTICATED' });
    expect(grpcOutcome({ 'grpc-status': '1' })).toEqual({ statusCode: 499, success: false, errorCode: 'CANCELLED' });
    for (const trailers of [{}, { 'grpc-status': '42' }, { 'grpc-status': 'OK' }, { 'grpc-status': '-1' }]) {
      expect(grpcOutcome(trailers)).toEqual({ statusCode: 500, success: false, errorCode: 'UNKNOWN' });
    }
  });

  it("names a failure by the connection's error, else the stream's own, else its reset code", () => {
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    expect(http2FailureCode(Object.assign(new Error('canceled'), { code: 'ERR_HTTP2_STREAM_CANCEL', cause: refused }), 8)).toBe('ECONNREFUSED');
    expect(http2FailureCode(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }), 8)).toBe('ABORT_ERR');
    expect(http2FailureCode(Object.assign(new Error('reset'), { code: 'ERR_HTTP2_STREAM_ERROR' }), 7)).toBe('NGHTTP2_REFUSED_STREAM');
    expect(http2FailureCode(Object.assign(new Error('reset'), { code: 'ERR_HTTP2_STREAM_ERROR' }), 99)).toBe('ERR_HTTP2_STREAM_ERROR');
    expect(http2FailureCode(undefined, 8)).toBe('NGHTTP2_CANCEL');
    expect(http2FailureCode(undefined, undefined)).toBeUndefined();
    expect(http2FailureCode('boom', 0)).toBe('NGHTTP2_NO_ERROR');
  });
});
