import type { AnalyticsCore } from '../analytics-core.js';
import { apiTrackerOrNothing } from './api-tracker.registry.js';

/** Called without arguments: Express's `next`, middie's `next` and a Fastify hook's `done` all fit. */
export type MiddlewareNext = () => void;

/**
 * The guide's middleware form (`analytics.trackApiRequest(req, res, next)`), and what the module
 * mounts for every route: begins tracking the request (its id, its start, one `API Call` when
 * the response is over) and runs the rest of the chain inside the request's context, so guards,
 * pipes, handlers and services all see its request id. Works as Express middleware, Fastify
 * (middie) middleware, or from a Fastify `onRequest` hook with the `FastifyRequest`/`FastifyReply`.
 * A request already begun (the module's middleware and this one both mounted) is not begun twice,
 * so routes outside controllers (mounted routers, static files, unmatched paths) are recorded once
 * and controller routes are too.
 */
export function trackApiRequest(core: AnalyticsCore, req: unknown, res: unknown, next: MiddlewareNext): void {
  const tracker = core.enabled ? apiTrackerOrNothing(core) : undefined;
  if (!tracker?.active) return next();
  let facts;
  try {
    const state = tracker.begin(req, res, true);
    if (state.owner === tracker) facts = state.facts;
  } catch (error) {
    tracker.reportFailure(error);
  }
  const context = core.requestContext;
  if (!facts || context.get() === facts) return next();
  context.run(facts, () => next());
}
