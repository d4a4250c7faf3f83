import type { HttpCallState } from './http-call-state.js';

/**
 * The status of a request whose client went away before it was answered. `res.statusCode` still
 * says 200 then; nginx logs such a request as 499, "client closed request".
 */
const NOT_ANSWERED = 499;

/**
 * The status of an upgrade request that got no HTTP answer: its socket was switched to another
 * protocol. @fastify/websocket routes WebSocket handshakes through Fastify (so they are tracked
 * like any request, Mercurius subscriptions included) and answers 101 on the socket itself, not
 * through the response; the call then lasts as long as the socket.
 */
const SWITCHED_PROTOCOLS = 101;

/**
 * Whether the response's status went out. Once it has, that is the status, also when the client
 * closes the stream afterwards (a live SSE feed, a download cut short), as in nginx's log.
 * 'finish' and `writableFinished` say so for a response that also ended: not every response has
 * `headersSent`, and one without a real socket (Fastify's `inject()`, serverless adapters) emits
 * 'finish' while its `writableFinished` stays false.
 */
function answered(state: HttpCallState): boolean {
  const res = state.response as { headersSent?: unknown; writableFinished?: unknown };
  return state.finished || res.headersSent === true || res.writableFinished !== false;
}

/** The status a call ended with: the one sent, else 101 for an upgrade that switched, else 499. */
export function endStatus(state: HttpCallState): number {
  if (answered(state)) return statusSent(state);
  return state.raw.upgrade === true ? SWITCHED_PROTOCOLS : NOT_ANSWERED;
}

export function statusSent(state: HttpCallState): number {
  const status = state.response.statusCode;
  return typeof status === 'number' ? status : 0;
}
