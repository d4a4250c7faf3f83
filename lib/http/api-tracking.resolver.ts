import { OptionReader } from '../options/option-reader.js';
import type { IpPolicy } from '../privacy/ip-policy.js';
import type { ContextTracking, IdentifyRequest } from './api-tracking.options.js';
import { identifyFromUser } from './identify.js';
import { compilePathPatterns, type PathPredicate } from './path-patterns.js';

export type NonHttpContextType = 'rpc' | 'ws' | 'graphql';

/** `api` and `errors` after validation, with every default filled in. */
export interface ResolvedApiTracking {
  apiEnabled: boolean;
  errorsEnabled: boolean;
  identify: IdentifyRequest;
  trustProxy: boolean;
  isExcluded: PathPredicate;
  sampleRate: number;
  contexts: Readonly<Record<NonHttpContextType, ContextTracking>>;
  ipPolicy: IpPolicy;
}

const API_KEYS = ['enabled', 'identify', 'trustProxy', 'exclude', 'sampleRate', 'contexts'];
const ERRORS_KEYS = ['enabled', 'uncaught'];
const CONTEXT_TYPES: readonly NonHttpContextType[] = ['rpc', 'ws', 'graphql'];

/**
 * Reads `api`, `errors` (and the top-level `ipPolicy`, already resolved) from the raw options.
 * Every problem is collected, then thrown at once as an `AnalyticsConfigError`, so a bad option
 * fails the bootstrap with a message naming it, its value and what is expected.
 */
export function resolveApiTracking(raw: { api?: unknown; errors?: unknown }, ipPolicy: IpPolicy): ResolvedApiTracking {
  const read = new OptionReader();
  const apiRead = read.nested('api');
  const errorsRead = read.nested('errors');
  const api = apiRead.object(raw.api, API_KEYS);
  const errors = readErrorTracking(errorsRead, raw.errors);
  const exclude = compilePathPatterns(api.exclude, 'api.exclude');
  read.problems.push(...exclude.problems);
  if (api.identify !== undefined && typeof api.identify !== 'function') {
    apiRead.problem('identify', api.identify, 'a function (request) => ({ userId?, anonymousId? })');
  }
  const resolved: ResolvedApiTracking = {
    apiEnabled: apiRead.bool('enabled', api.enabled, true),
    errorsEnabled: errors.enabled,
    identify: typeof api.identify === 'function' ? (api.identify as IdentifyRequest) : identifyFromUser,
    trustProxy: apiRead.bool('trustProxy', api.trustProxy, false),
    isExcluded: exclude.matches,
    sampleRate: apiRead.rate('sampleRate', api.sampleRate, 1, 'the share of successful requests recorded'),
    contexts: contexts(apiRead.nested('contexts'), api.contexts),
    ipPolicy,
  };
  read.throwIfAny();
  return resolved;
}

/** `errors` after validation. */
export interface ResolvedErrorTracking {
  enabled: boolean;
  uncaught: boolean;
}

/** Reads `errors` for the instrumentation, which records the uncaught errors; throws `AnalyticsConfigError`. */
export function resolveErrorTracking(raw: unknown): ResolvedErrorTracking {
  const read = new OptionReader('errors');
  const resolved = readErrorTracking(read, raw);
  read.throwIfAny();
  return resolved;
}

function readErrorTracking(read: OptionReader, raw: unknown): ResolvedErrorTracking {
  const errors = read.object(raw, ERRORS_KEYS);
  return { enabled: read.bool('enabled', errors.enabled, true), uncaught: read.bool('uncaught', errors.uncaught, true) };
}

function contexts(read: OptionReader, value: unknown): Record<NonHttpContextType, ContextTracking> {
  const out: Record<NonHttpContextType, ContextTracking> = { rpc: 'track', ws: 'track', graphql: 'track' };
  const given = read.object(value, CONTEXT_TYPES);
  for (const type of CONTEXT_TYPES) {
    const mode = given[type];
    if (mode === undefined || mode === null) continue;
    if (mode === 'track' || mode === 'skip') out[type] = mode;
    else read.problem(type, mode, `'track' or 'skip'`);
  }
  return out;
}
