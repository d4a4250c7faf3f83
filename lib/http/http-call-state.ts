import type { RequestFacts } from '../context/request-context.js';
import type { NodeRequestLike, NodeResponseLike } from './parsers/http-request.parser.js';

/**
 * Everything known about one HTTP request while it is served, kept on the Node request under a
 * symbol: the middleware, the interceptor, the exception filter and the guide's middleware form
 * each find the same state there, which is what keeps a request to one `API Call` and one
 * `Backend Error` whichever of them sees it first.
 */
export interface HttpCallState {
  /** The request's facts, in the analytics instance's AsyncLocalStorage while it is served. */
  readonly facts: RequestFacts;
  /** Which analytics instance tracks it: another app's components leave it alone. */
  readonly owner: object;
  readonly startedAt: number;
  readonly timestamp: number;
  readonly method: string;
  readonly path: string;
  readonly raw: NodeRequestLike;
  /** Read as the request arrives: an HTTP/2 stream's, or an abandoned socket's, is gone once the response is over. */
  readonly remoteAddress: string | undefined;
  readonly response: NodeResponseLike;
  /** Express routes that dispatched to tracking middleware: not the app's route (see `routeTemplateOf`). */
  middlewareRoutes?: unknown[];
  /** The most specific request object seen (a `FastifyRequest` rather than its raw request). */
  request: unknown;
  excluded: boolean;
  skip: boolean;
  handlerStartedAt?: number;
  route?: string;
  /** The parameters the router found for a request whose route stayed unknown (see `RequestRoutes`). */
  routeParams?: Record<string, unknown>;
  controller?: string;
  handler?: string;
  identified: boolean;
  hasError: boolean;
  error?: unknown;
  errorRecorded: boolean;
  /** The response emitted 'finish': it was answered in full. */
  finished: boolean;
  ended: boolean;
}

const HTTP_CALL_STATE = Symbol('jitsu-analytics:http-call');

type Carrier = { [HTTP_CALL_STATE]?: HttpCallState };

export function httpCallStateOf(raw: NodeRequestLike): HttpCallState | undefined {
  return (raw as Carrier)[HTTP_CALL_STATE];
}

export function attachHttpCallState(raw: NodeRequestLike, state: HttpCallState): void {
  (raw as Carrier)[HTTP_CALL_STATE] = state;
}
