import { AnalyticsConfigError } from '../analytics-config.error.js';
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
const ERRORS_KEYS = ['enabled'];
const CONTEXT_TYPES: readonly NonHttpContextType[] = ['rpc', 'ws', 'graphql'];

/**
 * Reads `api`, `errors` (and the top-level `ipPolicy`, already resolved) from the raw options.
 * Every problem is collected, then thrown at once as an `AnalyticsConfigError`, so a bad option
 * fails the bootstrap with a message naming it, its value and what is expected.
 */
export function resolveApiTracking(raw: { api?: unknown; errors?: unknown }, ipPolicy: IpPolicy): ResolvedApiTracking {
  const problems: string[] = [];
  const api = group('api', raw.api, API_KEYS, problems);
  const errors = group('errors', raw.errors, ERRORS_KEYS, problems);
  const exclude = compilePathPatterns(api.exclude, 'api.exclude');
  problems.push(...exclude.problems);
  if (api.identify !== undefined && typeof api.identify !== 'function') {
    problems.push(`api.identify: got ${describe(api.identify)}, expected a function (request) => ({ userId?, anonymousId? })`);
  }
  const resolved: ResolvedApiTracking = {
    apiEnabled: bool('api.enabled', api.enabled, true, problems),
    errorsEnabled: bool('errors.enabled', errors.enabled, true, problems),
    identify: typeof api.identify === 'function' ? (api.identify as IdentifyRequest) : identifyFromUser,
    trustProxy: bool('api.trustProxy', api.trustProxy, false, problems),
    isExcluded: exclude.matches,
    sampleRate: rate('api.sampleRate', api.sampleRate, problems),
    contexts: contexts(api.contexts, problems),
    ipPolicy,
  };
  if (problems.length > 0) throw new AnalyticsConfigError(problems);
  return resolved;
}

function group(name: string, value: unknown, known: readonly string[], problems: string[]): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${name}: got ${describe(value)}, expected an object`);
    return {};
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.push(`${name}.${key}: unknown option; expected one of ${known.join(', ')}`);
  }
  return value as Record<string, unknown>;
}

function contexts(value: unknown, problems: string[]): Record<NonHttpContextType, ContextTracking> {
  const out: Record<NonHttpContextType, ContextTracking> = { rpc: 'track', ws: 'track', graphql: 'track' };
  const given = group('api.contexts', value, CONTEXT_TYPES, problems);
  for (const type of CONTEXT_TYPES) {
    const mode = given[type];
    if (mode === undefined || mode === null) continue;
    if (mode === 'track' || mode === 'skip') out[type] = mode;
    else problems.push(`api.contexts.${type}: got ${describe(mode)}, expected 'track' or 'skip'`);
  }
  return out;
}

function bool(name: string, value: unknown, fallback: boolean, problems: string[]): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
  }
  problems.push(`${name}: got ${describe(value)}, expected a boolean (or 'true'/'false', '1'/'0')`);
  return fallback;
}

function rate(name: string, value: unknown, problems: string[]): number {
  if (value === undefined || value === null || value === '') return 1;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && n >= 0 && n <= 1) return n;
  problems.push(`${name}: got ${describe(value)}, expected a number from 0 to 1 (the share of successful requests recorded)`);
  return 1;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}
