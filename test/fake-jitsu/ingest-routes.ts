import { SINGLE_EVENT_TYPES } from './jitsu-protocol.js';

/** The endpoints the fake server serves; anything else is 404, a wrong method 405. */
export type IngestRoute =
  | { kind: 'batch' }
  | { kind: 'single'; type: string }
  | { kind: 'classic'; token: string | undefined };

export type RouteMatch =
  | { kind: 'ingest'; path: string; route: IngestRoute }
  | { kind: 'not-found'; path: string }
  | { kind: 'method-not-allowed'; path: string };

const NEXT_PREFIX = '/api/s/s2s/';
const CLASSIC_PATH = '/api/v1/s2s/event';

/** `path` is the pathname only: the classic token travels in the query and must not be recorded. */
export function matchRoute(method: string, rawUrl: string): RouteMatch {
  const url = new URL(rawUrl, 'http://fake-jitsu.invalid');
  const path = url.pathname;
  const route = routeFor(path, url.searchParams);
  if (route === undefined) return { kind: 'not-found', path };
  if (method !== 'POST') return { kind: 'method-not-allowed', path };
  return { kind: 'ingest', path, route };
}

function routeFor(path: string, query: URLSearchParams): IngestRoute | undefined {
  if (path === CLASSIC_PATH) return { kind: 'classic', token: query.get('token') ?? undefined };
  if (!path.startsWith(NEXT_PREFIX)) return undefined;
  const rest = path.slice(NEXT_PREFIX.length);
  if (rest === 'batch') return { kind: 'batch' };
  return SINGLE_EVENT_TYPES.has(rest) ? { kind: 'single', type: rest } : undefined;
}
