import type { HttpCallState } from '../../lib/http/http-call-state.js';
import { endStatus } from '../../lib/http/response-status.js';

/** Only what endStatus reads of a request's state. */
function ended(response: Record<string, unknown>, { finished = false, upgrade = false } = {}): HttpCallState {
  return { finished, response, raw: { upgrade } } as unknown as HttpCallState;
}

describe('endStatus: the status an HTTP call is recorded with when it ends', () => {
  it.each([
    ['a response that finished', ended({ statusCode: 201, headersSent: true, writableFinished: true }, { finished: true }), 201],
    ["a socketless response that emitted 'finish' (inject(), serverless)", ended({ statusCode: 204, headersSent: true, writableFinished: false }, { finished: true }), 204],
    ['a stream its client closed after the status went out (a live SSE feed)', ended({ statusCode: 200, headersSent: true, writableFinished: false }), 200],
    ['a response its client left before the status went out', ended({ statusCode: 200, headersSent: false, writableFinished: false }), 499],
    ['an upgrade request answered on its socket (@fastify/websocket)', ended({ statusCode: 200, headersSent: false, writableFinished: false }, { upgrade: true }), 101],
    ['an upgrade request refused with an HTTP answer', ended({ statusCode: 401, headersSent: true, writableFinished: true }, { finished: true, upgrade: true }), 401],
    ['a response-like object without the stream fields', ended({ statusCode: 200 }), 200],
    ['a response-like object without a status', ended({}, { finished: true }), 0],
  ])('%s → %d', (_label, state, status) => {
    expect(endStatus(state)).toBe(status);
  });
});
