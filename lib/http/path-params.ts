import { REDACTED } from '../privacy/scrub-string.js';

/** A route parameter segment (`:token`, `:token?`, `:id(\\d+)`): its name. */
const PARAM = /^:([A-Za-z_$][\w$]*)/;

/**
 * Where a route's sensitive parameters sit: their segment indexes and the route's segment count
 * (which a concrete path must match); `'unaligned'` when the route has one but its segments cannot
 * be lined up with a concrete path (wildcards, optional groups); undefined when it has none.
 */
export type SensitiveSegments = { readonly indexes: readonly number[]; readonly segments: number } | 'unaligned' | undefined;

export function sensitiveSegments(route: string, isSensitive: (name: string) => boolean): SensitiveSegments {
  if (!route.includes(':')) return undefined;
  const segments = route.split('/');
  const indexes: number[] = [];
  segments.forEach((segment, i) => {
    const name = PARAM.exec(segment)?.[1];
    if (name !== undefined && isSensitive(name)) indexes.push(i);
  });
  if (indexes.length === 0) return undefined;
  return /[*{}]/.test(route) ? 'unaligned' : { indexes, segments: segments.length };
}

/**
 * The concrete path with the values of sensitive route parameters replaced: `/reset/:token`
 * turns `/reset/4f1c9a…` into `/reset/[REDACTED]`, so a token in a link does not reach the
 * warehouse. A path that does not line up with its route segment by segment gives the route
 * itself: without the value, nothing is lost but the concrete spelling.
 */
export function redactPathParams(path: string, route: string, where: SensitiveSegments): string {
  if (where === undefined) return path;
  if (where === 'unaligned') return route;
  const segments = path.split('/');
  if (segments.length !== where.segments) return route;
  for (const i of where.indexes) segments[i] = REDACTED;
  return segments.join('/');
}

/**
 * For a request whose route is unknown but whose parameters are (`fastifyRouteFor`): every path
 * segment that spells a sensitive parameter's value replaced.
 */
export function redactParamValues(path: string, params: Record<string, unknown>, isSensitive: (name: string) => boolean): string {
  const values = Object.entries(params)
    .filter(([name, value]) => typeof value === 'string' && value !== '' && isSensitive(name))
    .map(([, value]) => value);
  if (values.length === 0) return path;
  return path
    .split('/')
    .map((segment) => (values.includes(decoded(segment)) ? REDACTED : segment))
    .join('/');
}

/** Shorter values are left in messages: replacing them would mangle ordinary words and numbers. */
const MIN_QUOTED_SECRET_LENGTH = 3;

/**
 * The values redaction took out of `path` (giving `redacted`), as sent and decoded, so they can be
 * taken out of an error message that quotes them too (Express: `Failed to decode param '4f1c%ZZ'`).
 * When the path was replaced by its route as a whole, the whole path is the value.
 */
export function redactedValues(path: string, redacted: string): string[] {
  if (path === redacted) return [];
  const raw = path.split('/');
  const kept = redacted.split('/');
  if (raw.length !== kept.length) return [path];
  const values = raw.flatMap((segment, i) => (kept[i] === REDACTED && segment !== REDACTED ? [segment, decoded(segment)] : []));
  return [...new Set(values)].filter((value) => value.length >= MIN_QUOTED_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
