/** What the interceptor does for handlers of a non-HTTP context type. */
export type ContextTracking = 'track' | 'skip';

/** Who made a request, as `identify` reports it. Numbers are sent as strings. */
export interface RequestIdentity {
  userId?: string | number;
  anonymousId?: string | number;
}

/**
 * Reads the caller from the framework's request (Express `Request`, `FastifyRequest`, or the raw
 * `IncomingMessage` for requests no controller serves). Called once per request, after the guards
 * (so `request.user` set by an auth guard is there); a throw is counted as a warning
 * (`identify_failed`) and the request is recorded without a user.
 */
// `any`: the request's type depends on the adapter, and users read their own fields from it.
export type IdentifyRequest = (request: any) => RequestIdentity | null | undefined;

/** `api: {...}` of `JitsuAnalyticsModule.forRoot`. Strings are accepted for booleans and numbers. */
export interface ApiTrackingOptions {
  /** One `API Call` event per request the app serves, by a global interceptor and middleware. Default true. */
  enabled?: boolean | string;
  /** Who made the request. Default: `request.user.id`, else `request.user.sub`. */
  identify?: IdentifyRequest;
  /**
   * Take the client IP from the left-most `X-Forwarded-For` entry. Only set it behind a proxy
   * that overwrites that header: clients can send any value. Default false (the socket address).
   * What is kept of the IP is the top-level `ipPolicy`.
   */
  trustProxy?: boolean | string;
  /**
   * Paths that are never recorded as `API Call`s (errors they throw still are). A string is a
   * path where `*` matches any characters (also `/`) and `:name` one segment, e.g. `'/health'`,
   * `'/internal/*'`, `'/users/:id/avatar'`; a RegExp is tested against the path. Paths are
   * compared without query string and trailing slash. Default none.
   */
  exclude?: ReadonlyArray<string | RegExp>;
  /**
   * Share of successful requests (status < 400, nothing thrown) that are recorded, from 0 to 1.
   * Failed requests are always recorded. A request left out is not an event at all, so it is not
   * counted as dropped. Default 1.
   */
  sampleRate?: number | string;
  /**
   * Handlers of other transports (microservices, gateways, GraphQL resolvers): `'track'` records
   * them as `API Call`s named by their pattern, event or `Type.field`; `'skip'` leaves them alone.
   * Default `'track'` for each.
   */
  contexts?: { rpc?: ContextTracking; ws?: ContextTracking; graphql?: ContextTracking };
}

/** `errors: {...}` of `JitsuAnalyticsModule.forRoot`. */
export interface ErrorTrackingOptions {
  /**
   * One `Backend Error` (`error_source: 'api'`) per exception that reaches Nest's exception layer,
   * by a global exception filter that then answers exactly as Nest would. Default true.
   */
  enabled?: boolean | string;
  /**
   * One `Backend Error` (`error_source: 'process'`) for an error that reaches no handler: an
   * uncaught exception, or an unhandled rejection (one Node raises as an uncaught exception, its
   * default, or one the app's own `unhandledRejection` listener takes). Observed without handling
   * it: the process still crashes, or goes on, as it would without the library. Default true,
   * whatever `enabled` is.
   */
  uncaught?: boolean | string;
}
