import type { OnApplicationBootstrap } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { ApiTracker } from './api-tracker.js';
import { httpCallStateOf } from './http-call-state.js';
import { rawRequestOf } from './parsers/http-request.parser.js';

type FastifyLike = { addHook(name: 'onRequest', hook: (request: unknown, reply: unknown, done: () => void) => void): unknown };
type ServerLike = { prependListener?(event: 'request', listener: (request: unknown, response: unknown) => void): unknown };

/**
 * The Fastify side of the request's state, from bootstrap (the routes exist, the server has not
 * started). Fastify answers some requests before Nest middleware (middie) runs: its router (a
 * malformed URL: 400, an over-long parameter: 414) and the adapter's own `onRequest` hooks, which
 * Nest runs ahead of middie (a CORS preflight, a CSRF rejection, 503 while closing). The server's
 * `request` listener begins every request as it arrives, so those are recorded too; the
 * middleware then finds the state begun and enters its context.
 *
 * Nest middleware sees only the raw Node request, and a request that a guard rejects reaches
 * neither the interceptor nor, when an app's own filter answers it, the library's filter: nothing
 * would tell its route. A Fastify `onRequest` hook hands the `FastifyRequest`, which knows its
 * route, to the request's state.
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
    const server = adapter.getHttpServer() as ServerLike | undefined;
    if (typeof server?.prependListener === 'function') {
      server.prependListener('request', (request, response) => tracker.guard(() => tracker.begin(request, response)));
    }
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
