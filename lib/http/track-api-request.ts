import { randomUUID } from 'node:crypto';
import type { AnalyticsCore } from '../analytics-core.js';
import { apiCallEvent } from '../events/event-builders.js';
import { applyIpPolicy } from '../privacy/ip-policy.js';
import type { RequestFacts } from '../context/request-context.js';

export type MiddlewareNext = (error?: unknown) => void;

interface NodeRequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
}

interface NodeResponseLike {
  statusCode?: number;
  once?(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * The guide's middleware form: records one `API Call` when the response finishes, for routes no
 * Nest controller serves. Runs `next` inside the request context so events tracked while serving
 * carry the request id; a request the interceptor already recorded is not recorded again.
 */
export function trackApiRequest(core: AnalyticsCore, req: unknown, res: unknown, next: MiddlewareNext): void {
  if (!core.enabled) return next();
  const request = ((req as { raw?: NodeRequestLike })?.raw ?? req) as NodeRequestLike;
  const response = ((res as { raw?: NodeResponseLike })?.raw ?? res) as NodeResponseLike;
  const started = performance.now();
  const header = request.headers?.['x-request-id'];
  const facts: RequestFacts = { requestId: (Array.isArray(header) ? header[0] : header) || randomUUID() };
  let recorded = false;
  const record = () => {
    if (recorded || facts.apiRecorded) return;
    recorded = true;
    core.recordKind(
      apiCallEvent({
        method: request.method ?? 'GET',
        path: request.originalUrl ?? request.url ?? '/',
        statusCode: response.statusCode ?? 0,
        durationMs: performance.now() - started,
        userAgent: headerValue(request.headers?.['user-agent']),
        ipAddress: applyIpPolicy(request.socket?.remoteAddress, core.options.ipPolicy),
      }, { request_id: facts.requestId }),
    );
  };
  response.once?.('finish', record);
  response.once?.('close', record);
  core.requestContext.run(facts, () => next());
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
