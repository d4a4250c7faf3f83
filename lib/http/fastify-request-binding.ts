import type { OnApplicationBootstrap } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { ApiTracker } from './api-tracker.js';
import { httpCallStateOf } from './http-call-state.js';
import { rawRequestOf } from './parsers/http-request.parser.js';

type FastifyLike = { addHook(name: 'onRequest', hook: (request: unknown, reply: unknown, done: () => void) => void): unknown };

/**
 * On Fastify, Nest middleware sees only the raw Node request, and a request that a guard rejects
 * reaches neither the interceptor nor, when an app's own filter answers it, the library's filter:
 * nothing would tell its route. A Fastify `onRequest` hook (added once the routes exist, before the
 * server starts) hands the `FastifyRequest`, which knows its route, to the request's state.
 */
export class FastifyRequestBinding implements OnApplicationBootstrap {
  constructor(
    private readonly tracker: ApiTracker,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!this.tracker.active || adapter?.getType() !== 'fastify') return;
    const tracker = this.tracker;
    try {
      (adapter.getInstance() as FastifyLike).addHook('onRequest', (request, _reply, done) => {
        const state = httpCallStateOf(rawRequestOf(request));
        if (state?.owner === tracker) state.request = request;
        done();
      });
    } catch (error) {
      // An app that made Fastify ready before Nest's init cannot take hooks: routes of rejected requests stay unnamed.
      tracker.reportFailure(error);
    }
  }
}
