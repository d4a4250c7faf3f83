import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeBrokenAnswer } from './broken-answer.js';
import {
  countEvents,
  decodeFor,
  failureReply,
  handleIngest,
  headerValue,
  methodNotAllowedReply,
  notFoundReply,
  type Reply,
} from './ingest-handlers.js';
import { redactHeaders, type AcceptedEvent, type IngestRecorder, type RequestOutcome } from './ingest-recorder.js';
import { matchRoute, type IngestRoute, type RouteMatch } from './ingest-routes.js';
import type { BrokenAnswer, MisbehaviourScript } from './misbehaviour-script.js';

export interface RequestHandlerDeps {
  recorder: IngestRecorder;
  script: MisbehaviourScript;
  writeKey: string;
  classicToken: string;
  bodyTimeoutMs: number;
}

/** What is known about a request before its body is complete. */
interface Arrival {
  req: IncomingMessage;
  res: ServerResponse;
  match: RouteMatch;
  at: number;
  generation: number;
}

/**
 * One request's life: read the body (within Jitsu's read timeout), check it by the protocol rules,
 * apply the test script, answer and record. Scripted answers (`failNext`, `resetNext`, the broken
 * 200s) only go to ingest requests (batch, single event, classic) that the server would otherwise
 * take (answer 200): a request with a wrong key, content type or encoding, an unreadable body or a
 * malformed batch gets its real 4xx and leaves the scripted answer to the next valid one, so a
 * retry the script fails is known to have been a valid request. `stall` and the delay apply to
 * every request.
 */
export class IngestRequestHandler {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Requests from before a reset() are answered but no longer recorded. */
  private generation = 0;
  private delayed = 0;

  constructor(private readonly deps: RequestHandlerDeps) {}

  /** Requests read and waiting for their delayed answer. */
  get delayedAnswers(): number {
    return this.delayed;
  }

  forgetInFlight(): void {
    this.generation++;
  }

  /** Pending delays and body timeouts die with the connections they belong to. */
  cancelPending(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.delayed = 0;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const arrival: Arrival = {
      req,
      res,
      match: matchRoute(req.method ?? '', req.url ?? '/'),
      at: Date.now(),
      generation: this.generation,
    };
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      this.timers.delete(timer);
      return true;
    };
    const giveUp = (outcome: RequestOutcome): void => {
      if (!settle()) return;
      this.note(arrival, Buffer.concat(chunks).length, 0, 0, outcome);
      req.socket.destroy();
    };
    const timer = this.schedule(() => giveUp('body-timeout'), this.deps.bodyTimeoutMs);
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => giveUp('aborted'));
    req.on('close', () => giveUp('aborted'));
    req.on('end', () => {
      if (settle()) this.dispatch(arrival, Buffer.concat(chunks));
    });
  }

  private schedule(run: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private dispatch(arrival: Arrival, body: Buffer): void {
    const { match } = arrival;
    if (match.kind === 'ingest') {
      this.dispatchIngest(arrival, match.route, body);
    } else if (this.deps.script.stalled) {
      this.note(arrival, body.length, 0, 0, 'stalled');
    } else {
      const method = arrival.req.method ?? '';
      this.answer(arrival, body.length, 0, match.kind === 'not-found' ? notFoundReply(match.path) : methodNotAllowedReply(method));
    }
  }

  private dispatchIngest(arrival: Arrival, route: IngestRoute, body: Buffer): void {
    const { req } = arrival;
    const { script } = this.deps;
    const decoded = decodeFor(route, req.headers, body);
    const eventCount = countEvents(route, decoded);
    if (script.stalled) {
      this.note(arrival, body.length, eventCount, 0, 'stalled');
      return;
    }
    // The protocol's answer first: only a request it would take is given a scripted one.
    const reply = handleIngest(
      { route, headers: req.headers, decoded },
      {
        writeKey: this.deps.writeKey,
        classicToken: this.deps.classicToken,
        rejectedIds: script.rejectedIds,
        throttled: script.takeThrottled,
        maxBatchEvents: script.maxBatchEvents,
      },
    );
    const scripted = reply.status === 200 ? script.takeNext() : undefined;
    if (scripted?.kind === 'reset') {
      this.note(arrival, body.length, eventCount, 0, 'reset');
      // A TCP RST rather than a FIN, so the client sees ECONNRESET and not a clean close.
      req.socket.resetAndDestroy();
      return;
    }
    if (scripted === undefined || scripted.kind === 'fail') {
      this.answer(arrival, body.length, eventCount, scripted ? failureReply(route, scripted.failure) : reply);
    } else {
      this.answer(arrival, body.length, eventCount, reply, scripted);
    }
  }

  /**
   * Events are recorded when the answer is written, even if the client gave up during a delay:
   * a real server that read the body has ingested it, which is how retries create duplicates.
   * A broken answer records its events only once its whole body went out (a trickle that ran to
   * its end): like `failNext`, it stands for a batch the client must send again, so the retry is
   * the delivery and a test can count each messageId exactly once.
   */
  private answer(arrival: Arrival, bytes: number, eventCount: number, reply: Reply, broken?: BrokenAnswer): void {
    const write = (): void => {
      const { res } = arrival;
      const payload = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
      const headers = {
        'content-type': reply.text === undefined ? 'application/json' : 'text/plain; charset=utf-8',
        ...reply.headers,
      };
      if (broken !== undefined) {
        this.note(arrival, bytes, eventCount, reply.status, broken.kind);
        if (res.destroyed || res.socket === null || res.socket.destroyed) return;
        writeBrokenAnswer(res, { status: reply.status, headers, payload }, broken, {
          schedule: (run, ms) => this.schedule(run, ms),
          completed: () => {
            if (arrival.generation === this.generation) this.deps.recorder.accept(reply.accepted);
          },
        });
        return;
      }
      this.note(arrival, bytes, eventCount, reply.status, 'answered', reply.accepted);
      if (res.destroyed || res.socket === null || res.socket.destroyed) return;
      res.writeHead(reply.status, { ...headers, 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    const delay = this.deps.script.delayMs;
    if (delay === 0) {
      write();
      return;
    }
    this.delayed++;
    this.schedule(() => {
      this.delayed--;
      write();
    }, delay);
  }

  private note(
    arrival: Arrival,
    bytes: number,
    eventCount: number,
    status: number,
    outcome: RequestOutcome,
    accepted: readonly AcceptedEvent[] = [],
  ): void {
    if (arrival.generation !== this.generation) return;
    const { req } = arrival;
    this.deps.recorder.accept(accepted);
    this.deps.recorder.addRequest({
      at: arrival.at,
      method: req.method ?? '',
      path: arrival.match.path,
      status,
      outcome,
      gzip: headerValue(req.headers, 'content-encoding')?.trim().toLowerCase() === 'gzip',
      bytes,
      eventCount,
      headers: redactHeaders(req.headers),
    });
  }
}
